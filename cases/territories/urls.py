"""Routes of the reference territories: search (autocomplete), a territory's page, the data page."""

from django.urls import path

from . import views

urlpatterns = [
    path("territoires/recherche/", views.territory_search, name="territory_search"),
    path("territoires/<str:kind>/<str:code>/", views.territory_detail, name="territory_detail"),
    path("a-propos-des-donnees/", views.about_data, name="about_data"),
]
