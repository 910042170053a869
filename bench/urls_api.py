"""Bench-only URLconf: the real site plus a floor to compare the API against.

``/bench/floor-cases/`` answers ``/api/v1/cases/?page_size=N`` (default order, no filter) with the very
same bytes — bench/bench_api.py checks it — built by hand: one ``values()`` query for the page with its
territories, one for its tools, one each for its secondary themes and collection methods, one count,
the disclosure rules written out inline, ``json.dumps``. No framework, no cache: what the endpoint's
answer costs at least when computed on each request.
"""

import json
from collections import defaultdict
from datetime import UTC
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone

from cases.models import Case, CaseCollectionMethod, CaseSecondaryTheme, DigitalTool
from cases.vocabularies import POPULATION_BANDS, CoproductionMode

FIELDS = ("pk", "public_id", "public_region_code", "public_area", "public_city_band", "public_epci_band",
          "disclosure_k", "slug", "title", "pseudonym", "disclosure", "scope", "carrier", "population_city",
          "population_epci", "population_year", "seasonal_population_peak", "population_disclosure",
          "launch_year", "launch_date", "horizon_year", "dominant_theme", "management_mode",
          "observation_start_year", "observation_end_year", "website", "published_at", "updated_at")
PLACES = {
    "t": "territory", "d": "territory__departement", "e": "territory__epci", "r": "territory__region",
}
PLACE_FIELDS = ("code", "name", "kind", "latitude", "longitude", "cog_year")
RANK = {mode: rank for rank, mode in enumerate(CoproductionMode.values, start=1)}


def _band(population):
    if population is None:
        return None
    for code, low, high, _label in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return code
    return None


def _instant(value):
    return None if value is None else timezone.localtime(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _public_band(row, which, pseudonymised):
    """The band a reader sees: the one disclosure control left for a pseudonymised case."""
    if pseudonymised:
        return row[f"public_{which}_band"] or None
    return _band(row[f"population_{which}"])


def _place(row, prefix, kind=None):
    """``{code, name}`` of the place under ``prefix`` (the territory itself when it is of ``kind``)."""
    if row["t_code"] is None:
        return None
    if kind is not None and row["t_kind"] == kind:
        prefix = "t"
    if row[f"{prefix}_code"] is None:
        return None
    return {"code": row[f"{prefix}_code"], "name": row[f"{prefix}_name"]}


def _location(row, pseudonymised):
    if row["t_code"] is None or (pseudonymised and not row["public_region_code"]):
        return None
    prefix = "t" if not pseudonymised or row["t_kind"] == "region" else "r"
    if row[f"{prefix}_latitude"] is None or row[f"{prefix}_longitude"] is None:
        return None
    return {"longitude": row[f"{prefix}_longitude"], "latitude": row[f"{prefix}_latitude"],
            "precision": "region" if pseudonymised else row["t_kind"]}


def floor_cases(request):
    size = int(request.GET.get("page_size", 50))
    names = {f"{short}_{name}": f"{prefix}__{name}" for short, prefix in PLACES.items() for name in PLACE_FIELDS}
    published = Case.objects.published()
    rows = list(published.order_by("slug").values(*FIELDS, **{k: _field(v) for k, v in names.items()})[:size])
    ids = [row["pk"] for row in rows]
    tools = defaultdict(list)
    for case_id, mode, tool_type in DigitalTool.objects.filter(case_id__in=ids).values_list(
            "case_id", "coproduction_mode", "tool_type"):
        tools[case_id].append((mode, tool_type))
    themes, methods = defaultdict(list), defaultdict(list)
    for case_id, theme in CaseSecondaryTheme.objects.filter(case_id__in=ids).order_by("theme").values_list(
            "case_id", "theme"):
        themes[case_id].append(theme)
    for case_id, method in CaseCollectionMethod.objects.filter(case_id__in=ids).order_by("method").values_list(
            "case_id", "method"):
        methods[case_id].append(method)
    site = request.build_absolute_uri(reverse("cases:case_detail", kwargs={"slug": "__slug__"}))
    api = request.build_absolute_uri(reverse("api:case-detail", kwargs={"slug": "__slug__"}))
    results = []
    for row in rows:
        pseudonymised = row["disclosure"] == "pseudonymised"
        exact = not pseudonymised  # disclosure control: never an exact figure of a pseudonymised case
        modes = sorted({mode for mode, _t in tools[row["pk"]]}, key=lambda m: RANK.get(m, 0))
        hidden = pseudonymised or row["t_code"] is None
        results.append({
            "public_id": str(row["public_id"]),
            "slug": row["slug"],
            "name": row["pseudonym"] if pseudonymised else row["title"],
            "url": site.replace("__slug__", row["slug"]),
            "api_url": api.replace("__slug__", row["slug"]),
            "disclosure": row["disclosure"] or None,
            "scope": row["scope"] or None,
            "carrier": row["carrier"] or None,
            "territory": None if hidden else {"code": row["t_code"], "name": row["t_name"], "kind": row["t_kind"]},
            "departement": None if hidden else _place(row, "d", "departement"),
            "epci": None if hidden else _place(row, "e", "epci"),
            "region": None if pseudonymised and not row["public_region_code"] else _place(row, "r", "region"),
            "area": (row["public_area"] or None) if pseudonymised else None,
            "disclosure_k": row["disclosure_k"] if pseudonymised else None,
            "cog_year": row["t_cog_year"],
            "location": _location(row, pseudonymised),
            "population_city": row["population_city"] if exact else None,
            "population_city_band": _public_band(row, "city", pseudonymised),
            "population_epci": row["population_epci"] if exact else None,
            "population_epci_band": _public_band(row, "epci", pseudonymised),
            "population_year": row["population_year"],
            "seasonal_population_peak": row["seasonal_population_peak"] if exact else None,
            "population_disclosure": row["population_disclosure"] or None,
            "launch_year": row["launch_year"],
            "launch_date": row["launch_date"].isoformat() if row["launch_date"] else None,
            "horizon_year": row["horizon_year"],
            "dominant_theme": row["dominant_theme"] or None,
            "secondary_themes": themes[row["pk"]],
            "management_mode": row["management_mode"] or None,
            "collection_methods": methods[row["pk"]],
            "observation_start_year": row["observation_start_year"],
            "observation_end_year": row["observation_end_year"],
            "website": None if pseudonymised else (row["website"] or None),
            "tool_count": len(tools[row["pk"]]),
            "modes": modes,
            "tool_types": sorted({tool_type for _m, tool_type in tools[row["pk"]]}),
            "highest_mode": modes[-1] if modes else None,
            "published_at": _instant(row["published_at"]),
            "updated_at": _instant(row["updated_at"]),
        })
    count = published.count()
    query = request.GET.copy()
    query["page"] = "2"
    base = request.build_absolute_uri(reverse("api:case-list"))
    body = {
        "count": count,
        "next": f"{base}?{urlencode(sorted(query.items()))}" if count > size else None,
        "previous": None,
        "results": results,
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    # As DRF's JSONRenderer: these two are valid JSON but not valid JavaScript.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return HttpResponse(text.encode(), content_type="application/json")


def _field(lookup):
    from django.db.models import F

    return F(lookup)


urlpatterns = [
    path("bench/floor-cases/", floor_cases),
    path("", include("observatory.urls")),
]
