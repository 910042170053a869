"""Aggregates for the statistics page and ``/api/v1/stats/``, under the shared filters.

The unit is stated per table: continuum cross-tabulations count *tools* (a case's tools can sit in
several modes), the others count *cases*. Each table is one GROUP BY query, whatever the row count.

A tool a study reports jointly for several cases (``research.models.StudyFinding``) is one tool: it is
counted once — by its type, or in a "reported jointly" row where the row is a property of a case
(theme, management mode, population), since it belongs to no single case.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import DigitalTool
from ..research.selectors import study_tools
from ..vocabularies import POPULATION_BANDS, CoproductionMode, ManagementMode, Theme, ToolType
from .filters import population_band_q


@dataclass
class CrossTable:
    """Rows × columns of counts, with labels, ready for a chart and its data table."""

    key: str
    title: str
    unit: str
    row_label: str
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    counts: dict = field(default_factory=dict)  # (row code, column code) -> count

    def cell(self, row, column):
        return self.counts.get((row, column), 0)

    @property
    def matrix(self):
        """Rows as ``(code, label, [counts…], total)`` — what templates and the API render."""
        return [
            (code, label, [self.cell(code, col) for col, _l in self.columns],
             sum(self.cell(code, col) for col, _l in self.columns))
            for code, label in self.rows
        ]

    @property
    def column_totals(self):
        return [sum(self.cell(row, col) for row, _l in self.rows) for col, _l in self.columns]

    def as_dict(self):
        return {
            "key": self.key, "title": str(self.title), "unit": str(self.unit), "row_label": str(self.row_label),
            "columns": [{"code": c, "label": str(label)} for c, label in self.columns],
            "rows": [{"code": code, "label": str(label), "counts": counts, "total": total}
                     for code, label, counts, total in self.matrix],
        }


MODES = [(m.value, m.label) for m in CoproductionMode]
SINGLE = [("count", _("Nombre"))]


def _keep_used(choices, counts, axis):
    used = {key[axis] for key, n in counts.items() if n}
    return [(code, label) for code, label in choices if code in used]


JOINT = "joint"
JOINT_ROW = (JOINT, _("Rapportés conjointement pour plusieurs cas (étude)"))


def _joint_counts(cases, by_type: bool) -> dict:
    counts: dict = {}
    for tool_type, mode in study_tools(cases).values_list("tool_type", "coproduction_mode"):
        key = (tool_type if by_type else JOINT, mode)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _add(counts: dict, more: dict) -> dict:
    for key, n in more.items():
        counts[key] = counts.get(key, 0) + n
    return counts


def _tools_by(cases, field_name, choices, key, title, row_label):
    rows = (DigitalTool.objects.filter(case__in=cases).values_list(field_name, "coproduction_mode")
            .annotate(n=Count("pk")).order_by())
    counts = _add({(row, mode): n for row, mode, n in rows}, _joint_counts(cases, field_name == "tool_type"))
    return CrossTable(key, title, _("outils"), row_label, _keep_used([*choices, JOINT_ROW], counts, 0), MODES,
                      counts)


def case_statistics(cases) -> list[CrossTable]:
    """Every table of the statistics page for the (already filtered) published ``cases``."""
    cases = cases.order_by()
    tables = [
        _tools_by(cases, "tool_type", ToolType.choices, "tools_by_type",
                  _("Outils par type et mode de co-production"), _("Type d'outil")),
        _tools_by(cases, "case__dominant_theme", Theme.choices, "modes_by_theme",
                  _("Modes de co-production par thématique dominante"), _("Thématique dominante")),
        _tools_by(cases, "case__management_mode", ManagementMode.choices, "modes_by_management_mode",
                  _("Modes de co-production par mode de gestion"), _("Mode de gestion")),
    ]
    band_counts = {}
    band_rows = (DigitalTool.objects.filter(case__in=cases).values_list("coproduction_mode")
                 .annotate(**{code: Count("pk", filter=population_band_q("case__population_city", [code]))
                              for code, _lo, _hi, _label in POPULATION_BANDS}).order_by())
    for mode, *per_band in band_rows:
        for (code, *_rest), n in zip(POPULATION_BANDS, per_band, strict=True):
            band_counts[(code, mode)] = n
    _add(band_counts, _joint_counts(cases, by_type=False))
    bands = [(code, label) for code, _lo, _hi, label in POPULATION_BANDS] + [JOINT_ROW]
    tables.append(CrossTable("modes_by_population_band", _("Modes de co-production par taille de la ville centre"),
                             _("outils"), _("Population de la ville centre"),
                             _keep_used(bands, band_counts, 0), MODES, band_counts))

    region_rows = (cases.exclude(territory__region__isnull=True)
                   .values_list("territory__region__code", "territory__region__name")
                   .annotate(n=Count("pk", distinct=True)).order_by("territory__region__name"))
    tables.append(CrossTable("cases_by_region", _("Cas par région"), _("cas"), _("Région"),
                             [(code, name) for code, name, _n in region_rows], SINGLE,
                             {(code, "count"): n for code, _name, n in region_rows}))
    year_rows = (cases.exclude(launch_year__isnull=True).values_list("launch_year")
                 .annotate(n=Count("pk", distinct=True)).order_by("launch_year"))
    tables.append(CrossTable("cases_by_launch_year", _("Cas par année de lancement"), _("cas"),
                             _("Année de lancement"), [(str(y), str(y)) for y, _n in year_rows], SINGLE,
                             {(str(y), "count"): n for y, n in year_rows}))
    return tables
