"""Where a case may be shown on a map — never finer than the public may know.

A named case sits on its territory's point. A pseudonymised case sits on its région's point (or is
not placed at all when its région is unknown): its commune must not be inferable from the map.
"""

from dataclasses import dataclass

from .vocabularies import TerritoryKind


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


def case_location(case) -> Location | None:
    """The public map point of ``case`` (uses ``territory`` and ``territory.region``, select_related)."""
    territory = case.territory
    if territory is None:
        return None
    if case.is_pseudonymised:
        region = territory if territory.kind == TerritoryKind.REGION else territory.region
        return _point(region, TerritoryKind.REGION)
    return _point(territory)
