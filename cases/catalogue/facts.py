"""What the facets count, for every published case, held in memory once per data version.

Facet counts are disjunctive: each facet is counted over the cases matching every *other* filter. As
GROUP BY queries that is ten joins over the filtered cases, recomputed for each filter set after every
write — the cost that made the list slow right after a publication. Here the facts a facet reads (its
themes, tools' modes, types and statuses, public région and bands) are loaded once per data version
(four plain queries, shared by the processes through the cache), and a facet is counted in Python over
the ids the shared FilterSet selects: one ``values_list("pk")`` query per distinct filter set, and a set
intersection per option. The statistics read the same facts (``statistics.raw_statistics``).

The rules are those of the filters, so that an option's count is the number of cases ticking it gives
(``tests/catalogue/test_facets_agree.py`` checks exactly that): a pseudonymised case counts in a
population band only under the band it publishes, and in a région only when disclosure control kept it;
a tool a study reports jointly for several cases counts once for each of them.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.signals import request_finished

from ..vocabularies import POPULATION_BANDS, Disclosure, population_band
from .freshness import cached, data_version

_FINE_BANDS = {code for code, _low, _high, _label in POPULATION_BANDS}


def _band(disclosure, exact, public) -> str | None:
    if disclosure == Disclosure.PSEUDONYMISED:
        # Only its published band, and only a fine one (a widened band lies in no single fine band).
        return public if public in _FINE_BANDS else None
    band = population_band(exact)
    return band[0] if band else None


class CaseRow(NamedTuple):
    """What the statistics read of a published case (a tuple: 10,000 of them unpickle fast)."""

    dominant_theme: str
    management_mode: str
    city_band: str | None  # as for the facets: the fine band it is found under, if any
    named: bool
    region_code: str | None  # a named case's territory's région; a pseudonymised one's published région
    launch_year: int | None


@dataclass(frozen=True)
class Facts:
    index: dict  # facet name -> value -> set of published case ids
    cases: dict  # case id -> CaseRow
    tools: dict  # case id -> [(mode, tool type, status)] of its own tools
    findings: list  # (mode, tool type, frozenset of case ids): the study's tools, each reported once
    region_names: dict  # région code -> name
    title_rank: dict  # case id -> its place in the list's default order (public name, then slug)


def _load() -> Facts:
    from ..models import Case, CaseSecondaryTheme, DigitalTool, StudyFinding, Territory
    from ..vocabularies import TerritoryKind

    index: dict[str, dict] = {name: defaultdict(set) for name in FACETS}

    def add(name, value, pk):
        if value:  # an empty value is in no facet
            index[name][value].add(pk)

    cases = {}
    # In the list's default order, sorted by the database (whose collation the SQL orderings use): each
    # case's place in it is its rank, and a filtered list in that order is a sort of its ids on the rank.
    for (pk, dominant_theme, management_mode, carrier, disclosure, public_region_code, region_code, region_name,
         city, epci, public_city, public_epci, launch_year) in Case.objects.published().with_public_name().order_by(
            "public_name", "slug").values_list(
            "pk", "dominant_theme", "management_mode", "carrier", "disclosure", "public_region_code",
            "territory__region__code", "territory__region__name", "population_city", "population_epci",
            "public_city_band", "public_epci_band", "launch_year"):
        named = disclosure == Disclosure.NAMED
        city_band = _band(disclosure, city, public_city)
        cases[pk] = CaseRow(dominant_theme, management_mode, city_band, named,
                            region_code if named else public_region_code, launch_year)
        add("dominant_theme", dominant_theme, pk)
        add("management_mode", management_mode, pk)
        add("carrier", carrier, pk)
        # The région of its territory; a pseudonymised case's only when disclosure control kept it.
        if region_code is not None and (named or public_region_code != ""):
            add("region", (region_code, region_name), pk)
        add("population_city_band", city_band, pk)
        add("population_epci_band", _band(disclosure, epci, public_epci), pk)
    # Children are read whole and kept for published cases: no join, the cheapest scan of each table.
    tools: dict[int, list] = {}
    # The hot loop (50,000 tools at national scale): the three indexes held in locals.
    by_mode, by_type, by_status = index["mode"], index["tool_type"], index["tool_status"]
    for case_id, mode, tool_type, status in DigitalTool.objects.values_list(
            "case_id", "coproduction_mode", "tool_type", "status").order_by():
        if case_id in cases:
            tools.setdefault(case_id, []).append((mode, tool_type, status))
            if mode:
                by_mode[mode].add(case_id)
            if tool_type:
                by_type[tool_type].add(case_id)
            if status:
                by_status[status].add(case_id)
    # A tool a study reports jointly for several cases counts for each of them in the facets (it has no
    # status), and once in the statistics.
    findings: dict[int, tuple] = {}
    for finding_id, case_id, mode, tool_type in StudyFinding.cases.through.objects.filter(
            studyfinding__kind="tool").values_list("studyfinding_id", "case_id", "studyfinding__coproduction_mode",
                                                   "studyfinding__tool_type").order_by():
        if case_id in cases:
            add("mode", mode, case_id)
            add("tool_type", tool_type, case_id)
            findings.setdefault(finding_id, (mode, tool_type, set()))[2].add(case_id)
    for case_id, theme in CaseSecondaryTheme.objects.values_list("case_id", "theme").order_by():
        if case_id in cases:
            add("secondary_theme", theme, case_id)
    return Facts(
        index={name: dict(values) for name, values in index.items()}, cases=cases, tools=tools,
        findings=[(mode, tool_type, frozenset(ids)) for mode, tool_type, ids in findings.values()],
        region_names=dict(Territory.objects.filter(kind=TerritoryKind.REGION).values_list("code", "name")),
        title_rank={pk: rank for rank, pk in enumerate(cases)},
    )


FACETS = ("mode", "tool_type", "tool_status", "dominant_theme", "management_mode", "carrier", "secondary_theme",
          "region", "population_city_band", "population_epci_band")

_loaded: tuple[int, Facts] | None = None
# Below this many published cases the facts are too small for the collector to notice (see below).
FREEZE_FROM = 1_000


def current() -> Facts:
    """The facts at the current data version.

    Built by one process after a write and shared through the cache (a few MB pickled: every worker
    reads them in tens of milliseconds instead of each rebuilding them), then kept in this process's
    memory until the version changes.
    """
    global _loaded
    version = data_version()
    if _loaded is None or _loaded[0] != version:
        _loaded = (version, cached("facts", None, _load))
        if len(_loaded[1].cases) >= FREEZE_FROM:
            request_finished.connect(_freeze_long_lived, dispatch_uid="facts-freeze")
    return _loaded[1]


def _freeze_long_lived(**kwargs) -> None:
    """Put the facts (and whatever else lives long) out of the garbage collector's sight, once per version.

    They are some 100,000 containers: every full collection walked them, about 100 ms, in one request out
    of ten — the pages' slowest 5 %. Frozen objects are never scanned; they are still freed by reference
    counting when the next version replaces them (the facts hold no reference cycle). This runs after the
    response is sent, behind one collection so that no garbage cycle of the moment is frozen for good.
    """
    request_finished.disconnect(_freeze_long_lived, dispatch_uid="facts-freeze")
    gc.collect()
    gc.freeze()


def count(name: str, ids: set) -> dict:
    """How many of the cases ``ids`` (a set) have each value of facet ``name``: set intersections."""
    return {value: n for value, members in current().index[name].items() if (n := len(members & ids))}
