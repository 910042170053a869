"""Every read of published cases for pages, the API and exports (territories: ``cases.territories.selectors``).

Selectors return querysets with their ``select_related``/``prefetch_related`` already set, so a page
runs the same number of queries whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from ..models import Case, CaseSecondaryTheme, DigitalTool
from ..permissions import abilities, is_moderator
from ..vocabularies import (
    POPULATION_BANDS,
    Carrier,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    Theme,
    ToolStatus,
    ToolType,
)
from .filters import CaseFilterSet, population_band_q


def case_filterset(*, filters=None, user=None) -> CaseFilterSet:
    """The shared FilterSet bound to ``filters`` (a QueryDict or dict) over the published cases."""
    return CaseFilterSet(filters or {}, queryset=Case.objects.published().with_public_name())


def case_list(*, filters=None, user=None) -> QuerySet[Case]:
    """Published cases matching ``filters``, ready for list cards (territory, tools prefetched).

    Invalid filter values are ignored here; pages show ``case_filterset(...).errors`` next to the
    field and the API answers 400.
    """
    queryset = case_filterset(filters=filters, user=user).qs
    if not queryset.query.order_by:
        queryset = queryset.order_by("public_name", "pk")
    return queryset.with_profile()


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


# (filter parameter, model holding the value, its field, vocabulary) — the facets of the browse page.
# Values on a case's children are counted on the child table, restricted to the filtered cases:
# no join from cases to children, hence no duplicate rows to de-duplicate.
FACET_FIELDS = [
    ("mode", DigitalTool, "coproduction_mode", CoproductionMode),
    ("dominant_theme", Case, "dominant_theme", Theme),
    ("secondary_theme", CaseSecondaryTheme, "theme", Theme),
    ("management_mode", Case, "management_mode", ManagementMode),
    ("carrier", Case, "carrier", Carrier),
    ("tool_type", DigitalTool, "tool_type", ToolType),
    ("tool_status", DigitalTool, "status", ToolStatus),
]


def _selected(filters, name) -> list[str]:
    if hasattr(filters, "getlist"):
        return filters.getlist(name)
    value = (filters or {}).get(name, [])
    return value if isinstance(value, list) else [value]


def _without(filters, name):
    data = filters.copy() if hasattr(filters, "copy") else dict(filters or {})
    data.pop(name, None)
    return data


def _facet_counts(base, model, field) -> dict[str, int]:
    if model is Case:
        rows = base.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk"))
    else:
        rows = (model.objects.filter(case__in=base.values("pk")).exclude(**{field: ""})
                .values_list(field).annotate(n=Count("case_id", distinct=True)))
    return dict(rows.order_by())


def case_facets(*, filters=None, user=None) -> list[Facet]:
    """Each facet's options with the number of cases they would give.

    Counts are disjunctive: a facet is counted with every *other* filter applied, so ticking a second
    option of the same facet shows how many cases it adds. One query per facet, whatever the row count.
    """
    facets = []
    for name, model, field, vocabulary in FACET_FIELDS:
        base = case_filterset(filters=_without(filters, name), user=user).qs.order_by()
        counts = _facet_counts(base, model, field)
        chosen = set(_selected(filters, name))
        facets.append(Facet(
            name=name,
            label=str(CaseFilterSet.base_filters[name].label),
            options=[FacetOption(value, label, counts.get(value, 0), value in chosen)
                     for value, label in vocabulary.choices if counts.get(value) or value in chosen],
        ))
    facets.append(_region_facet(filters, user))
    for band_filter in ("population_city_band", "population_epci_band"):
        facets.append(_band_facet(filters, user, band_filter))
    return facets


def _region_facet(filters, user) -> Facet:
    base = case_filterset(filters=_without(filters, "region"), user=user).qs.order_by()
    # A pseudonymised case whose région was generalised away (cases.disclosure) is in no région.
    rows = (base.exclude(territory__region__isnull=True)
            .filter(Q(disclosure=Disclosure.NAMED) | ~Q(public_region_code=""))
            .values_list("territory__region__code", "territory__region__name")
            .annotate(n=Count("pk")).order_by("territory__region__name"))
    chosen = set(_selected(filters, "region"))
    return Facet("region", str(CaseFilterSet.base_filters["region"].label),
                 [FacetOption(code, name, n, code in chosen) for code, name, n in rows])


def _band_facet(filters, user, name) -> Facet:
    field = name.removesuffix("_band")
    base = case_filterset(filters=_without(filters, name), user=user).qs.order_by()
    counts = base.aggregate(**{
        code: Count("pk", filter=population_band_q(field, [code]))
        for code, _low, _high, _label in POPULATION_BANDS
    })
    chosen = set(_selected(filters, name))
    return Facet(name, str(CaseFilterSet.base_filters[name].label), [
        FacetOption(code, str(label), counts[code], code in chosen)
        for code, _low, _high, label in POPULATION_BANDS if counts[code] or code in chosen
    ])


class CaseGone(Http404):
    """The slug was retired when its case became pseudonymised: 410 Gone, with nothing about the case.

    A subclass of Http404, so that a caller that does not handle it still answers a plain 404.
    """


def _missing(slug: str):
    from ..models import RetiredSlug

    return CaseGone() if RetiredSlug.objects.filter(slug=slug).exists() else Http404()


def case_get(*, slug: str, user=None) -> Case:
    """One case with every child its profile shows; 404 unless ``user`` may view it (410 if retired)."""
    queryset = Case.objects.with_children()
    if not is_moderator(user):
        # Non-moderators only ever reach published cases — or their own.
        try:
            case = queryset.get(slug=slug)
        except Case.DoesNotExist:
            raise _missing(slug) from None
        if not abilities(user, case)["view"]:
            raise Http404
        return case
    try:
        return queryset.get(slug=slug)
    except Case.DoesNotExist:
        raise _missing(slug) from None


@dataclass(frozen=True)
class ModeColumn:
    mode: str
    label: str
    definition: str
    tools: list


def tools_by_mode(case: Case) -> list[ModeColumn]:
    """The case's tools laid out on the continuum: one column per mode, lowest first, even if empty."""
    from ..vocabularies import COPRODUCTION_DEFINITIONS

    tools = list(case.tools.all())
    return [
        ModeColumn(
            mode=mode.value,
            label=mode.label,
            definition=COPRODUCTION_DEFINITIONS[mode],
            tools=[t for t in tools if t.coproduction_mode == mode],
        )
        for mode in CoproductionMode
    ]


