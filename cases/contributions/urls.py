"""Routes of the officials' side: their dashboard and the guided form (drafts and updates)."""

from django.urls import path

from .views import drafts

urlpatterns = [
    path("contribuer/", drafts.dashboard, name="contrib_dashboard"),
    path("contribuer/nouvelle-initiative/", drafts.new_case, name="contrib_new"),
    path("contribuer/<int:pk>/", drafts.edit, name="contrib_edit"),
    path("contribuer/<int:pk>/collectivite/", drafts.change_territory, name="contrib_territory"),
    path("contribuer/<int:pk>/retirer/", drafts.withdraw, name="contrib_withdraw"),
]
