"""The disclosure rule applied to stored cases: the review a moderator sees and the public values.

*k* is counted on the official reference files shipped with the code (``cases/data/reference/``, the
very files ``load_territories`` loads), read once per process: the count does not depend on which
territories a given database happens to hold, and costs a few dictionary look-ups per case.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q

from ..territories.loading import read_reference
from ..text import fold
from ..vocabularies import Disclosure, Scope, TerritoryKind
from . import rule
from .names import Name, Occurrence, domain_name, find_link_occurrences, find_occurrences

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

@dataclass(frozen=True)
class Parts:
    """A case and its children as the review reads them: stored rows, or what a pending update proposes."""

    case: object
    tools: list
    stakeholders: list
    factors: list
    events: list
    sources: list


def stored_parts(case) -> Parts:
    return Parts(case, list(case.tools.all()), list(case.stakeholders.all()), list(case.factors.all()),
                 list(case.events.all()), list(case.sources.all()))


def _overlay(existing: list, rows: list[dict]) -> list:
    """Rows of a payload laid over the stored rows they name by ``id`` (a field left out keeps its value)."""
    by_id = {obj.pk: obj for obj in existing}
    result = []
    for row in rows:
        base = by_id.get(row.get("id"))
        values = {name: getattr(base, name) for name in vars(base) if not name.startswith("_")} if base else {}
        result.append(SimpleNamespace(**{**values, **{k: v for k, v in row.items() if k != "id"}}))
    return result


def proposed_parts(case, content: dict) -> Parts:
    """What ``case`` would be once ``content`` (a validated payload) is applied, without writing anything.

    Mirrors ``contributions.services.case_apply_content``: case fields replaced, rows matched by ``id`` (a
    row left out is deleted), factors replaced one by one, events kept when the payload has none.
    """
    stored = stored_parts(case)
    proposed = copy.copy(case)
    for name, value in content.get("case", {}).items():
        if name != "secondary_themes":
            setattr(proposed, name, value)
    refresh_public_values(proposed)
    factors = {f.factor: f for f in stored.factors}
    for code, row in (content.get("factors") or {}).items():
        base = factors.get(code)
        factors[code] = SimpleNamespace(factor=code, note=row.get("note") or "",
                                        assessment=row.get("assessment") or getattr(base, "assessment", ""))
    return Parts(proposed, _overlay(stored.tools, content.get("tools", [])),
                 _overlay(stored.stakeholders, content.get("stakeholders", [])), list(factors.values()),
                 _overlay(stored.events, content["events"]) if "events" in content else stored.events,
                 _overlay(stored.sources, content.get("sources", [])))


def identifying_names(case, parts: Parts | None = None) -> list[Name]:
    from ..models import Territory

    parts = parts or stored_parts(case)
    case = parts.case

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
    urls = [case.website, *(tool.url for tool in parts.tools), *(source.url for source in parts.sources)]
    names += [name for name in map(domain_name, urls) if name is not None]
    # What the case publishes anyway is not a finding: a single-département région (La Réunion) shares
    # its département's name.
    public = fold(case.public_region.name) if case.public_region is not None else None
    return [name for name in dict.fromkeys(names) if fold(name.text) != public]


def free_texts(case, parts: Parts | None = None) -> list[tuple[str, str]]:
    """Every free-text field a reader can see, with where it is (for the moderator).

    The fields are those of ``links.FREE_TEXT_FIELDS`` (the ones public values strip links from), plus
    the pseudonym.
    """
    parts = parts or stored_parts(case)
    case = parts.case
    texts = [("pseudonyme", case.pseudonym), ("présentation", case.summary)]
    for tool in parts.tools:
        texts += [(f"outil « {tool.name} »", f"{tool.name} {tool.software or ''}"),
                  (f"outil « {tool.name} » — justification", tool.classification_rationale)]
    texts += [(f"partie prenante « {s.name} »", f"{s.name} {s.role or ''}") for s in parts.stakeholders]
    texts += [(f"facteur {f.factor}", f.note) for f in parts.factors]
    texts += [(f"événement « {e.title} »", f"{e.title} {e.description or ''}") for e in parts.events]
    texts += [("source", f"{s.citation} {getattr(s, 'note', '') or ''}") for s in parts.sources]
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


def disclosure_review(case, content: dict | None = None) -> Review | None:
    """k, the steps applied and the identifying occurrences of a pseudonymised ``case`` (None if named).

    Occurrences are the identifying names found in its texts and every address written in them (no URL
    of a pseudonymised case is ever public: ``links``). With ``content`` (a pending update's validated
    payload), the review is that of the case as the update would make it.
    """
    disclosure = (content or {}).get("case", {}).get("disclosure", case.disclosure)
    if disclosure != Disclosure.PSEUDONYMISED:
        return None
    parts = proposed_parts(case, content) if content is not None else stored_parts(case)
    case = parts.case
    attributes = case_attributes(case)
    texts = free_texts(case, parts)
    return Review(case_decision(case), rule.exact_matches(attributes, reference_index()),
                  find_occurrences(texts, identifying_names(case, parts)) + find_link_occurrences(texts))
