"""The public site for researchers: browse, compare, map, statistics, methodology, accessibility.

Every page is a plain GET page whose state lives in the query string (shareable, bookmarkable, back
button friendly) and works without JavaScript; ``static/js/`` only enhances it. Filters come from the
one ``CaseFilterSet`` (through the selectors), so the list, the map and the statistics agree.
"""

import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from . import selectors, statistics
from .charts import bar_chart
from .filters import CaseFilterSet
from .geo import case_feature, case_location
from .vocabularies import (
    COPRODUCTION_DEFINITIONS,
    FACTOR_DEFINITIONS,
    FACTOR_GROUPS,
    POPULATION_BANDS,
    SUGGESTED_MODE,
    Assessment,
    Carrier,
    CollectionMethod,
    CoproductionMode,
    Factor,
    FactorGroup,
    Helix,
    ManagementMode,
    Scope,
    SourceKind,
    TerritoryKind,
    Theme,
    ToolStatus,
    ToolType,
)

PAGE_SIZE = 20
MAP_TABLE_PAGE_SIZE = 50
COMPARE_PARAM = "cas"
# Parameters that are not filters: they travel with the URL but never narrow the cases.
NON_FILTER_PARAMS = {"page", COMPARE_PARAM, "ordering"}
FACET_PARAMS = {facet[0] for facet in selectors.FACET_FIELDS} | {
    "region", "population_city_band", "population_epci_band"
}
SINGLE_VALUE_FILTERS = {"region", "departement", "q", "launch_year_min", "launch_year_max",
                        "horizon_year_min", "horizon_year_max", "ordering"}


# --- query-string helpers ----------------------------------------------------------------------------

def _query(data) -> str:
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


def _toggled(params, name, value):
    """``params`` with ``value`` of ``name`` switched on or off, back on page 1."""
    data = params.copy()
    data.pop("page", None)
    if name in SINGLE_VALUE_FILTERS:
        if data.get(name) == value:
            data.pop(name)
        else:
            data[name] = value
        return data
    values = data.getlist(name)
    data.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return data


def _without_value(params, name, value):
    data = params.copy()
    data.pop("page", None)
    data.setlist(name, [v for v in data.getlist(name) if v != value])
    return data


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    href: str


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    options: list
    errors: list

    @property
    def is_open(self):
        return bool(self.errors) or any(option.selected for option in self.options)


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_href: str


def _value_labels(name, territories) -> dict:
    flt = CaseFilterSet.base_filters.get(name)
    choices = getattr(flt, "extra", {}).get("choices") if flt is not None else None
    if name in ("region", "departement"):
        return territories.get(name, {})
    return {str(code): str(label) for code, label in choices or []}


def filter_context(request, *, ordering: bool = False) -> dict:
    """The filter panel shared by the list, the map and the statistics: form, facets, active filters."""
    params = request.GET
    filterset = selectors.case_filterset(filters=params, user=request.user)
    errors = filterset.errors  # validates the form: invalid values are shown, never a 500
    form = filterset.form
    facets = [
        FacetView(
            name=facet.name, label=facet.label, errors=list(errors.get(facet.name, [])),
            options=[FacetLink(o.value, o.label, o.count, o.selected, _query(_toggled(params, facet.name, o.value)))
                     for o in facet.options],
        )
        for facet in selectors.case_facets(filters=params, user=request.user)
    ]
    departements = selectors.territory_choices(TerritoryKind.DEPARTEMENT)
    territories = {
        "departement": dict(departements),
        "region": {option.value: option.label for facet in facets if facet.name == "region"
                   for option in facet.options},
    }
    active = []
    for name in CaseFilterSet.base_filters:
        if name in NON_FILTER_PARAMS:
            continue
        labels = _value_labels(name, territories)
        for value in params.getlist(name):
            if value.strip():
                active.append(ActiveFilter(str(CaseFilterSet.base_filters[name].label), labels.get(value, value),
                                           _query(_without_value(params, name, value))))
    keep = params.copy()
    for name in list(keep):
        if name != COMPARE_PARAM:
            keep.pop(name)
    # The search form re-sends the facet selections (and the comparison) it does not display.
    hidden = [(name, value) for name in params
              if (name in FACET_PARAMS or name in {"scope", COMPARE_PARAM} or (name == "ordering" and not ordering))
              for value in params.getlist(name)]
    return {
        "filterset": filterset,
        "form": form,
        "facets": facets,
        "active_filters": active,
        "clear_href": _query(keep),
        "hidden_params": hidden,
        "departements": departements,
        "selected_departement": params.get("departement", ""),
        "show_ordering": ordering,
        "filter_query": _filter_query(params),
    }


