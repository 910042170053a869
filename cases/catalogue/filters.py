"""The one FilterSet of cases, shared by the HTML list, the map, the statistics and the API.

Every filter is a plain query-string parameter, so a filtered view is a shareable URL. Filters never
reveal more than a page would: the département filter only matches named cases, since a pseudonymised
case may be located at région level at most.
"""

import django_filters as filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..models import Case, CaseSecondaryTheme, DigitalTool, Territory
from ..text import terms
from ..vocabularies import (
    POPULATION_BANDS,
    Carrier,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    Scope,
    Theme,
    ToolStatus,
    ToolType,
)

POPULATION_BAND_CHOICES = [(code, label) for code, _low, _high, label in POPULATION_BANDS]
YEAR_WIDGET = forms.NumberInput(attrs={"min": 1990, "max": 2100, "step": 1, "inputmode": "numeric"})


def population_band_q(field: str, codes) -> Q:
    """Cases whose ``field`` falls in any of the bands ``codes``.

    A pseudonymised case is matched on the band it publishes (``public_*_band``, cases.disclosure), never
    on its hidden figure, and only when that band lies wholly inside the chosen ones: a case published
    as "50 000–199 999" is found by choosing both 50k–100k and 100k–200k, so no filter, facet or
    statistics cell can tell on which side of 100 000 it is.
    """
    condition = Q()
    for code, low, high, _label in POPULATION_BANDS:
        if code in codes:
            band = Q(**{f"{field}__gte": low})
            if high is not None:
                band &= Q(**{f"{field}__lt": high})
            condition |= band
    prefix, _sep, name = field.rpartition("__")
    prefix = f"{prefix}__" if prefix else ""
    public_field = f"{prefix}public_{name.removeprefix('population_')}_band"
    return ((Q(**{f"{prefix}disclosure": Disclosure.NAMED}) & condition)
            | Q(**{f"{prefix}disclosure": Disclosure.PSEUDONYMISED, f"{public_field}__in": bands_within(codes)}))


def bands_within(codes) -> list[str]:
    """Every public band code (fine or widened) whose range is covered by the fine bands ``codes``."""
    from ..disclosure.rule import BOUNDS, FINE_BANDS

    chosen = [(low, high) for code, low, high in FINE_BANDS if code in codes]

    def covered(low, high):
        # Walk up from ``low`` through chosen contiguous fine bands until ``high`` is reached.
        point = low
        while True:
            step = next((h for lo, h in chosen if lo == point), False)
            if step is False:
                return False
            if step is None or (high is not None and step >= high):
                return True
            point = step

    return [code for code, (low, high) in BOUNDS.items() if covered(low, high)]


def _territories_within(kind: str, code: str):
    """Ids of the territory ``kind``/``code`` and of every territory whose ``kind`` parent it is.

    A subquery on the (indexed) territory table: joining cases to territories and testing the parent's
    code row by row made the planner hash the whole reference table for every filtered query.
    """
    area = Territory.objects.filter(kind=kind, code=code.strip().upper()).values("pk")
    return Territory.objects.filter(Q(pk__in=area) | Q(**{f"{kind}__in": area})).values("pk")


