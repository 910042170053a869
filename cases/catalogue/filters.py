"""The one FilterSet of cases, shared by the HTML list, the map, the statistics and the API.

Every filter is a plain query-string parameter, so a filtered view is a shareable URL. Filters never
reveal more than a page would: the département, commune and EPCI filters only match named cases, since
a pseudonymised case may be located at région level at most.

Filters are strict: a value either applies or is an error with a message for its field (an unknown
official code, a malformed boolean, a repeated single-valued parameter). ``parameter_errors`` adds the
allow-list of parameter names: the API and the map data answer 400 on any error; the HTML pages show
the message next to the field instead (and ignore unknown names, such as a campaign tag on a shared
link, since a page never silently shows the wrong rows for them: it shows what its form displays).
"""

import datetime

import django_filters as filters
from django import forms
from django.core.validators import validate_slug
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from ..models import (
    Case,
    CaseFieldProvenance,
    CaseSecondaryTheme,
    DigitalTool,
    FactorAssessment,
    Stakeholder,
    StudyFinding,
    Territory,
)
from ..research.vocabularies import FindingKind, Provenance
from ..text import terms
from ..vocabularies import (
    POPULATION_BANDS,
    Carrier,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    Scope,
    TerritoryKind,
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


def _territories_within(kind: str, codes):
    """Ids of the territories ``kind``/``codes`` and of every territory whose ``kind`` parent is one of them.

    A subquery on the (indexed) territory table: joining cases to territories and testing the parent's
    code row by row made the planner hash the whole reference table for every filtered query.
    """
    area = Territory.objects.filter(kind=kind, code__in=codes).values("pk")
    if kind == TerritoryKind.COMMUNE:
        return area  # no territory lies within a commune
    return Territory.objects.filter(Q(pk__in=area) | Q(**{f"{kind}__in": area})).values("pk")


class TerritoryCodesField(forms.Field):
    """One or more official codes of one kind of territory (repetition = or); each must exist."""

    widget = forms.MultipleHiddenInput  # reads every repeated value; pages draw their own controls

    def __init__(self, *, kind, example, **kwargs):
        self.kind, self.example = kind, example
        super().__init__(**kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        # Codes are upper-case text ("2A", "2A004"); values may come comma-separated too.
        return list(dict.fromkeys(code.strip().upper() for item in values for code in str(item).split(",")
                                  if code.strip()))

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        known = set(Territory.objects.filter(kind=self.kind, code__in=value).values_list("code", flat=True))
        unknown = [code for code in value if code not in known]
        if unknown:
            raise forms.ValidationError(
                _("Code inconnu : %(codes)s (code officiel attendu, par exemple %(example)s).")
                % {"codes": ", ".join(unknown), "example": self.example}, code="unknown_code",
            )


# Codes may be repeated (or comma-separated); cases.api.docs adds the pattern of each kind's codes.
@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TerritoryCodesFilter(filters.Filter):
    field_class = TerritoryCodesField

    def __init__(self, *, kind, example, named_only=True, **kwargs):
        self.kind, self.named_only = kind, named_only
        super().__init__(kind=kind, example=example, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = qs.filter(territory__in=_territories_within(self.kind, value))
        # A pseudonymised case is never located finer than its région, so never found below it; and by
        # région only when it publishes that région (cases.disclosure may generalise it away).
        if self.named_only:
            return qs.filter(disclosure=Disclosure.NAMED)
        return qs.filter(Q(disclosure=Disclosure.NAMED) | Q(public_region_code__in=value))


class StrictBooleanField(forms.Field):
    """``true``/``false`` or ``1``/``0`` (any case); anything else is an error, never ignored."""

    widget = forms.TextInput
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Valeur booléenne attendue : true, false, 1 ou 0."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class UniqueOrderingFilter(filters.OrderingFilter):
    """An ordering that always ends with a unique key, so that pages never skip nor repeat a row."""

    def __init__(self, *args, unique="pk", **kwargs):
        self.unique = unique
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value and qs.query.order_by:
            qs = qs.order_by(*qs.query.order_by, self.unique)
        return qs


class YearFilter(filters.NumberFilter):
    """A whole year: "2020.5" is an error, not a filter on a year that does not exist."""

    field_class = forms.IntegerField


class UTCInstantField(IsoDateTimeField):
    """An ISO 8601 instant, in UTC: PostgreSQL refuses offsets beyond ±16 h, which ISO 8601 allows."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(_("Instant hors des dates possibles."), code="invalid") from None


class InstantFilter(filters.IsoDateTimeFilter):
    field_class = UTCInstantField


def instant_filter(field_name, label):
    return InstantFilter(
        label=label, field_name=field_name, lookup_expr="gte",
        help_text=_("Instant ISO 8601 avec fuseau (2026-01-31T00:00:00Z) ; inclus."),
    )


SAINT_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def full_text_q(queryset, query: str):
    """Cases matching every word of ``query`` (accent-insensitive, prefix-tolerant).

    PostgreSQL uses its full-text engine on the folded ``search_text`` (prefix tsquery, "simple"
    configuration since the text is already folded); SQLite, which has none, matches each folded word
    as a substring — the same results for whole words and prefixes.
    """
    words = terms(query)
    if not words:
        return queryset
    # "st etienne" finds "Saint-Étienne": an abbreviation matches itself or its full form.
    alternatives = [sorted({word, SAINT_ABBREVIATIONS.get(word, word)}) for word in words]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # words are [a-z0-9]+ after folding
        tsquery = " & ".join("(" + " | ".join(f"{w}:*" for w in alts) + ")" for alts in alternatives)
        return queryset.annotate(_search=SearchVector("search_text", config="simple")).filter(
            _search=SearchQuery(tsquery, search_type="raw", config="simple")
        )
    for alts in alternatives:
        condition = Q()
        for word in alts:
            condition |= Q(search_text__contains=word)
        queryset = queryset.filter(condition)
    return queryset


class StrictFilterSetMixin:
    """The allow-list of parameter names, for every FilterSet of the API and the map data."""

    def parameter_errors(self, allowed=()) -> dict[str, list[str]]:
        """Messages for parameters that would not apply: unknown names, repeated single values.

        ``allowed`` names the entry point's own parameters (``page``, ``page_size``…); names starting
        with ``_`` are cache-busters and always allowed.
        """
        known = set(self.filters) | set(allowed)
        errors = {}
        for name in self.data:
            if name.startswith("_"):
                continue
            if name not in known:
                errors[name] = [str(_("Paramètre inconnu. Paramètres possibles : %(names)s.")
                                    % {"names": ", ".join(sorted(known))})]
            elif hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1 and not self._repeatable(name):
                errors[name] = [str(_("Ce paramètre ne prend qu'une valeur."))]
        return errors

    def _repeatable(self, name) -> bool:
        flt = self.filters.get(name)
        return isinstance(flt, filters.MultipleChoiceFilter | TerritoryCodesFilter)

    def strict_errors(self, allowed=()) -> dict[str, list[str]]:
        """Every reason to answer 400: bad values (per field) and ``parameter_errors``."""
        errors = {name: [str(message) for message in messages] for name, messages in self.errors.items()}
        for name, messages in self.parameter_errors(allowed).items():
            errors.setdefault(name, []).extend(messages)
        return errors


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """Comma-separated values: ``?slug=a,b``."""


class CaseFilterSet(StrictFilterSetMixin, filters.FilterSet):
    # Named cases (a comparison tray, one profile's downloads): ``?slug=a,b`` on the map, the statistics, the API.
    # Each value must look like an identifier: ``slug={…}`` is a malformed query (400), not "no such case".
    slug = CharInFilter(label=_("Cas choisis"), field_name="slug", lookup_expr="in", validators=[validate_slug])
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
    provenance = filters.MultipleChoiceFilter(
        label=_("Provenance d'une valeur codée"), choices=Provenance.choices, method="filter_provenance"
    )
    region = TerritoryCodesFilter(label=_("Région (code INSEE)"), kind=TerritoryKind.REGION, example="84",
                                  named_only=False)
    departement = TerritoryCodesFilter(label=_("Département (code INSEE)"), kind=TerritoryKind.DEPARTEMENT,
                                       example="2A")
    commune = TerritoryCodesFilter(label=_("Commune (code INSEE)"), kind=TerritoryKind.COMMUNE,
                                   example="42218")
    epci = TerritoryCodesFilter(label=_("EPCI (SIREN)"), kind=TerritoryKind.EPCI, example="244200770")
    population_city_band = filters.MultipleChoiceFilter(
        label=_("Population de la ville centre"), choices=POPULATION_BAND_CHOICES, method="filter_band"
    )
    population_epci_band = filters.MultipleChoiceFilter(
        label=_("Population de l'EPCI"), choices=POPULATION_BAND_CHOICES, method="filter_band"
    )
    launch_year_min = YearFilter(
        label=_("Lancé à partir de"), field_name="launch_year", lookup_expr="gte", widget=YEAR_WIDGET
    )
    launch_year_max = YearFilter(
        label=_("Lancé au plus tard en"), field_name="launch_year", lookup_expr="lte", widget=YEAR_WIDGET
    )
    horizon_year_min = YearFilter(
        label=_("Échéance à partir de"), field_name="horizon_year", lookup_expr="gte", widget=YEAR_WIDGET
    )
    horizon_year_max = YearFilter(
        label=_("Échéance au plus tard en"), field_name="horizon_year", lookup_expr="lte", widget=YEAR_WIDGET
    )
    updated_since = instant_filter("updated_at", _("Modifiés depuis"))
    published_since = instant_filter("published_at", _("Publiés depuis"))
    # Ties end on the slug (public, unique), not on the primary key: the creation order it holds would
    # place a case pseudonymised after publication among the cases created with its named self.
    ordering = UniqueOrderingFilter(
        unique="slug", label=_("Tri"), empty_label=_("Par défaut"),
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
        # django-filter passes the filter's field_name: a DigitalTool field here. A tool a study reports
        # jointly for the case counts too (it has a mode and a type, but no status).
        own = Exists(DigitalTool.objects.filter(case=OuterRef("pk"), **{f"{name}__in": value}))
        if name == "status":
            return queryset.filter(own)
        joint = Exists(StudyFinding.cases.through.objects.filter(
            case=OuterRef("pk"), studyfinding__kind=FindingKind.TOOL, **{f"studyfinding__{name}__in": value}))
        return queryset.filter(own | joint)

    def filter_provenance(self, queryset, name, value):
        """Cases with at least one coded value asserted by one of ``value`` (a characteristic, a tool,
        a factor, a stakeholder — or, for the study, a finding it reports jointly for the case)."""
        condition = Q(Exists(CaseFieldProvenance.objects.filter(case=OuterRef("pk"), provenance__in=value)))
        for model in (DigitalTool, FactorAssessment, Stakeholder):
            condition |= Q(Exists(model.objects.filter(case=OuterRef("pk"), provenance__in=value)))
        if Provenance.STUDY in value:
            condition |= Q(Exists(StudyFinding.cases.through.objects.filter(case=OuterRef("pk"))))
        return queryset.filter(condition)

    def filter_secondary_theme(self, queryset, name, value):
        return queryset.filter(Exists(CaseSecondaryTheme.objects.filter(case=OuterRef("pk"), theme__in=value)))

    def filter_band(self, queryset, name, value):
        if not value:
            return queryset
        field = name.removesuffix("_band")
        return queryset.filter(population_band_q(field, value))
