"""Routes of the open-data page and of the releases' files (in the ``cases`` namespace)."""

from django.urls import path, re_path

from . import views

VERSION = r"(?P<version>latest|[0-9]{4}\.[0-9]{2}\.[0-9]+)"

urlpatterns = [
    path("donnees/", views.data_page, name="data"),
    re_path(rf"^donnees/publications/{VERSION}/$", views.release_detail, name="release_detail"),
    re_path(rf"^donnees/publications/{VERSION}/(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)$", views.release_file,
            name="release_file"),
]
