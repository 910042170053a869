"""Aggregates for the statistics page and ``/api/v1/stats/``, under the shared filters.

The unit is stated per table: continuum cross-tabulations count *tools* (a case's tools can sit in
several modes), the others count *cases*. Every table is counted in one pass over the filtered cases'
facts held in memory (``facts``): one ids query per filter set, run once per data version and filter
set (``freshness``).

A tool a study reports jointly for several cases (``research.models.StudyFinding``) is one tool: it is
counted once — by its type, or in a "reported jointly" row where the row is a property of a case
(theme, management mode, population), since it belongs to no single case.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..text import fold
from ..vocabularies import (
    POPULATION_BANDS,
    CoproductionMode,
    ManagementMode,
    Theme,
    ToolType,
)
from . import facts
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
# Fewer pseudonymised cases than this in a région row are not shown there (methodology, #disclosure).
SMALL_CELL = 3
UNPUBLISHED_REGION = "non_publiee"
SINGLE = [("count", _("Nombre"))]


def _keep_used(choices, counts, axis):
    used = {key[axis] for key, n in counts.items() if n}
    return [(code, label) for code, label in choices if code in used]


# Filters of the case list that are about a case's tools: under them, tool counts keep only the tools that
# match (a "participative" filter must not count the same cases' consumer tools).
TOOL_FILTERS = ("mode", "tool_type", "tool_status")


def tool_conditions(cleaned_data) -> dict[str, set]:
    """The values chosen for each tool filter set in a valid filter form's ``cleaned_data``."""
    return {name: set(cleaned_data[name]) for name in TOOL_FILTERS if cleaned_data.get(name)}


JOINT = "joint"
JOINT_ROW = (JOINT, _("Rapportés conjointement pour plusieurs cas (étude)"))


def raw_statistics(ids: set, tools=None) -> dict:
    """The counts behind every table, as plain data (no labels): what the cache keeps.

    Counted in memory over ``facts`` (the published cases at this data version) for the cases ``ids``:
    one pass over their tools, instead of a GROUP BY per table over the filtered cases.
    """
    facts_now = facts.current()
    modes, types, statuses = ((tools or {}).get(name) for name in TOOL_FILTERS)

    def kept(mode, tool_type, status=None):
        return ((modes is None or mode in modes) and (types is None or tool_type in types)
                and (statuses is None or status in statuses))

    by_type, by_theme, by_management, by_band = Counter(), Counter(), Counter(), Counter()
    named_regions, pseudonymised_regions, years = Counter(), Counter(), Counter()
    case_count = tool_count = 0
    for pk in ids:
        case = facts_now.cases.get(pk)
        if case is None:
            continue
        case_count += 1
        for mode, tool_type, status in facts_now.tools.get(pk, ()):
            if kept(mode, tool_type, status):
                tool_count += 1
                by_type[(tool_type, mode)] += 1
                by_theme[(case.dominant_theme, mode)] += 1
                by_management[(case.management_mode, mode)] += 1
                if case.city_band:
                    by_band[(case.city_band, mode)] += 1
        if case.named:
            if case.region_code is not None:
                named_regions[case.region_code] += 1
        else:
            pseudonymised_regions[case.region_code] += 1
        if case.launch_year is not None:
            years[case.launch_year] += 1
    # A tool a study reports jointly for several cases is one tool (it has no status to filter on).
    if statuses is None:
        for mode, tool_type, cases in facts_now.findings:
            if kept(mode, tool_type) and not cases.isdisjoint(ids):
                tool_count += 1
                by_type[(tool_type, mode)] += 1
                for table in (by_theme, by_management, by_band):
                    table[(JOINT, mode)] += 1
    return {
        "tools_by_type": dict(by_type), "modes_by_theme": dict(by_theme),
        "modes_by_management_mode": dict(by_management), "modes_by_population_band": dict(by_band),
        "cases_by_region": _region_rows(named_regions, pseudonymised_regions, facts_now.region_names),
        "cases_by_launch_year": sorted(years.items()),
        "case_count": case_count, "tool_count": tool_count,
    }


def _region_rows(named: Counter, pseudonymised: Counter, names: dict) -> list[tuple[str, str, int]]:
    """Cases per région, with the small-cell rule for pseudonymised cases (cases.disclosure).

    A named case counts in its région. A pseudonymised one counts in the région it publishes, and only
    when that row holds at least SMALL_CELL pseudonymised cases: otherwise — or when its région is not
    published — it counts in one row, "Région non publiée", so that no row minus the named cases a
    reader can list pins down one or two pseudonymised collectivities.
    """
    counts = dict(named)
    unpublished = pseudonymised.pop("", 0)
    for code, n in pseudonymised.items():
        if n >= SMALL_CELL:
            counts[code] = counts.get(code, 0) + n
        else:
            unpublished += n
    rows = [(code, names[code], n) for code, n in counts.items() if code in names]
    if unpublished:
        rows.append((UNPUBLISHED_REGION, "", unpublished))  # labelled in tables_from
    return rows


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


def _ids(cases) -> set:
    return set(cases.order_by().values_list("pk", flat=True))


def case_statistics(cases, tools=None) -> list[CrossTable]:
    """Every table of the statistics page for the (already filtered) published ``cases``, uncached; tool
    counts keep only the tools matching ``tools`` (see ``tool_conditions``)."""
    return tables_from(raw_statistics(_ids(cases), tools))


def statistics_for(*, filters=None, user=None) -> tuple[list[CrossTable], int, int]:
    """``(tables, case count, tool count)`` under ``filters``, from the cache while the data are unchanged."""
    from .selectors import NON_FILTER_PARAMS, case_filterset, matching_ids

    def compute():
        filterset = case_filterset(filters=filters, user=user)
        tools = tool_conditions(filterset.form.cleaned_data) if filterset.is_valid() else {}
        return raw_statistics(matching_ids(filters=filters, user=user), tools)

    raw = cached("statistics", filters, compute, drop=NON_FILTER_PARAMS)
    return tables_from(raw), raw["case_count"], raw["tool_count"]
