"""Every read of cases and territories for pages, the API and exports.

Selectors return querysets with their ``select_related``/``prefetch_related`` already set, so a page
runs the same number of queries whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .models import Case, Territory
from .permissions import abilities, is_moderator
from .vocabularies import CoproductionMode


def case_list(*, user=None) -> QuerySet[Case]:
    """Published cases, ready for list cards (territory, tools and multi-valued fields prefetched)."""
    return Case.objects.published().with_profile().order_by("title", "pk")


def case_get(*, slug: str, user=None) -> Case:
    """One case with every child its profile shows; 404 unless ``user`` may view it."""
    queryset = Case.objects.with_children()
    if not is_moderator(user):
        # Non-moderators only ever reach published cases — or their own.
        try:
            case = queryset.get(slug=slug)
        except Case.DoesNotExist:
            raise Http404 from None
        if not abilities(user, case)["view"]:
            raise Http404
        return case
    try:
        return queryset.get(slug=slug)
    except Case.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ModeColumn:
    mode: str
    label: str
    definition: str
    tools: list


def tools_by_mode(case: Case) -> list[ModeColumn]:
    """The case's tools laid out on the continuum: one column per mode, lowest first, even if empty."""
    from .vocabularies import COPRODUCTION_DEFINITIONS

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


def territory_get(*, kind: str, code: str) -> Territory:
    try:
        return Territory.objects.with_parents().get(kind=kind, code=code)
    except Territory.DoesNotExist:
        raise Http404 from None


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
    from .vocabularies import FACTOR_GROUPS, Factor, FactorGroup

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
    from .vocabularies import Helix

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

    Pseudonymised cases give population bands unless their figures were already published exactly
    (``population_disclosure``), because exact figures re-identify a collectivity.
    """
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    def pop(value, band):
        if value is None:
            return "—"
        if case.shows_exact_population:
            return number_format(value, force_grouping=True)
        return str(band[1]) if band else "—"

    city = pop(case.population_city, case.population_city_band)
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
    return [
        Characteristic("population_city", f"{population_label} — {_('ville centre')}", city),
        Characteristic("population_epci", f"{population_label} — {_('EPCI')}",
                       pop(case.population_epci, case.population_epci_band)),
        Characteristic("carrier", _("Portage du projet"), case.get_carrier_display() or "—"),
        Characteristic("launch", _("Date de lancement"), launch),
        Characteristic("horizon_year", _("Principale échéance"), str(case.horizon_year or "—")),
        Characteristic("dominant_theme", _("Thématique dominante"), case.get_dominant_theme_display() or "—"),
        Characteristic("management_mode", _("Mode de gestion du projet"),
                       case.get_management_mode_display() or "—"),
    ]
