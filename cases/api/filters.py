"""The API's filters: the shared ``CaseFilterSet`` (through the selectors), tools and territories.

Cases are filtered by ``cases.catalogue.filters.CaseFilterSet`` exactly as the HTML list, the map and the
statistics are: the backend validates the query with ``selectors.case_filterset`` (400 with field
messages on a bad value) and takes its rows from ``selectors.case_list``.
"""

import django_filters as filters
from django.db.models import F, Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from cases.catalogue import selectors
from cases.catalogue.filters import (
    CaseFilterSet,
    StrictBooleanFilter,
    StrictFilterSetMixin,
    TerritoryCodesFilter,
    UniqueOrderingFilter,
    YearFilter,
)
from cases.models import DigitalTool, Territory
from cases.territories import selectors as territory_selectors
from cases.vocabularies import CoproductionMode, TerritoryKind, ToolStatus, ToolType

# Filters of CaseFilterSet that also exist, with the same names, at tool level on ``tools/``.
TOOL_LEVEL_NAMES = ("mode", "tool_type", "tool_status")


# Parameters of every API list beside its filters: DRF's ``format`` and the pagination's.
LIST_PARAMS = frozenset({"format", "page", "page_size"})


def validate_strictly(filterset, view):
    """400 with a message per parameter unless every parameter applies (see ``StrictFilterSetMixin``)."""
    errors = filterset.strict_errors(allowed=getattr(view, "extra_params", LIST_PARAMS))
    if errors:
        raise ValidationError(errors)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the allow-list of parameter names and repeated single values."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        validate_strictly(filterset, view)
        return filterset.qs


class CaseFilterBackend(DjangoFilterBackend):
    """Cases as ``selectors.case_list`` gives them for the request's query (the shared FilterSet)."""

    def get_filterset_class(self, view, queryset=None):
        return CaseFilterSet

    def filter_queryset(self, request, queryset, view):
        validate_strictly(selectors.case_filterset(filters=request.query_params, user=request.user), view)
        cases = selectors.case_list(filters=request.query_params, user=request.user)
        if not request.query_params.get("ordering"):
            # The API's default order is the identifier: unique, stable across pages, indexed, and public.
            return cases.order_by("slug")
        return cases  # ``ordering=title`` sorts on the public name (CaseFilterSet)


def filtered_cases(request, view=None):
    """The published cases matching the request's case filters (validated; 400 on a bad value)."""
    return CaseFilterBackend().filter_queryset(request, None, view)


class ToolFilterSet(CaseFilterSet):
    """Every case filter, applied to the tool's case, plus tool-level filters.

    ``mode``, ``tool_type`` and ``tool_status`` keep their names but select the tools themselves (a
    tool of that type, mode or status — its case then has one too, so the case filter agrees).
    """

    mode = filters.MultipleChoiceFilter(
        label="Mode de co-production de l'outil", choices=CoproductionMode.choices, field_name="coproduction_mode",
    )
    tool_type = filters.MultipleChoiceFilter(label="Type d'outil", choices=ToolType.choices, field_name="tool_type")
    tool_status = filters.MultipleChoiceFilter(label="Statut de l'outil", choices=ToolStatus.choices,
                                               field_name="status")
    software = filters.CharFilter(label="Logiciel (contient, sans casse)", field_name="software",
                                  lookup_expr="icontains")
    open_source = StrictBooleanFilter(label="Logiciel libre (true/false ou 1/0)", field_name="open_source")
    tool_launch_year_min = YearFilter(label="Outil lancé à partir de", field_name="launch_year",
                                                lookup_expr="gte")
    tool_launch_year_max = YearFilter(label="Outil lancé au plus tard en", field_name="launch_year",
                                                lookup_expr="lte")
    ordering = UniqueOrderingFilter(
        label="Tri",
        fields=(("case__slug", "case"), ("name", "name"), ("tool_type", "tool_type"),
                ("coproduction_mode", "mode"), ("launch_year", "launch_year")),
    )

    class Meta:
        model = DigitalTool
        fields = []

    TOOL_FILTERS = frozenset({*TOOL_LEVEL_NAMES, "software", "open_source", "tool_launch_year_min",
                              "tool_launch_year_max", "ordering"})

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if name in self.TOOL_FILTERS:
                queryset = self.filters[name].filter(queryset, value)
        case_query = self.data.copy()
        case_query.pop("ordering", None)
        cases = selectors.case_list(filters=case_query, user=getattr(self.request, "user", None))
        return queryset.filter(case__in=cases.order_by().values("pk"))


class TerritoryFilterSet(StrictFilterSetMixin, filters.FilterSet):
    search = filters.CharFilter(
        label="Recherche par nom (sans accents ni casse, préfixes de mots) ou par code officiel",
        method="filter_search",
    )
    kind = filters.MultipleChoiceFilter(label="Type de territoire", choices=TerritoryKind.choices)
    departement = TerritoryCodesFilter(label="Département (code INSEE)", kind=TerritoryKind.DEPARTEMENT,
                                       example="42", method="filter_within")
    region = TerritoryCodesFilter(label="Région (code INSEE)", kind=TerritoryKind.REGION, example="84",
                                  method="filter_within")
    epci = TerritoryCodesFilter(label="EPCI (SIREN) : l'EPCI et ses communes", kind=TerritoryKind.EPCI,
                                example="244200770", method="filter_within")

    class Meta:
        model = Territory
        fields = []

    def filter_search(self, queryset, name, value):
        matches = territory_selectors.territory_search(query=value, limit=None)
        return queryset.filter(pk__in=matches.values("pk")).order_by(
            F("population").desc(nulls_last=True), "name", "pk"
        )

    def filter_within(self, queryset, name, value):
        """The territories ``value`` (codes of kind ``name``, repetition = or) and those inside them."""
        if not value:
            return queryset
        return queryset.filter(Q(**{f"{name}__code__in": value}) | Q(kind=name, code__in=value))


