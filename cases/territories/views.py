"""Territory pages, the territory search used by autocomplete widgets, and the "about the data" page."""

import json
from functools import cache

from django.conf import settings
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..catalogue import selectors
from ..models import Territory
from ..vocabularies import Disclosure, TerritoryKind
from . import selectors as territory_selectors
from .loading import REFERENCE_DIR
from .reference_notes import translated_choices, translated_sources


@cache
def _outlines(kind: str) -> dict[str, dict]:
    """Simplified outlines of départements or régions by code, read once per process."""
    path = REFERENCE_DIR / f"{kind}s.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {feature["properties"]["code"]: feature for feature in features}


@cache
def reference_meta() -> dict:
    return json.loads((REFERENCE_DIR / "meta.json").read_text(encoding="utf-8"))


def _outline_for(territory: Territory):
    """The outline drawn under a territory's point: its own for a département or région, else its département's."""
    if territory.kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION):
        return _outlines(territory.kind).get(territory.code)
    if territory.departement_id:
        return _outlines("departement").get(territory.departement.code)
    return None


def _documented_cases(territory: Territory):
    """Published, named cases on this territory or inside it. Pseudonymised cases are never listed here."""
    inside = {
        TerritoryKind.COMMUNE: Q(territory=territory),
        TerritoryKind.EPCI: Q(territory=territory) | Q(territory__epci=territory),
        TerritoryKind.EPT: Q(territory=territory) | Q(territory__ept=territory),
        TerritoryKind.DEPARTEMENT: Q(territory=territory) | Q(territory__departement=territory),
        TerritoryKind.REGION: Q(territory=territory) | Q(territory__region=territory),
    }[territory.kind]
    return selectors.case_list().filter(inside, disclosure=Disclosure.NAMED)


def territory_detail(request, kind, code):
    territory = territory_selectors.territory_get(kind=kind, code=code)
    members = children = None
    if territory.kind == TerritoryKind.EPCI:
        members = territory.member_communes.order_by("-population", "name")
    elif territory.kind == TerritoryKind.EPT:
        members = territory.ept_member_communes.order_by("-population", "name")
    elif territory.kind == TerritoryKind.DEPARTEMENT:
        children = Territory.objects.filter(kind=TerritoryKind.EPCI, departement=territory).order_by("name")
    elif territory.kind == TerritoryKind.REGION:
        children = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, region=territory).order_by("code")
    map_data = None
    if territory.latitude is not None:
        map_data = {"point": [territory.latitude, territory.longitude], "name": territory.name,
                    "outline": _outline_for(territory)}
    return render(request, "territories/territory_detail.html", {
        "territory": territory,
        "members": members,
        "children": children,
        "cases": _documented_cases(territory),
        "map_data": map_data,
    })


@require_GET
@cache_control(max_age=300, public=True)
def territory_search(request):
    """``/territoires/recherche/?q=saint etienne&kind=commune`` → JSON for autocomplete widgets."""
    kinds = [k for k in request.GET.getlist("kind") if k in TerritoryKind.values] or None
    try:
        limit = max(1, min(int(request.GET.get("limit", 10)), 50))
    except ValueError:
        limit = 10
    results = territory_selectors.territory_search(query=request.GET.get("q", ""), kinds=kinds, limit=limit)
    if "text/html" in request.headers.get("Accept", ""):
        # A person who opens the address gets a page of links; autocomplete widgets (fetch: */*) get JSON.
        response = render(request, "territories/search.html", {
            "query": request.GET.get("q", ""), "results": with_case_counts(results)})
    else:
        response = JsonResponse({"results": [territory_summary(t) for t in results]})
    patch_vary_headers(response, ["Accept"])
    return response


def with_case_counts(territories) -> list[tuple[Territory, int]]:
    """``(territory, number of published named cases on it or inside it)``: one query per territory, for
    the handful a search shows."""
    return [(territory, _documented_cases(territory).order_by().count()) for territory in territories]


def _ref(territory):
    if territory is None:
        return None
    return {"id": territory.pk, "kind": territory.kind, "code": territory.code, "name": territory.name,
            "population": territory.population, "population_year": territory.population_year}


def territory_summary(territory: Territory) -> dict:
    """The public JSON form of a territory (with its parents), shared by autocomplete and the API."""
    context = territory.departement.name if territory.departement_id else ""
    return {
        **_ref(territory),
        "label": f"{territory.name} ({territory.get_kind_display()}, {territory.code})"
        + (f" — {context}" if context and territory.kind != TerritoryKind.DEPARTEMENT else ""),
        "epci": _ref(territory.epci),
        "ept": _ref(territory.ept),
        "departement": _ref(territory.departement),
        "region": _ref(territory.region),
        "latitude": territory.latitude,
        "longitude": territory.longitude,
        "cog_year": territory.cog_year,
        "url": territory.get_absolute_url(),
    }


def about_data(request):
    meta = reference_meta()
    loaded = dict(Territory.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    counts = [(label, loaded.get(kind, 0)) for kind, label in TerritoryKind.choices]
    return render(request, "territories/about_data.html", {
        "meta": meta,
        "choices": translated_choices(meta.get("choices", {})),
        "sources": translated_sources(meta.get("sources", [])),
        "counts": counts,
        "study_cases_file": settings.STUDY_CASES_FILE.name,
    })
