"""The fast path of ``/api/v1/cases/`` in JSON: ``CaseSummarySerializer``'s output, without its machinery.

A page of 50 cases through DRF's serializer walks ~40 field objects per case (nested serializers,
``get_attribute``, ``to_representation``): most of the request's time at national scale. This builds
the very same dicts (same keys, order and values — ``tests/api/test_fast_list.py`` compares both on
named and pseudonymised cases) straight from the ``public_case`` wrapper, so the disclosure rules still
apply in one place. ``CaseSummarySerializer`` stays the declared schema of the endpoint: the OpenAPI
document does not change, and a field added to the serializer fails that test until it is added here.
"""

from datetime import UTC

from django.urls import reverse
from django.utils import timezone

from .public import public_case


def _place(place):
    return None if place is None else {"code": str(place.code), "name": str(place.name)}


def _datetime(value):
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value, UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def case_summaries(cases, request) -> list[dict]:
    """``CaseSummarySerializer(cases, many=True).data`` for cases loaded ``with_profile``."""
    absolute = request.build_absolute_uri
    # One reversal each: every URL differs only by its slug.
    site_url = reverse("cases:case_detail", kwargs={"slug": "__slug__"})
    api_url = reverse("api:case-detail", kwargs={"slug": "__slug__"})
    rows = []
    for case in cases:
        p = public_case(case)
        territory, location = p.territory, p.location
        tools = p.tools
        rows.append({
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
            "secondary_themes": list(p.secondary_themes),
            "management_mode": p.management_mode or None,
            "collection_methods": list(p.collection_methods),
            "observation_start_year": p.observation_start_year,
            "observation_end_year": p.observation_end_year,
            "website": p.website,
            "tool_count": len(tools),
            "modes": p.modes,
            "tool_types": p.tool_types,
            "highest_mode": p.highest_mode or None,
            "published_at": _datetime(p.published_at),
            "updated_at": _datetime(p.updated_at),
        })
    return rows
