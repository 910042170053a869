"""The disclosure-control rule, as a pure function of plain values (no database, no Django model).

A pseudonymised case publishes a few *quasi-identifiers*: the kind of collectivity it is about, an
area (its région, or only "France métropolitaine" / "Outre-mer"), and population bands of its centre
city and of its EPCI. *k* is the number of real collectivities of the reference data that match all
of them. Publication needs ``k >= min_k``; when it is lower, the ladder below coarsens what is
published, one step at a time and always in the same order, until it passes (docs/disclosure.md):

1. ``widen_bands``      the bands become four wide ones: < 10 000, 10 000–49 999, 50 000–199 999, 200 000 +;
2. ``drop_epci_band``   the EPCI band is no longer published;
3. ``region_to_area``   the région becomes "France métropolitaine" or "Outre-mer";
4. ``widen_city_band``  the city band becomes < 50 000 or 50 000 + ;
5. ``drop_city_band``   no city band at all;
6. ``area_to_france``   no area at all.

Every band boundary of a coarser level is a boundary of the finer one, so a coarser band is a union of
finer ones and the counts can be summed from one pre-computed index (``CandidateIndex``) instead of
scanning 35 000 communes per step.

Exact figures (populations, seasonal peak) are never published for a pseudonymised case: they are not
counted here because they are never shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Région codes of the five overseas régions (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte).
OVERSEAS_REGIONS = frozenset({"01", "02", "03", "04", "06"})
METRO, OVERSEAS = "metro", "outremer"

# Band ladders: (code, low, high) with high exclusive, None = unbounded. Level 0 is cases.vocabularies'.
FINE_BANDS = [
    ("lt_2k", 0, 2_000), ("2k_10k", 2_000, 10_000), ("10k_20k", 10_000, 20_000),
    ("20k_50k", 20_000, 50_000), ("50k_100k", 50_000, 100_000), ("100k_200k", 100_000, 200_000),
    ("200k_500k", 200_000, 500_000), ("500k_plus", 500_000, None),
]
WIDE_BANDS = [("lt_10k", 0, 10_000), ("10k_50k", 10_000, 50_000), ("50k_200k", 50_000, 200_000),
              ("200k_plus", 200_000, None)]
WIDER_BANDS = [("lt_50k", 0, 50_000), ("50k_plus", 50_000, None)]
BAND_LEVELS = (FINE_BANDS, WIDE_BANDS, WIDER_BANDS)
BOUNDS = {code: (low, high) for level in BAND_LEVELS for code, low, high in level}

STEPS = ("widen_bands", "drop_epci_band", "region_to_area", "widen_city_band", "drop_city_band",
         "area_to_france")


def band_at(population: int | None, level: int) -> str | None:
    """The code of the band of ``level`` (0 fine, 1 wide, 2 wider) holding ``population``."""
    if population is None or level >= len(BAND_LEVELS):
        return None
    for code, low, high in BAND_LEVELS[level]:
        if population >= low and (high is None or population < high):
            return code
    return None


def area_of(region_code: str | None) -> str | None:
    if not region_code:
        return None
    return OVERSEAS if region_code in OVERSEAS_REGIONS else METRO


@dataclass(frozen=True)
class Candidate:
    """A real collectivity, as the plain values the rule compares."""

    kind: str  # commune, epci, ept, departement, region
    region: str | None
    city: int | None  # commune: its population; EPCI/EPT: its largest member commune's; else None
    epci: int | None  # commune: its EPCI's population; EPCI/EPT: its own; else None


@dataclass(frozen=True)
class Attributes:
    """What is known of a case before generalisation (exact values, never published as such)."""

    kind: str | None  # the kind of collectivity; None when the case names none (nothing territorial)
    region: str | None
    city: int | None
    epci: int | None


@dataclass(frozen=True)
class Published:
    """What a pseudonymised case publishes: the generalised values. ``None`` means "not published"."""

    kind: str | None
    region: str | None = None  # a région code, when published
    area: str | None = None  # METRO / OVERSEAS when the région is not published
    city_band: str | None = None
    epci_band: str | None = None


@dataclass(frozen=True)
class Decision:
    k: int | None  # None: nothing territorial is published (a national initiative), nothing to count
    min_k: int
    published: Published
    steps: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passes(self) -> bool:
        return self.k is None or self.k >= self.min_k


class CandidateIndex:
    """Counts of candidates by (kind, région, fine city band, fine EPCI band): every query is a sum."""

    def __init__(self, candidates):
        self.counts = Counter((c.kind, c.region, band_at(c.city, 0), band_at(c.epci, 0)) for c in candidates)

    def count(self, published: Published) -> int:
        return sum(n for key, n in self.counts.items() if _matches(key, published))


def _within(fine_code: str | None, code: str | None) -> bool:
    """Whether the fine band ``fine_code`` lies inside the (possibly coarser) band ``code``."""
    if code is None:
        return True
    if fine_code is None:
        return False
    low, high = BOUNDS[fine_code]
    outer_low, outer_high = BOUNDS[code]
    return low >= outer_low and (outer_high is None or (high is not None and high <= outer_high))


def _matches(key, published: Published) -> bool:
    kind, region, city, epci = key
    if kind != published.kind:
        return False
    if published.region is not None and region != published.region:
        return False
    if published.area is not None and area_of(region) != published.area:
        return False
    return _within(city, published.city_band) and _within(epci, published.epci_band)


def _published_at(attributes: Attributes, steps: tuple[str, ...]) -> Published:
    level = 1 if "widen_bands" in steps else 0
    city_level = 3 if "drop_city_band" in steps else 2 if "widen_city_band" in steps else level
    epci_level = 3 if "drop_epci_band" in steps else level
    region = None if {"region_to_area", "area_to_france"} & set(steps) else attributes.region
    area = None
    if "region_to_area" in steps and "area_to_france" not in steps:
        area = area_of(attributes.region)
    return Published(attributes.kind, region, area, band_at(attributes.city, city_level),
                     band_at(attributes.epci, epci_level))


def generalise(attributes: Attributes, index: CandidateIndex, min_k: int) -> Decision:
    """Apply the ladder to ``attributes`` until at least ``min_k`` candidates match.

    The first rung with enough candidates wins; when even the last one has too few, the last rung is
    returned with its (too small) *k*: publication is then refused unless a moderator overrides it.
    """
    if attributes.kind is None:
        return Decision(None, min_k, Published(None))
    applied: tuple[str, ...] = ()
    published = _published_at(attributes, applied)
    k = index.count(published)
    for step in STEPS:
        if k >= min_k:
            break
        applied += (step,)
        published = _published_at(attributes, applied)
        k = index.count(published)
    return Decision(k, min_k, published, applied)


def exact_matches(attributes: Attributes, index: CandidateIndex) -> int:
    """*k* if the fine bands and the région were published as they are (what the review shows as "before")."""
    if attributes.kind is None:
        return 0
    return index.count(_published_at(attributes, ()))


def candidates_from_reference(reference: dict[str, list[dict]]) -> list[Candidate]:
    """Candidates from ``cases.territories.loading.read_reference()`` (the shipped official files)."""
    communes = reference["commune"]
    epci_population = {row["code"]: row["population"] for row in reference["epci"]}
    largest: dict[str, int] = {}
    for row in communes:
        for parent in (row.get("epci_code"), row.get("ept_code")):
            if parent and (row["population"] or 0) > largest.get(parent, -1):
                largest[parent] = row["population"] or 0
    candidates = [Candidate("commune", row["region_code"], row["population"],
                            epci_population.get(row.get("epci_code"))) for row in communes]
    for kind in ("epci", "ept"):
        candidates += [Candidate(kind, row["region_code"], largest.get(row["code"]), row["population"])
                       for row in reference[kind]]
    candidates += [Candidate("departement", row["region_code"], None, None) for row in reference["departement"]]
    candidates += [Candidate("region", row["code"], None, None) for row in reference["region"]]
    return candidates


__all__ = ["BAND_LEVELS", "STEPS", "Attributes", "Candidate", "CandidateIndex", "Decision", "Published",
           "area_of", "band_at", "candidates_from_reference", "exact_matches", "generalise"]
