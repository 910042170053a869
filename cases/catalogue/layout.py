"""How a case's profile (and the comparison) lays out what it holds: tools in continuum columns, the
factor grid, stakeholders by helix, the characteristics table. Pure functions of a case already loaded
by ``selectors.case_get`` (its children prefetched): they run no query of their own.
"""

import dataclasses
from dataclasses import dataclass

from ..models import Case
from ..vocabularies import (
    CoproductionMode,
)


@dataclass(frozen=True)
class ModeColumn:
    mode: str
    label: str
    definition: str
    tools: list
    joint: list = dataclasses.field(default_factory=list)  # tools a study reports jointly for this case and others


def tools_by_mode(case: Case, findings=()) -> list[ModeColumn]:
    """The case's tools laid out on the continuum: one column per mode, lowest first, even if empty.

    ``findings`` are the study-level findings linked to the case (``research.selectors.case_findings``):
    its joint tools are shown in their column, as the study's, never as the case's own.
    """
    from ..vocabularies import COPRODUCTION_DEFINITIONS

    tools = list(case.tools.all())
    return [
        ModeColumn(
            mode=mode.value,
            label=mode.label,
            definition=COPRODUCTION_DEFINITIONS[mode],
            tools=[t for t in tools if t.coproduction_mode == mode],
            joint=[f for f in findings if f.kind == "tool" and f.coproduction_mode == mode],
        )
        for mode in CoproductionMode
    ]


# Common abbreviations of French place names, expanded before matching ("St-Étienne" → saint etienne).


@dataclass(frozen=True)
class FactorRow:
    factor: str
    label: str
    assessment: object  # the FactorAssessment, or None when the factor was not assessed
    joint: object = None  # the study-level finding on this factor, when a study reports it jointly


@dataclass(frozen=True)
class FactorGroupRows:
    group: str
    label: str
    rows: list[FactorRow]


def factor_grid(case: Case, findings=()) -> list[FactorGroupRows]:
    """The full analysis grid (every factor of every group), with the case's assessments filled in."""
    from ..vocabularies import FACTOR_GROUPS, Factor, FactorGroup

    by_factor = {a.factor: a for a in case.factors.all()}
    joint = {f.factor: f for f in findings if f.kind == "difficulty"}
    return [
        FactorGroupRows(
            group=group.value,
            label=FactorGroup(group).label,
            rows=[FactorRow(f.value, Factor(f).label, by_factor.get(f.value), joint.get(f.value)) for f in factors],
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
    provenance: object = None  # who asserted it (research.models.CaseFieldProvenance), when recorded


def characteristics(case: Case, provenance=None) -> list[Characteristic]:
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
    rows = [*place,
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
    if provenance:
        # "launch" shows launch_date or launch_year: either field's provenance stands for it.
        rows = [dataclasses.replace(row, provenance=provenance.get(row.key) or provenance.get(f"{row.key}_year")
                        or provenance.get(f"{row.key}_date")) for row in rows]
    return rows
