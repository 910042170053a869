from django.urls import path

from . import views, views_territories

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cas/<slug:slug>/", views.case_detail, name="case_detail"),
    path("territoires/recherche/", views_territories.territory_search, name="territory_search"),
    path("territoires/<str:kind>/<str:code>/", views_territories.territory_detail, name="territory_detail"),
    path("a-propos-des-donnees/", views_territories.about_data, name="about_data"),
]
