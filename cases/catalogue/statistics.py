"""Aggregates for the statistics page and ``/api/v1/stats/``, under the shared filters.

The unit is stated per table: continuum cross-tabulations count *tools* (a case's tools can sit in
several modes), the others count *cases*. Each table is one GROUP BY query, whatever the row count.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import DigitalTool, Territory
from ..vocabularies import (
    POPULATION_BANDS,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    TerritoryKind,
    Theme,
    ToolType,
)
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


def _tools_by(cases, field_name, choices, key, title, row_label):
    rows = (DigitalTool.objects.filter(case__in=cases).values_list(field_name, "coproduction_mode")
            .annotate(n=Count("pk")).order_by())
    counts = {(row, mode): n for row, mode, n in rows}
    return CrossTable(key, title, _("outils"), row_label, _keep_used(choices, counts, 0), MODES, counts)


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
    bands = [(code, label) for code, _lo, _hi, label in POPULATION_BANDS]
    tables.append(CrossTable("modes_by_population_band", _("Modes de co-production par taille de la ville centre"),
                             _("outils"), _("Population de la ville centre"),
                             _keep_used(bands, band_counts, 0), MODES, band_counts))

    tables.append(_cases_by_region(cases))
    year_rows = (cases.exclude(launch_year__isnull=True).values_list("launch_year")
                 .annotate(n=Count("pk", distinct=True)).order_by("launch_year"))
    tables.append(CrossTable("cases_by_launch_year", _("Cas par année de lancement"), _("cas"),
                             _("Année de lancement"), [(str(y), str(y)) for y, _n in year_rows], SINGLE,
                             {(str(y), "count"): n for y, n in year_rows}))
    return tables


# Fewer pseudonymised cases than this in a région row are not shown there (methodology, #disclosure).
SMALL_CELL = 3
UNPUBLISHED_REGION = "non_publiee"


def _cases_by_region(cases) -> CrossTable:
    """Cases per région, with the small-cell rule for pseudonymised cases (cases.disclosure).

    A named case counts in its région. A pseudonymised one counts in the région it publishes, and only
    when that row holds at least SMALL_CELL pseudonymised cases: otherwise — or when its région is not
    published — it counts in one row, "Région non publiée", so that no row minus the named cases a
    reader can list pins down one or two pseudonymised collectivities.
    """
    named = (cases.filter(disclosure=Disclosure.NAMED).exclude(territory__region__isnull=True)
             .values_list("territory__region__code", "territory__region__name")
             .annotate(n=Count("pk", distinct=True)).order_by())
    pseudonymised = dict(cases.filter(disclosure=Disclosure.PSEUDONYMISED).values_list("public_region_code")
                         .annotate(n=Count("pk", distinct=True)).order_by())
    counts = {code: n for code, _name, n in named}
    names = {code: name for code, name, _n in named}
    unpublished = pseudonymised.pop("", 0)
    shown = {code for code, n in pseudonymised.items() if n >= SMALL_CELL}
    if shown - set(names):
        names.update(Territory.objects.filter(kind=TerritoryKind.REGION, code__in=shown - set(names))
                     .values_list("code", "name"))
    for code, n in pseudonymised.items():
        if code in shown:
            counts[code] = counts.get(code, 0) + n
        else:
            unpublished += n
    rows = sorted(((code, names[code]) for code in counts if code in names), key=lambda row: row[1])
    if unpublished:
        rows.append((UNPUBLISHED_REGION, _("Région non publiée (cas pseudonymisés)")))
        counts[UNPUBLISHED_REGION] = unpublished
    return CrossTable("cases_by_region", _("Cas par région"), _("cas"), _("Région"), rows, SINGLE,
                      {(code, "count"): n for code, n in counts.items()})