# Common abbreviations of French place names, expanded before matching ("St-Étienne" → saint etienne).


@dataclass(frozen=True)
class FactorRow:
    factor: str
    label: str
    assessment: object  # the FactorAssessment, or None when the factor was not assessed


@dataclass(frozen=True)
class FactorGroupRows:
    group: str
    label: str
    rows: list[FactorRow]


def factor_grid(case: Case) -> list[FactorGroupRows]:
    """The full analysis grid (every factor of every group), with the case's assessments filled in."""
    from ..vocabularies import FACTOR_GROUPS, Factor, FactorGroup

    by_factor = {a.factor: a for a in case.factors.all()}
    return [
        FactorGroupRows(
            group=group.value,
            label=FactorGroup(group).label,
            rows=[FactorRow(f.value, Factor(f).label, by_factor.get(f.value)) for f in factors],
        )
        for group, factors in FACTOR_GROUPS.items()
    ]


def stakeholders_by_helix(case: Case) -> list[tuple[str, list]]:
    """``(helix label, stakeholders)`` pairs in the helix order, only helices that have someone."""
    from ..vocabularies import Helix

    people = list(case.stakeholders.all())
    return [(helix.label, [s for s in people if s.helix == helix]) for helix in Helix
            if any(s.helix == helix for s in people)]


@dataclass(frozen=True)
class Characteristic:
    key: str
    label: str
    value: str


def characteristics(case: Case) -> list[Characteristic]:
    """The study's table "Principales caractéristiques" for one case, as the public may see it.

    Pseudonymised cases give only the bands disclosure control left (``cases.disclosure``), never an
    exact figure nor the seasonal peak, even when their source printed them: exact figures re-identify
    a collectivity.
    """
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    def pop(value, public_label):
        if not case.shows_exact_population:
            return str(public_label) or "—"
        return "—" if value is None else number_format(value, force_grouping=True)

    city = pop(case.population_city, case.public_city_band_label)
    if case.seasonal_population_peak and case.shows_exact_population:
        city = _("%(pop)s (%(peak)s en pointe saisonnière)") % {
            "pop": city, "peak": number_format(case.seasonal_population_peak, force_grouping=True)
        }
    launch = "—"
    if case.launch_date:
        from django.utils.formats import date_format

        launch = date_format(case.launch_date)
    elif case.launch_year:
        launch = str(case.launch_year)
    population_label = _("Population")
    if case.population_year:
        population_label = _("Population %(year)s") % {"year": case.population_year}
    place = ([Characteristic("place", _("Zone publiée"), case.public_place or _("France"))]
             if case.is_pseudonymised else [])
    return [*place,
        Characteristic("population_city", "{} — {}".format(population_label, _("ville centre")), city),
        Characteristic("population_epci", "{} — {}".format(population_label, _("EPCI")),
                       pop(case.population_epci, case.public_epci_band_label)),
        Characteristic("carrier", _("Portage du projet"), case.get_carrier_display() or "—"),
        Characteristic("launch", _("Date de lancement"), launch),
        Characteristic("horizon_year", _("Principale échéance"), str(case.horizon_year or "—")),
        Characteristic("dominant_theme", _("Thématique dominante"), case.get_dominant_theme_display() or "—"),
        Characteristic("management_mode", _("Mode de gestion du projet"),
                       case.get_management_mode_display() or "—"),
    ]


