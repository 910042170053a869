from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cas/<slug:slug>/", views.case_detail, name="case_detail"),
    path("territoires/<str:kind>/<str:code>/", views.territory_detail, name="territory_detail"),
]