def _filter_query(params) -> str:
    """The filters alone (no page, no comparison), to carry from one view of the selection to another."""
    data = params.copy()
    for name in ("page", COMPARE_PARAM):
        data.pop(name, None)
    return data.urlencode()


# --- browse ------------------------------------------------------------------------------------------

@require_safe
def case_list(request):
    context = filter_context(request, ordering=True)
    paginator = Paginator(selectors.case_list(filters=request.GET, user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    compare = [s for s in dict.fromkeys(request.GET.getlist(COMPARE_PARAM)) if s]
    on_page = {case.slug for case in page.object_list}
    return render(request, "cases/case_list.html", {
        **context,
        "page": page,
        "pagination": _pagination(request.GET, page),
        "compare_selection": compare,
        # Selected cases not listed on this page still travel with the comparison form.
        "compare_elsewhere": [slug for slug in compare if slug not in on_page],
        "compare_max": selectors.COMPARE_MAX,
    })


def _pagination(params, page) -> dict:
    """Links around the current page (``None`` marks a gap), previous and next, keeping every filter."""
    def href(number):
        data = params.copy()
        data["page"] = str(number)
        return _query(data)

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "links": [(None, None) if n == page.paginator.ELLIPSIS else (n, href(n)) for n in numbers],
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
    }


# --- compare -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: list


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

    characteristics = [{row.key: row for row in selectors.characteristics(case)} for case in cases]
    rows = []
    if cases:
        first = selectors.characteristics(cases[0])
        generic = {
            "population_city": _("Population de la ville centre"),
            "population_epci": _("Population de l'EPCI"),
        }
        for row in first:
            rows.append(CompareRow(generic.get(row.key, row.label),
                                   [c[row.key].value if row.key in c else "—" for c in characteristics]))
        rows.insert(0, CompareRow(_("Localisation"), [_public_place(case) for case in cases]))
        rows.append(CompareRow(_("Nombre d'outils numériques"), [str(len(case.tools.all())) for case in cases]))
        rows.append(CompareRow(_("Mode de co-production le plus élevé"),
                               [case.highest_mode_label or "—" for case in cases]))
    matrix = [
        {"mode": mode.value, "label": mode.label,
         "cells": [[t for t in case.tools.all() if t.coproduction_mode == mode] for case in cases]}
        for mode in CoproductionMode
    ]
    factors = []
    assessed = [{a.factor: a for a in case.factors.all()} for case in cases]
    for group, members in FACTOR_GROUPS.items():
        factors.append({"label": FactorGroup(group).label, "rows": [
            {"label": Factor(f).label, "cells": [by_factor.get(f.value) for by_factor in assessed]}
            for f in members
        ]})
    helices = [{"label": helix.label, "cells": [[s for s in case.stakeholders.all() if s.helix == helix]
                                                for case in cases]}
               for helix in Helix]
    helices = [h for h in helices if any(h["cells"])]
    add_data = request.GET.copy()
    add_data.setlist(COMPARE_PARAM, [c.slug for c in cases])
    return render(request, "cases/compare.html", {
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


# --- map ---------------------------------------------------------------------------------------------

@require_safe
def case_map(request):
    context = filter_context(request)
    paginator = Paginator(selectors.case_list(filters=request.GET, user=request.user), MAP_TABLE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(case, case_location(case)) for case in page.object_list]
    data_query = _data_params(request.GET).urlencode()
    config = {
        "dataUrl": reverse("cases:map_data") + (f"?{data_query}" if data_query else ""),
        "outlinesUrl": reverse("cases:map_departements"),
        # Leaflet guesses its icon folder from its CSS URL, which hashed static names break.
        "iconPath": static("vendor/leaflet/images/"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "modes": {mode.value: str(mode.label) for mode in CoproductionMode},
        "noMode": _("Aucun outil documenté"),
        "precisions": {kind.value: str(kind.label) for kind in TerritoryKind},
        "profileLabel": _("Voir la fiche"),
        "precisionLabel": _("Localisation :"),
        "modeLabel": _("Mode le plus élevé :"),
        "errorText": _("Les données de la carte n'ont pas pu être chargées. Le tableau ci-dessous les donne."),
        "countText": _("%(n)s cas placés sur la carte."),
    }
    return render(request, "cases/map.html", {
        **context,
        "page": page,
        "pagination": _pagination(request.GET, page),
        "rows": rows,
        "map_config": config,
        "modes": list(CoproductionMode),
    })


def _data_params(params):
    data = params.copy()
    for name in ("page", COMPARE_PARAM, "ordering"):
        data.pop(name, None)
    return data


@require_safe
@gzip_page
@cache_control(public=True, max_age=60)
def map_data(request):
    """The located published cases matching the filters, as an RFC 7946 FeatureCollection."""
    filterset = selectors.case_filterset(filters=request.GET, user=request.user)
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    # One reversal for all: every profile URL differs only by its slug.
    url_pattern = reverse("cases:case_detail", kwargs={"slug": "__slug__"})
    features = []
    for case in selectors.case_map_list(filters=request.GET, user=request.user):
        feature = case_feature(case, url=url_pattern.replace("__slug__", case.slug), highest_mode=case.top_mode)
        if feature:
            features.append(feature)
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")


@lru_cache(maxsize=1)
def _departement_outlines() -> bytes:
    return (settings.BASE_DIR / "cases" / "data" / "reference" / "departements.geojson").read_bytes()


@require_safe
@gzip_page
@cache_control(public=True, max_age=7 * 24 * 3600)
def map_departements(request):
    """The offline base layer: département outlines, read once per process, cached by browsers."""
    return HttpResponse(_departement_outlines(), content_type="application/geo+json")


# --- statistics --------------------------------------------------------------------------------------

@require_safe
def case_statistics(request):
    context = filter_context(request)
    cases = context["filterset"].qs
    tables = statistics.case_statistics(cases)
    return render(request, "cases/statistics.html", {
        **context,
        "tables": [{"table": table, "chart": bar_chart(table), "total": sum(table.column_totals)} for table in tables],
        "total_cases": cases.order_by().count(),
    })


# --- methodology, accessibility ----------------------------------------------------------------------

@require_safe
def methodology(request):
    suggested = {str(tool_type): mode for tool_type, mode in SUGGESTED_MODE.items()}
    return render(request, "cases/methodology.html", {
        "continuum": [(mode, COPRODUCTION_DEFINITIONS[mode]) for mode in CoproductionMode],
        "tool_types": [(t, CoproductionMode(suggested[t.value]).label if t.value in suggested else None)
                       for t in ToolType],
        "factor_groups": [(FactorGroup(group).label,
                           [(Factor(f), FACTOR_DEFINITIONS.get(f)) for f in members])
                          for group, members in FACTOR_GROUPS.items()],
        "vocabularies": [
            ("themes", _("Thématiques"), Theme),
            ("management-modes", _("Modes de gestion du projet"), ManagementMode),
            ("carriers", _("Portage du projet"), Carrier),
            ("tool-statuses", _("Statuts d'un outil"), ToolStatus),
            ("assessments", _("Échelle d'appréciation des facteurs"), Assessment),
            ("collection-methods", _("Méthodes de collecte"), CollectionMethod),
            ("source-kinds", _("Types de sources"), SourceKind),
        ],
        "helices": list(Helix),
        "population_bands": [(code, label) for code, _lo, _hi, label in POPULATION_BANDS],
    })


@require_safe
def accessibility(request):
    return render(request, "cases/accessibility.html", {"contact_email": settings.DEFAULT_FROM_EMAIL})
