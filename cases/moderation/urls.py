"""Routes of the moderators' side: the queue, the review page and its actions, the contributors."""

from django.urls import path

from . import views

urlpatterns = [
    path("moderation/", views.queue, name="moderation_queue"),
    path("moderation/cas/<int:pk>/", views.review, name="moderation_review"),
    path("moderation/cas/<int:pk>/action/", views.act, name="moderation_act"),
    path("moderation/contributeurs/", views.contributors, name="moderation_contributors"),
    path("moderation/contributeurs/<int:pk>/verification/", views.verify_contributor,
         name="moderation_verify"),
]
