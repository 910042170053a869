"""Routes of the public catalogue: landing page, list, profile and history, comparison, map, statistics,
methodology, accessibility."""

from django.urls import path

from .views import info, listing, map, pages, profile

urlpatterns = [
    path("", profile.home, name="home"),
    path("cas/", listing.case_list, name="case_list"),
    path("cas/<slug:slug>/", profile.case_detail, name="case_detail"),
    path("cas/<slug:slug>/historique/", profile.case_history, name="case_history"),
    path("comparer/", listing.compare, name="compare"),
    path("carte/", map.case_map, name="map"),
    path("carte/donnees.geojson", map.map_data, name="map_data"),
    path("carte/departements.geojson", map.map_departements, name="map_departements"),
    path("statistiques/", pages.case_statistics, name="statistics"),
    path("methodologie/", pages.methodology, name="methodology"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("declarer-une-initiative/", info.contribute, name="contribute"),
    path("mentions-legales/", info.legal, name="legal"),
    path("confidentialite-des-cas-pseudonymises/", pages.privacy, name="privacy"),
]