def full_text_q(queryset, query: str):
    """Cases matching every word of ``query`` (accent-insensitive, prefix-tolerant).

    PostgreSQL uses its full-text engine on the folded ``search_text`` (prefix tsquery, "simple"
    configuration since the text is already folded); SQLite, which has none, matches each folded word
    as a substring — the same results for whole words and prefixes.
    """
    words = terms(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        tsquery = " & ".join(f"{word}:*" for word in words)  # words are [a-z0-9]+ after folding
        return queryset.annotate(_search=SearchVector("search_text", config="simple")).filter(
            _search=SearchQuery(tsquery, search_type="raw", config="simple")
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


class CaseFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Recherche"), method="filter_q")
    dominant_theme = filters.MultipleChoiceFilter(label=_("Thématique dominante"), choices=Theme.choices)
    secondary_theme = filters.MultipleChoiceFilter(
        label=_("Thématique secondaire"), choices=Theme.choices, method="filter_secondary_theme"
    )
    management_mode = filters.MultipleChoiceFilter(label=_("Mode de gestion"), choices=ManagementMode.choices)
    carrier = filters.MultipleChoiceFilter(label=_("Portage"), choices=Carrier.choices)
    scope = filters.MultipleChoiceFilter(label=_("Échelle"), choices=Scope.choices)
    mode = filters.MultipleChoiceFilter(
        label=_("Mode de co-production présent"), choices=CoproductionMode.choices,
        field_name="coproduction_mode", method="filter_tools",
    )
    tool_type = filters.MultipleChoiceFilter(
        label=_("Type d'outil"), choices=ToolType.choices, field_name="tool_type", method="filter_tools"
    )
    tool_status = filters.MultipleChoiceFilter(
        label=_("Statut d'outil"), choices=ToolStatus.choices, field_name="status", method="filter_tools"
    )
    region = filters.CharFilter(label=_("Région (code INSEE)"), method="filter_region")
    departement = filters.CharFilter(label=_("Département (code INSEE)"), method="filter_departement")
    population_city_band = filters.MultipleChoiceFilter(
        label=_("Population de la ville centre"), choices=POPULATION_BAND_CHOICES, method="filter_band"
    )
    population_epci_band = filters.MultipleChoiceFilter(
        label=_("Population de l'EPCI"), choices=POPULATION_BAND_CHOICES, method="filter_band"
    )
    launch_year_min = filters.NumberFilter(
        label=_("Lancé à partir de"), field_name="launch_year", lookup_expr="gte", widget=YEAR_WIDGET
    )
    launch_year_max = filters.NumberFilter(
        label=_("Lancé au plus tard en"), field_name="launch_year", lookup_expr="lte", widget=YEAR_WIDGET
    )
    horizon_year_min = filters.NumberFilter(
        label=_("Échéance à partir de"), field_name="horizon_year", lookup_expr="gte", widget=YEAR_WIDGET
    )
    horizon_year_max = filters.NumberFilter(
        label=_("Échéance au plus tard en"), field_name="horizon_year", lookup_expr="lte", widget=YEAR_WIDGET
    )
    ordering = filters.OrderingFilter(
        label=_("Tri"),
        fields=(("public_name", "title"), ("launch_year", "launch_year"), ("horizon_year", "horizon_year"),
                # Population sorts on what a reader sees: a pseudonymised case by the lower bound of its
                # public band (cases.disclosure), never by its hidden figure.
                ("published_at", "published_at"), ("public_population_floor", "population_city")),
        # Descending labels are given too: django-filter would otherwise format them once, at import,
        # in the default language.
        field_labels={
            "public_name": _("Titre"), "-title": _("Titre (décroissant)"),
            "launch_year": _("Année de lancement"), "-launch_year": _("Année de lancement (décroissante)"),
            "horizon_year": _("Échéance"), "-horizon_year": _("Échéance (décroissante)"),
            "published_at": _("Date de publication"), "-published_at": _("Date de publication (décroissante)"),
            "population_city": _("Population"), "-population_city": _("Population (décroissante)"),
        },
    )

    class Meta:
        model = Case
        fields = []

    def filter_q(self, queryset, name, value):
        return full_text_q(queryset, value)

    # Conditions on a case's children are EXISTS subqueries rather than joins: no duplicate rows to
    # remove with DISTINCT, so counting and paginating a filtered list stays cheap at national scale.
    def filter_tools(self, queryset, name, value):
        # django-filter passes the filter's field_name: a DigitalTool field here.
        return queryset.filter(Exists(DigitalTool.objects.filter(case=OuterRef("pk"), **{f"{name}__in": value})))

    def filter_secondary_theme(self, queryset, name, value):
        return queryset.filter(Exists(CaseSecondaryTheme.objects.filter(case=OuterRef("pk"), theme__in=value)))

    def filter_region(self, queryset, name, value):
        # A pseudonymised case is found by the région it publishes only (cases.disclosure).
        return queryset.filter(territory__in=_territories_within("region", value)).filter(
            Q(disclosure=Disclosure.NAMED) | Q(public_region_code=value.strip().upper()))

    def filter_departement(self, queryset, name, value):
        # A pseudonymised case is never located finer than its région, so never found by département.
        return queryset.filter(territory__in=_territories_within("departement", value), disclosure=Disclosure.NAMED)

    def filter_band(self, queryset, name, value):
        if not value:
            return queryset
        field = name.removesuffix("_band")
        return queryset.filter(population_band_q(field, value))