# --- public site: landing page, comparison, map, filters -------------------------------------------

COMPARE_MAX = 6


# More identifiers than this in one URL are not even looked up.
COMPARE_LOOKUP_MAX = 50


@dataclass(frozen=True)
class CompareSelection:
    cases: list  # published cases, in the requested order (at most COMPARE_MAX)
    missing: list[str]  # requested identifiers that match no published case
    dropped: list[str]  # published cases requested beyond COMPARE_MAX, not compared


def cases_for_compare(slugs, user=None) -> CompareSelection:
    """The published cases named by ``slugs`` in the requested order, with what the comparison shows.

    Duplicates are ignored, unknown or unpublished identifiers reported in ``missing``, published
    cases past the sixth in ``dropped``. A fixed number of queries whatever the number of cases: one to
    resolve the identifiers, one for the cases, one per prefetched relation.
    """
    from django.db.models import Prefetch

    from ..models import FactorAssessment, Stakeholder

    wanted = [s for s in dict.fromkeys(str(s).strip() for s in slugs) if s][:COMPARE_LOOKUP_MAX]
    known = set(Case.objects.published().filter(slug__in=wanted).values_list("slug", flat=True)) if wanted else set()
    found = [s for s in wanted if s in known]
    kept, dropped = found[:COMPARE_MAX], found[COMPARE_MAX:]
    by_slug = {}
    if kept:
        by_slug = {
            case.slug: case
            for case in Case.objects.published().with_profile().prefetch_related(
                Prefetch("factors", queryset=FactorAssessment.objects.order_by("pk")),
                Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("helix", "name", "pk")),
            ).filter(slug__in=kept)
        }
    return CompareSelection(
        cases=[by_slug[s] for s in kept if s in by_slug],
        missing=[s for s in wanted if s not in known],
        dropped=dropped,
    )


def case_map_list(*, filters=None, user=None) -> QuerySet[Case]:
    """Published cases matching ``filters`` with only what a map feature needs.

    Each case carries ``top_mode``, the highest continuum mode of its tools computed in SQL (a
    correlated subquery, so tool filters cannot narrow it), instead of thousands of prefetched tools.
    """
    from django.db.models import Case as CaseWhen
    from django.db.models import IntegerField, OuterRef, Subquery, Value, When

    from ..models import DigitalTool

    rank = CaseWhen(*(When(coproduction_mode=m, then=Value(CoproductionMode.rank(m))) for m in CoproductionMode),
                    default=Value(0), output_field=IntegerField())
    top_mode = (DigitalTool.objects.filter(case=OuterRef("pk")).annotate(rank=rank)
                .order_by("-rank").values("coproduction_mode")[:1])
    queryset = case_filterset(filters=filters, user=user).qs.order_by("pk")
    return queryset.select_related("territory", "territory__region").only(
        "pk", "slug", "title", "pseudonym", "disclosure", "public_region_code",
        "territory__kind", "territory__code", "territory__name", "territory__latitude", "territory__longitude",
        "territory__region__kind", "territory__region__code", "territory__region__name",
        "territory__region__latitude", "territory__region__longitude",
    ).annotate(top_mode=Subquery(top_mode))


def public_figures() -> dict:
    """Key figures of the landing page (published cases only), in three queries."""
    from ..models import DigitalTool

    published = Case.objects.published()
    cases = published.aggregate(
        cases=Count("pk"),
        # A pseudonymised case counts only where it is public: its région when kept, never its département.
        regions=Count("territory__region", distinct=True,
                      filter=Q(disclosure=Disclosure.NAMED) | ~Q(public_region_code="")),
        departements=Count("territory__departement", distinct=True, filter=Q(disclosure=Disclosure.NAMED)),
    )
    by_mode = dict(
        DigitalTool.objects.filter(case__in=published).values_list("coproduction_mode")
        .annotate(n=Count("pk")).order_by()
    )
    return {
        **cases,
        "tools": sum(by_mode.values()),
        "modes": [(mode.value, mode.label, by_mode.get(mode.value, 0)) for mode in CoproductionMode],
    }


def latest_cases(*, limit: int = 6, user=None) -> QuerySet[Case]:
    """The most recently published cases, for the landing page."""
    return (Case.objects.published().with_profile()
            .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit])


