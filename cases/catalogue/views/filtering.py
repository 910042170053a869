"""What every filtered page shares: the facets and active filters built from the one
``CaseFilterSet`` (through the selectors), and links that keep the query string.

Every public page is a plain GET page whose state lives in the query string (shareable,
bookmarkable, back button friendly) and works without JavaScript; ``static/js/`` only enhances it.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from ...territories import selectors as territory_selectors
from ...vocabularies import (
    TerritoryKind,
)
from .. import selectors
from ..filters import CaseFilterSet
from ..freshness import data_version

COMPARE_PARAM = "cas"


# Parameters that are not filters: they travel with the URL but never narrow the cases.
NON_FILTER_PARAMS = {"page", COMPARE_PARAM, "ordering"}


FACET_PARAMS = {facet[0] for facet in selectors.FACET_FIELDS} | {
    "region", "population_city_band", "population_epci_band"
}


def _query(data) -> str:
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


class FacetHrefs:
    """Each facet option's link: the page's query with that value switched on or off, back on page 1.

    A page has a hundred options: the query's pairs are encoded once (as ``QueryDict.urlencode`` does)
    and each link re-joins them with its facet's values changed.
    """

    def __init__(self, params):
        self.params = params
        self.pairs = [(name, [urlencode({name: value}) for value in values])
                      for name, values in params.lists() if name != "page"]

    def __call__(self, name, value) -> str:
        values = self.params.getlist(name)
        toggled = [urlencode({name: v}) for v in ([v for v in values if v != value] if value in values
                                                  else [*values, value])]
        parts = [pair for key, encoded in self.pairs for pair in (toggled if key == name else encoded)]
        if name not in self.params:
            parts.extend(toggled)
        return f"?{'&'.join(parts)}" if parts else "?"


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
    """The filter panel shared by the list, the map and the statistics: form, facets, active filters.

    The panel's HTML is the same for everyone at one data version, page address and language, and
    ``includes/case_filters.html`` caches it (its facets and options are most of a page's rendering):
    its values (``panel``) are computed only when that fragment is missing.
    """
    params = request.GET
    keep = params.copy()
    for name in list(keep):
        if name != COMPARE_PARAM:
            keep.pop(name)
    return {
        "panel": SimpleLazyObject(lambda: _panel(request, ordering)),
        "clear_href": _query(keep),
        "show_ordering": ordering,
        "filter_query": _filter_query(params),
        "filters_cache_key": f"{data_version()}:{request.get_full_path()}",
    }


def _panel(request, ordering: bool) -> dict:
    params = request.GET
    filterset = selectors.case_filterset(filters=params, user=request.user)
    errors = filterset.errors  # validates the form: invalid values are shown, never a 500
    form = filterset.form
    _check_ranges(form)
    href = FacetHrefs(params)
    facets = [
        FacetView(
            name=facet.name, label=facet.label, errors=list(errors.get(facet.name, [])),
            options=[FacetLink(o.value, o.label, o.count, o.selected, href(facet.name, o.value))
                     for o in facet.options],
        )
        for facet in selectors.case_facets(filters=params, user=request.user)
    ]
    all_departements = territory_selectors.territory_choices(TerritoryKind.DEPARTEMENT)
    # Once a région is chosen, the menu offers its départements only (and keeps the one already chosen).
    region = params.get("region", "")
    in_region = territory_selectors.territory_choices(TerritoryKind.DEPARTEMENT, region=region) if region else []
    departements = [(code, name) for code, name in all_departements
                    if not in_region or (code, name) in in_region or code == params.get("departement")]
    territories = {
        "departement": dict(all_departements),
        "region": {option.value: option.label for facet in facets if facet.name == "region"
                   for option in facet.options},
    }
    active = []
    for name in CaseFilterSet.base_filters:
        if name in NON_FILTER_PARAMS or name not in params:
            continue
        labels = _value_labels(name, territories)
        for value in params.getlist(name):
            if value.strip():
                active.append(ActiveFilter(str(CaseFilterSet.base_filters[name].label), labels.get(value, value),
                                           _query(_without_value(params, name, value))))
    # The search form re-sends the facet selections (and the comparison) it does not display.
    hidden = [(name, value) for name in params
              if (name in FACET_PARAMS or name in {"scope", COMPARE_PARAM} or (name == "ordering" and not ordering))
              for value in params.getlist(name)]
    # Filters without a control of their own on the page (commune, epci, updated_since…, from a shared
    # link): their errors are listed above the form, so that a bad value is never silently dropped.
    shown = {"q", "departement", "launch_year_min", "launch_year_max", "horizon_year_min", "horizon_year_max",
             *(facet.name for facet in facets), *(("ordering",) if ordering else ())}
    other_errors = [(str(CaseFilterSet.base_filters[name].label), " ".join(messages))
                    for name, messages in errors.items() if name not in shown and name in CaseFilterSet.base_filters]
    return {
        "filterset": filterset,
        "form": form,
        "other_errors": other_errors,
        "facets": facets,
        "active_filters": active,
        "hidden_params": hidden,
        "departements": departements,
        "selected_departement": params.get("departement", ""),
    }


def rows_cache_key(page, *more) -> str:
    """The key of a cached fragment showing a page of cases (cards, table rows): the data version and the
    page's ids, so that its cases need not be read to know whether the HTML is still right."""
    ids = page.object_list.ids_key if page.object_list else "-"
    return ":".join((str(data_version()), ids, *more))


def _check_ranges(form):
    """A year range whose start is after its end gives no case: say so next to the fields."""
    if not hasattr(form, "cleaned_data"):
        return
    for low, high in (("launch_year_min", "launch_year_max"), ("horizon_year_min", "horizon_year_max")):
        start, end = form.cleaned_data.get(low), form.cleaned_data.get(high)
        if start is not None and end is not None and start > end and not form.has_error(high):
            form.add_error(high, _("L'année de fin (%(end)s) précède l'année de début (%(start)s) : inversez-les.")
                           % {"start": int(start), "end": int(end)})


def _filter_query(params) -> str:
    """The filters alone (no page, no comparison, no empty value), to carry from one view of the selection
    to another."""
    data = params.copy()
    for name in ("page", COMPARE_PARAM):
        data.pop(name, None)
    for name in list(data):
        values = [v for v in data.getlist(name) if v.strip()]
        if values:
            data.setlist(name, values)
        else:
            data.pop(name)
    return data.urlencode()


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
