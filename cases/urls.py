from django.urls import include, path

from . import views, views_public, views_territories

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cas/", views_public.case_list, name="case_list"),
    path("cas/<slug:slug>/", views.case_detail, name="case_detail"),
    path("comparer/", views_public.compare, name="compare"),
    path("carte/", views_public.case_map, name="map"),
    path("carte/donnees.geojson", views_public.map_data, name="map_data"),
    path("carte/departements.geojson", views_public.map_departements, name="map_departements"),
    path("statistiques/", views_public.case_statistics, name="statistics"),
    path("methodologie/", views_public.methodology, name="methodology"),
    path("accessibilite/", views_public.accessibility, name="accessibility"),
    path("territoires/recherche/", views_territories.territory_search, name="territory_search"),
    path("territoires/<str:kind>/<str:code>/", views_territories.territory_detail, name="territory_detail"),
    path("a-propos-des-donnees/", views_territories.about_data, name="about_data"),
    # Contributions, moderation and case history (cases/urls_contrib.py).
    path("", include("cases.urls_contrib")),
]
