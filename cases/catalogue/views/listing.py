"""The list of cases and the side-by-side comparison."""

import dataclasses
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ...research import selectors as research
from ...territories.selectors import territory_search
from ...territories.views import with_case_counts
from ...vocabularies import (
    FACTOR_GROUPS,
    CoproductionMode,
    Factor,
    FactorGroup,
    Helix,
    Scope,
    TerritoryKind,
)
from .. import layout, selectors
from ..freshness import cached, params_key
from .filtering import COMPARE_PARAM, _pagination, _query, filter_context, rows_cache_key

PAGE_SIZE = 20


@require_safe
def case_list(request):
    context = filter_context(request, ordering=True)
    paginator = Paginator(selectors.case_list_ids(filters=request.GET, user=request.user,
                                                  loader=selectors.case_cards), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    compare = [s for s in dict.fromkeys(request.GET.getlist(COMPARE_PARAM)) if s]
    # Read only with a comparison under way: otherwise the page's cases are not read at all when their
    # cards' HTML is in the cache.
    on_page = {case.slug for case in page.object_list} if compare else set()
    query = request.GET.get("q", "").strip()
    tray_query = QueryDict(mutable=True)
    tray_query["slug"] = ",".join(compare)
    without_compare = request.GET.copy()
    without_compare.pop(COMPARE_PARAM, None)
    without_compare.pop("page", None)
    return render(request, "catalogue/case_list.html", {
        **context,
        # One search box for cases and territories: the territories it names, with their case counts.
        "territory_matches": _territory_matches(query) if query else [],
        "page": page,
        "pagination": _pagination(request.GET, page),
        "compare_selection": compare,
        # The cards' HTML is the same for everyone at one data version, page of cases, ticked selection and
        # language: cached, it spares reading and rendering twenty cases.
        "results_cache_key": rows_cache_key(page, params_key({"slug": compare})),
        # Selected cases not listed on this page still travel with the comparison form.
        "compare_elsewhere": [slug for slug in compare if slug not in on_page],
        "compare_max": selectors.COMPARE_MAX,
        # The comparison tray: it lives in the URL (?cas=…), which every link of the page keeps.
        "tray_cases": selectors.cases_named(compare, user=request.user) if compare else [],
        "tray_clear_href": _query(without_compare),
        "tray_query": tray_query.urlencode(safe=","),
        # The compare form re-sends the filters, so that "add cases from the list" comes back to them.
        "filter_pairs": [(name, value) for name in without_compare if name != "page"
                         for value in without_compare.getlist(name) if value.strip()],
    })


def _territory_matches(query: str) -> list:
    """The territories a search names, with their case counts: a scan of 35,000 names, so kept per data
    version (territories and published cases are both in it) like the other aggregates."""
    return cached("territory-matches", {"q": query},
                  lambda: with_case_counts(territory_search(query=query, limit=5)))


@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: list
    provenance: list = dataclasses.field(default_factory=list)  # who asserted each cell, when recorded


@require_safe
def compare(request):
    slugs = request.GET.getlist(COMPARE_PARAM)
    selection = selectors.cases_for_compare(slugs, user=request.user)
    cases = selection.cases
    columns = []
    for case in cases:
        remaining = [c.slug for c in cases if c.slug != case.slug]
        data = request.GET.copy()
        data.setlist(COMPARE_PARAM, remaining)
        columns.append({"case": case, "remove_href": _query(data)})

    characteristics = [
        {row.key: row for row in layout.characteristics(case, {p.field: p for p in case.field_provenance.all()})}
        for case in cases
    ]
    rows = []
    if cases:
        first = layout.characteristics(cases[0])
        generic = {
            "population_city": _("Population de la ville centre"),
            "population_epci": _("Population de l'EPCI"),
        }
        for row in first:
            rows.append(CompareRow(generic.get(row.key, row.label),
                                   [c[row.key].value if row.key in c else "—" for c in characteristics],
                                   [c[row.key].provenance if row.key in c else None for c in characteristics]))
        rows.insert(0, CompareRow(_("Localisation"), [_public_place(case) for case in cases]))
        rows.append(CompareRow(_("Nombre d'outils numériques"), [str(len(case.tools.all())) for case in cases]))
        rows.append(CompareRow(_("Mode de co-production le plus élevé"),
                               [case.highest_mode_label or "—" for case in cases]))
    joint = [research.case_findings_prefetched(case) for case in cases]
    matrix = [
        {"mode": mode.value, "label": mode.label,
         "cells": [[t for t in case.tools.all() if t.coproduction_mode == mode] for case in cases],
         "joint": [[f for f in findings if f.kind == "tool" and f.coproduction_mode == mode] for findings in joint]}
        for mode in CoproductionMode
    ]
    factors = []
    assessed = [{a.factor: a for a in case.factors.all()} for case in cases]
    for group, members in FACTOR_GROUPS.items():
        factors.append({"label": FactorGroup(group).label, "rows": [
            {"label": Factor(f).label, "cells": [by_factor.get(f.value) for by_factor in assessed],
             "joint": [next((x for x in findings if x.factor == f.value), None) for findings in joint]}
            for f in members
        ]})
    helices = [{"label": helix.label, "cells": [[s for s in case.stakeholders.all() if s.helix == helix]
                                                for case in cases]}
               for helix in Helix]
    helices = [h for h in helices if any(h["cells"])]
    add_data = request.GET.copy()
    add_data.setlist(COMPARE_PARAM, [c.slug for c in cases])
    return render(request, "catalogue/compare.html", {
        "columns": columns,
        "cases": cases,
        "rows": rows,
        "matrix": matrix,
        "factors": factors,
        "helices": helices,
        "missing": selection.missing,
        "dropped": selection.dropped,
        "compare_max": selectors.COMPARE_MAX,
        "add_query": add_data.urlencode(),
    })


def _public_place(case):
    """Where a case is, as the public may know it: a pseudonymised case only by its région, if any."""
    territory = case.territory
    if case.scope == Scope.NATIONAL and territory is None:
        return _("Initiative nationale")
    if territory is None:
        return "—"
    if case.is_pseudonymised:
        region = territory if territory.kind == TerritoryKind.REGION else territory.region
        return _("%(region)s (collectivité pseudonymisée)") % {"region": region.name} if region else _(
            "Collectivité pseudonymisée")
    parts = [territory.name]
    if territory.departement_id and territory.kind != TerritoryKind.DEPARTEMENT:
        parts.append(territory.departement.name)
    if territory.region_id:
        parts.append(territory.region.name)
    return ", ".join(parts)
