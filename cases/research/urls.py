"""Routes of the moderators' double-coding screens (mounted with the moderation routes, never cached)."""

from django.urls import path

from . import views

urlpatterns = [
    path("moderation/codage/", views.coding, name="research_coding"),
    path("moderation/reconciliation/", views.reconciliation, name="research_reconciliation"),
]
