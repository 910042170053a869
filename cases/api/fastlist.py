"""The fast path of ``/api/v1/cases/`` in JSON: ``CaseSummarySerializer``'s output, without its machinery.

A page of 50 cases through DRF's serializer walks ~40 field objects per case (nested serializers,
``get_attribute``, ``to_representation``): most of the request's time at national scale. This builds
the very same dicts (same keys, order and values — ``tests/api/test_fast_list.py`` compares both on
named and pseudonymised cases) straight from the ``public_case`` wrapper, so the disclosure rules still
apply in one place. ``CaseSummarySerializer`` stays the declared schema of the endpoint: the OpenAPI
document does not change, and a field added to the serializer fails that test until it is added here.
"""

from collections import defaultdict
from datetime import UTC

from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseCollectionMethod, CaseSecondaryTheme, DigitalTool
from cases.vocabularies import CoproductionMode

from .public import public_case
from .serializers import INSTANT_FORMAT

# Territory columns the summary never reads (``public_case`` reads kind, code, name, the point, cog_year).
_UNREAD_PLACE = ("siren", "search_name", "epci_type", "population", "population_year")


def load_cases(ids) -> list:
    """The cases ``ids`` in that order, with their places, and their tools' modes and types, themes and
    collection methods as plain lists: four queries, no ``prefetch_related`` (which builds a queryset per
    case and relation — most of a page's time at 50 cases)."""
    # Published only: a case withdrawn between the page's key query and this one is left out, not shown.
    # Only the columns the summary reads: most of a page's time is building these model instances.
    cases = {case.pk: case for case in Case.objects.published().select_related(
        "territory", "territory__departement", "territory__region", "territory__epci",
    ).defer("summary", "search_text", "disclosure_steps", *(f"territory__{name}" for name in _UNREAD_PLACE),
            ).filter(pk__in=ids).order_by()}
    tools, themes, methods = defaultdict(list), defaultdict(list), defaultdict(list)
    for case_id, mode, tool_type in DigitalTool.objects.filter(case_id__in=ids).values_list(
            "case_id", "coproduction_mode", "tool_type").order_by():
        tools[case_id].append((mode, tool_type))
    for case_id, theme in CaseSecondaryTheme.objects.filter(case_id__in=ids).values_list(
            "case_id", "theme").order_by("theme"):
        themes[case_id].append(theme)
    for case_id, method in CaseCollectionMethod.objects.filter(case_id__in=ids).values_list(
            "case_id", "method").order_by("method"):
        methods[case_id].append(method)
    ordered = []
    for pk in ids:
        if pk in cases:
            case = cases[pk]
            case.summary_tools, case.summary_themes, case.summary_methods = tools[pk], themes[pk], methods[pk]
            ordered.append(case)
    return ordered


def _rank(mode):
    return CoproductionMode.rank(mode)


def _place(place):
    return None if place is None else {"code": str(place.code), "name": str(place.name)}


def _datetime(value):
    """The API's one instant format (``serializers.INSTANT_FORMAT``): UTC, to the second, with a "Z"."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value, UTC)
    return value.strftime(INSTANT_FORMAT)


def case_summaries(cases, request) -> list[dict]:
    """``CaseSummarySerializer(cases, many=True).data`` for cases from ``load_cases``."""
    absolute = request.build_absolute_uri
    # One reversal each: every URL differs only by its slug.
    site_url = reverse("cases:case_detail", kwargs={"slug": "__slug__"})
    api_url = reverse("api:case-detail", kwargs={"slug": "__slug__"})
    rows = []
    for case in cases:
        p = public_case(case)
        territory, location = p.territory, p.location
        # Tools, themes and methods read the same for every case, pseudonymised or not (CASE_PASSTHROUGH).
        tools = case.summary_tools
        modes = sorted({mode for mode, _type in tools}, key=_rank)
        rows.append({
            "public_id": str(p.public_id),
            "slug": p.slug,
            "name": p.name,
            "url": absolute(site_url.replace("__slug__", p.slug)),
            "api_url": absolute(api_url.replace("__slug__", p.slug)),
            "disclosure": p.disclosure or None,
            "scope": p.scope or None,
            "carrier": p.carrier or None,
            "territory": None if territory is None else {
                "code": str(territory.code), "name": str(territory.name), "kind": territory.kind or None},
            "departement": _place(p.departement),
            "epci": _place(p.epci),
            "region": _place(p.region),
            "area": p.area or None,
            "disclosure_k": p.disclosure_k,
            "cog_year": p.cog_year,
            "location": None if location is None else {
                "longitude": float(location.longitude), "latitude": float(location.latitude),
                "precision": location.precision or None},
            "population_city": p.population_city,
            "population_city_band": p.population_city_band or None,
            "population_epci": p.population_epci,
            "population_epci_band": p.population_epci_band or None,
            "population_year": p.population_year,
            "seasonal_population_peak": p.seasonal_population_peak,
            "population_disclosure": p.population_disclosure or None,
            "launch_year": p.launch_year,
            "launch_date": None if p.launch_date is None else p.launch_date.isoformat(),
            "horizon_year": p.horizon_year,
            "dominant_theme": p.dominant_theme or None,
            "secondary_themes": case.summary_themes,
            "management_mode": p.management_mode or None,
            "collection_methods": case.summary_methods,
            "observation_start_year": p.observation_start_year,
            "observation_end_year": p.observation_end_year,
            "website": p.website,
            "tool_count": len(tools),
            "modes": modes,
            "tool_types": sorted({tool_type for _mode, tool_type in tools}),
            "highest_mode": modes[-1] if modes else None,
            "published_at": _datetime(p.published_at),
            "updated_at": _datetime(p.updated_at),
        })
    return rows
