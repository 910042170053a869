"""Aggregates for the statistics page and ``/api/v1/stats/``, under the shared filters.

The unit is stated per table: continuum cross-tabulations count *tools* (a case's tools can sit in
several modes), the others count *cases*. Each table is one GROUP BY query, whatever the row count, run
once per data version and filter set (``freshness``).

A tool a study reports jointly for several cases (``research.models.StudyFinding``) is one tool: it is
counted once — by its type, or in a "reported jointly" row where the row is a property of a case
(theme, management mode, population), since it belongs to no single case.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import DigitalTool, Territory
from ..research.selectors import study_tools
from ..text import fold
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
from .freshness import cached


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


# Filters of the case list that are about a case's tools: under them, tool counts keep only the tools that
# match (a "participative" filter must not count the same cases' consumer tools).
TOOL_FILTERS = {"mode": "coproduction_mode", "tool_type": "tool_type", "tool_status": "status"}


def tool_conditions(cleaned_data) -> dict:
    """``DigitalTool`` lookups for the tool filters among a valid filter form's ``cleaned_data``."""
    return {f"{field}__in": cleaned_data[name] for name, field in TOOL_FILTERS.items() if cleaned_data.get(name)}


def _tools(cases, tools):
    return DigitalTool.objects.filter(case__in=cases, **(tools or {}))


JOINT = "joint"
JOINT_ROW = (JOINT, _("Rapportés conjointement pour plusieurs cas (étude)"))


def _study_tools(cases, tools):
    """The study-level tools of ``cases`` that match the tool conditions (a joint tool has no status)."""
    if tools and "status__in" in tools:
        return study_tools(cases).none()
    return study_tools(cases).filter(**(tools or {}))


def _joint_counts(cases, by_type: bool, tools=None) -> dict:
    counts: dict = {}
    for tool_type, mode in _study_tools(cases, tools).values_list("tool_type", "coproduction_mode"):
        key = (tool_type if by_type else JOINT, mode)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _add(counts: dict, more: dict) -> dict:
    for key, n in more.items():
        counts[key] = counts.get(key, 0) + n
    return counts


def _tools_by(cases, field_name, tools=None) -> dict:
    rows = (_tools(cases, tools).values_list(field_name, "coproduction_mode")
            .annotate(n=Count("pk")).order_by())
    return _add({(row, mode): n for row, mode, n in rows}, _joint_counts(cases, field_name == "tool_type", tools))


def raw_statistics(cases, tools=None) -> dict:
    """The counts behind every table, as plain data (no labels): what the cache keeps."""
    cases = cases.order_by()
    raw = {
        "tools_by_type": _tools_by(cases, "tool_type", tools),
        "modes_by_theme": _tools_by(cases, "case__dominant_theme", tools),
        "modes_by_management_mode": _tools_by(cases, "case__management_mode", tools),
    }
    band_counts = {}
    band_rows = (_tools(cases, tools).values_list("coproduction_mode")
                 .annotate(**{code: Count("pk", filter=population_band_q("case__population_city", [code]))
                              for code, _lo, _hi, _label in POPULATION_BANDS}).order_by())
    for mode, *per_band in band_rows:
        for (code, *_rest), n in zip(POPULATION_BANDS, per_band, strict=True):
            band_counts[(code, mode)] = n
    raw["modes_by_population_band"] = _add(band_counts, _joint_counts(cases, False, tools))
    raw["cases_by_region"] = _cases_by_region(cases)
    raw["cases_by_launch_year"] = list(cases.exclude(launch_year__isnull=True).values_list("launch_year")
                                       .annotate(n=Count("pk", distinct=True)).order_by("launch_year"))
    raw["case_count"] = cases.count()
    # A tool a study reports jointly for several cases counts once.
    raw["tool_count"] = (DigitalTool.objects.filter(case__in=cases.values("pk"), **(tools or {})).count()
                         + _study_tools(cases, tools).count())
    return raw


def tables_from(raw: dict) -> list[CrossTable]:
    """The labelled tables (in the current language) of ``raw_statistics``' counts."""
    def tools(key, choices, title, row_label):
        counts = raw[key]
        return CrossTable(key, title, _("outils"), row_label, _keep_used([*choices, JOINT_ROW], counts, 0), MODES,
                          counts)

    bands = [(code, label) for code, _lo, _hi, label in POPULATION_BANDS]
    # "Île-de-France" among the I; the pseudonymised cases of unpublished régions last, in one row.
    regions = sorted((row for row in raw["cases_by_region"] if row[0] != UNPUBLISHED_REGION),
                     key=lambda row: fold(row[1]))
    regions += [(code, _("Région non publiée (cas pseudonymisés)"), n)
                for code, _name, n in raw["cases_by_region"] if code == UNPUBLISHED_REGION]
    years = raw["cases_by_launch_year"]
    return [
        tools("tools_by_type", ToolType.choices, _("Outils par type et mode de co-production"), _("Type d'outil")),
        tools("modes_by_theme", Theme.choices, _("Modes de co-production par thématique dominante"),
              _("Thématique dominante")),
        tools("modes_by_management_mode", ManagementMode.choices, _("Modes de co-production par mode de gestion"),
              _("Mode de gestion")),
        tools("modes_by_population_band", bands, _("Modes de co-production par taille de la ville centre"),
              _("Population de la ville centre")),
        CrossTable("cases_by_region", _("Cas par région"), _("cas"), _("Région"),
                   [(code, name) for code, name, _n in regions], SINGLE,
                   {(code, "count"): n for code, _name, n in regions}),
        CrossTable("cases_by_launch_year", _("Cas par année de lancement"), _("cas"), _("Année de lancement"),
                   [(str(y), str(y)) for y, _n in years], SINGLE, {(str(y), "count"): n for y, n in years}),
    ]


def case_statistics(cases, tools=None) -> list[CrossTable]:
    """Every table of the statistics page for the (already filtered) published ``cases``, uncached; tool
    counts keep only the tools matching ``tools`` (see ``tool_conditions``)."""
    return tables_from(raw_statistics(cases, tools))


def statistics_for(*, filters=None, user=None) -> tuple[list[CrossTable], int, int]:
    """``(tables, case count, tool count)`` under ``filters``, from the cache while the data are unchanged."""
    from .selectors import NON_FILTER_PARAMS, case_filterset

    def compute():
        filterset = case_filterset(filters=filters, user=user)
        tools = tool_conditions(filterset.form.cleaned_data) if filterset.is_valid() else {}
        return raw_statistics(filterset.qs, tools)

    raw = cached("statistics", filters, compute, drop=NON_FILTER_PARAMS)
    return tables_from(raw), raw["case_count"], raw["tool_count"]


# Fewer pseudonymised cases than this in a région row are not shown there (methodology, #disclosure).
SMALL_CELL = 3
UNPUBLISHED_REGION = "non_publiee"


def _cases_by_region(cases) -> list[tuple[str, str, int]]:
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
    rows = [(code, names[code], n) for code, n in counts.items() if code in names]
    if unpublished:
        rows.append((UNPUBLISHED_REGION, "", unpublished))  # labelled in tables_from
    return rows
