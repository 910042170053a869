"""Bench-only URLconf: the real site plus a minimal JsonResponse view to compare the API against."""

from django.http import JsonResponse
from django.urls import include, path

from cases.models import Case

FIELDS = ("slug", "title", "disclosure", "carrier", "dominant_theme", "management_mode", "launch_year",
          "horizon_year", "population_city", "territory__code", "territory__name", "territory__region__code")


def minimal_cases(request):
    """The first 50 published cases, a few flat fields, no filters, no privacy rules: a floor, not an API."""
    rows = list(Case.objects.published().order_by("title", "pk").values(*FIELDS)[:50])
    return JsonResponse({"count": Case.objects.published().count(), "results": rows})


urlpatterns = [
    path("bench/minimal-cases/", minimal_cases),
    path("", include("observatory.urls")),
]
