"""The disclosure rule applied to stored cases: the review a moderator sees and the public values.

*k* is counted on the official reference files shipped with the code (``cases/data/reference/``, the
very files ``load_territories`` loads), read once per process: the count does not depend on which
territories a given database happens to hold, and costs a few dictionary look-ups per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Q

from ..territories.loading import read_reference
from ..text import fold
from ..vocabularies import Scope, TerritoryKind
from . import rule
from .names import Name, Occurrence, domain_name, find_occurrences

TERRITORIAL_SCOPES = {Scope.COMMUNE, Scope.EPCI, Scope.DEPARTEMENT, Scope.REGION}


def min_k() -> int:
    return getattr(settings, "DISCLOSURE_MIN_K", 5)


@lru_cache(maxsize=1)
def reference_index() -> rule.CandidateIndex:
    return rule.CandidateIndex(rule.candidates_from_reference(read_reference()))


def _region_code(territory) -> str | None:
    if territory is None:
        return None
    region = territory if territory.kind == TerritoryKind.REGION else territory.region
    return region.code if region is not None else None


def case_attributes(case) -> rule.Attributes:
    """What the rule knows of ``case``: kind of collectivity, région, exact populations."""
    territory = case.territory
    if territory is not None:
        kind = territory.kind
    elif case.scope in TERRITORIAL_SCOPES:
        kind = case.scope
    elif case.population_city is not None:
        kind = TerritoryKind.COMMUNE  # a "ville centre" with no territory recorded: the study's A, B, C
    elif case.population_epci is not None:
        kind = TerritoryKind.EPCI
    else:
        kind = None
    return rule.Attributes(kind, _region_code(territory), case.population_city, case.population_epci)


def case_decision(case) -> rule.Decision:
    return rule.generalise(case_attributes(case), reference_index(), min_k())


def public_values(case) -> dict:
    """The stored public values of ``case`` (``Case.public_*`` and ``disclosure_*``).

    A named case publishes its région, fine bands and exact city population (for sorting); a
    pseudonymised one only what the ladder leaves.
    """
    if not case.is_pseudonymised:
        city = rule.band_at(case.population_city, 0)
        return {"public_region_code": _region_code(case.territory) or "", "public_area": "",
                "public_city_band": city or "", "public_epci_band": rule.band_at(case.population_epci, 0) or "",
                "public_population_floor": case.population_city, "disclosure_k": None, "disclosure_steps": []}
    decision = case_decision(case)
    published = decision.published
    city_band = published.city_band
    return {
        "public_region_code": published.region or "", "public_area": published.area or "",
        "public_city_band": city_band or "", "public_epci_band": published.epci_band or "",
        # Sorting by population sees the lower bound of the band the reader sees, never the figure.
        "public_population_floor": rule.BOUNDS[city_band][0] if city_band else None,
        "disclosure_k": decision.k, "disclosure_steps": list(decision.steps),
    }


def refresh_public_values(case) -> bool:
    """Set the public values on the instance; True when one changed."""
    changed = False
    for name, value in public_values(case).items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
    return changed


# --- the moderator's review --------------------------------------------------------------------------

def identifying_names(case) -> list[Name]:
    from ..models import Territory

    names: list[Name] = []
    territory = case.territory
    if territory is not None:
        names.append(Name("territory", territory.name))
        for kind, parent in (("epci", territory.epci), ("epci", territory.ept),
                             ("departement", territory.departement)):
            if parent is not None:
                names.append(Name(kind, parent.name))
        if territory.region is not None and not case.public_region_code:
            names.append(Name("region", territory.region.name))
        neighbours = Q()
        if territory.epci_id:
            neighbours |= Q(epci_id=territory.epci_id)
        if territory.departement_id:
            neighbours |= Q(departement_id=territory.departement_id)
        if territory.kind in (TerritoryKind.EPCI, TerritoryKind.EPT):
            neighbours |= Q(epci_id=territory.pk) | Q(ept_id=territory.pk)
        if territory.kind == TerritoryKind.REGION:
            neighbours |= Q(region_id=territory.pk, kind=TerritoryKind.DEPARTEMENT)
        if neighbours:
            for name in (Territory.objects.filter(neighbours).exclude(pk=territory.pk)
                         .values_list("name", flat=True).distinct()):
                names.append(Name("neighbour", name))
    # Exact figures are identifying too (a web search of one found two of the study's towns): in digits,
    # grouped or not ("25532", "25 532"; fold turns every other separator into a space).
    for figure in (case.population_city, case.population_epci, case.seasonal_population_peak):
        if figure is not None and figure >= 1000:
            names += [Name("figure", str(figure)), Name("figure", f"{figure:,}".replace(",", " "))]
    urls = [case.website, *(tool.url for tool in case.tools.all()), *(source.url for source in case.sources.all())]
    names += [name for name in map(domain_name, urls) if name is not None]
    # What the case publishes anyway is not a finding: a single-département région (La Réunion) shares
    # its département's name.
    public = fold(case.public_region.name) if case.public_region is not None else None
    return [name for name in dict.fromkeys(names) if fold(name.text) != public]


def free_texts(case) -> list[tuple[str, str]]:
    """Every free-text field a reader can see, with where it is (for the moderator)."""
    texts = [("pseudonyme", case.pseudonym), ("présentation", case.summary)]
    for tool in case.tools.all():
        texts += [(f"outil « {tool.name} »", f"{tool.name} {tool.software}"),
                  (f"outil « {tool.name} » — justification", tool.classification_rationale)]
    texts += [(f"partie prenante « {s.name} »", f"{s.name} {s.role}") for s in case.stakeholders.all()]
    texts += [(f"facteur {f.factor}", f.note) for f in case.factors.all()]
    texts += [(f"événement « {e.title} »", f"{e.title} {e.description}") for e in case.events.all()]
    texts += [("source", f"{s.citation} {s.note}") for s in case.sources.all()]
    return texts


@dataclass
class Review:
    """What the moderator sees before publishing a pseudonymised case."""

    decision: rule.Decision
    exact_k: int  # the candidates if the fine bands and the région were published unchanged
    occurrences: list[Occurrence]

    @property
    def passes(self) -> bool:
        return self.decision.passes and not self.occurrences

    @property
    def steps(self):
        return self.decision.steps


def disclosure_review(case) -> Review | None:
    """k, the steps applied and the identifying occurrences of a pseudonymised ``case`` (None if named)."""
    if not case.is_pseudonymised:
        return None
    attributes = case_attributes(case)
    return Review(case_decision(case), rule.exact_matches(attributes, reference_index()),
                  find_occurrences(free_texts(case), identifying_names(case)))
