"""Where a case may be shown on a map — never finer than the public may know.

A named case sits on its territory's point. A pseudonymised case sits on its région's point (or is
not placed at all when its région is unknown): its commune must not be inferable from the map.
"""

from dataclasses import dataclass
from typing import NamedTuple

from ..vocabularies import TerritoryKind


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    precision: str  # the territory kind the point stands for: commune, epci, departement, region…
    territory_code: str
    territory_name: str


def _point(territory, precision=None):
    if territory is None or territory.latitude is None or territory.longitude is None:
        return None
    return Location(territory.latitude, territory.longitude, precision or territory.kind, territory.code,
                    territory.name)


class Place(NamedTuple):
    """What a map point needs of a territory: read from ``values()`` rows where models would cost too much."""

    kind: str
    code: str
    name: str
    latitude: float | None
    longitude: float | None


def location_of(*, pseudonymised: bool, public_region_code: str, territory, region_of) -> Location | None:
    """The one placing rule, on a territory (a model or a ``Place``); ``region_of()`` gives its région.

    Only the région disclosure control kept (cases.disclosure) places a pseudonymised case, and none
    when it was generalised away. ``region_of`` is called only then, so a named case reads no région.
    """
    if territory is None:
        return None
    if pseudonymised:
        region = territory if territory.kind == TerritoryKind.REGION else region_of()
        if region is None or region.code != public_region_code:
            return None
        return _point(region, TerritoryKind.REGION)
    return _point(territory)


def case_location(case) -> Location | None:
    """The public map point of ``case`` (uses ``territory`` and ``territory.region``, select_related)."""
    territory = case.territory
    return location_of(pseudonymised=case.is_pseudonymised, public_region_code=case.public_region_code,
                       territory=territory, region_of=lambda: territory.region)


def feature_at(location: Location, *, slug: str, name: str, url: str, highest_mode, **extra_properties) -> dict:
    """The RFC 7946 Feature of a placed case (longitude first): one shape for the map and the API."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(location.longitude, 5), round(location.latitude, 5)]},
        "properties": {
            "slug": slug,
            "name": name,
            "url": url,
            "highest_mode": highest_mode,
            "location_precision": location.precision,
            **extra_properties,
        },
    }


def case_feature(case, **extra_properties) -> dict | None:
    """The RFC 7946 Feature of a case (longitude first), or None when it cannot be placed.

    Shared by the map data and the API's GeoJSON so both place and describe a case identically.
    """
    location = case_location(case)
    if location is None:
        return None
    # A caller that computed ``url`` or ``highest_mode`` in bulk (the map of every case) passes them:
    # the defaults cost a URL reversal and a pass over the prefetched tools per case.
    url = extra_properties.pop("url") if "url" in extra_properties else case.get_absolute_url()
    highest_mode = (extra_properties.pop("highest_mode") if "highest_mode" in extra_properties
                    else case.highest_mode)
    return feature_at(location, slug=case.slug, name=case.display_name, url=url, highest_mode=highest_mode,
                      **extra_properties)
