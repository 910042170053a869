"""Routes of the contribution flow, included by ``cases/urls.py`` inside the ``cases`` namespace."""

from django.urls import path

from . import views_contrib, views_moderation

urlpatterns = [
    path("contribuer/", views_contrib.dashboard, name="contrib_dashboard"),
    path("contribuer/nouvelle-initiative/", views_contrib.new_case, name="contrib_new"),
    path("contribuer/<int:pk>/", views_contrib.edit, name="contrib_edit"),
    path("contribuer/<int:pk>/collectivite/", views_contrib.change_territory, name="contrib_territory"),
    path("cas/<slug:slug>/historique/", views_contrib.case_history, name="case_history"),
    path("moderation/", views_moderation.queue, name="moderation_queue"),
    path("moderation/cas/<int:pk>/", views_moderation.review, name="moderation_review"),
    path("moderation/cas/<int:pk>/action/", views_moderation.act, name="moderation_act"),
    path("moderation/contributeurs/", views_moderation.contributors, name="moderation_contributors"),
    path("moderation/contributeurs/<int:pk>/verification/", views_moderation.verify_contributor,
         name="moderation_verify"),
]
