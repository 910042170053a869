"""Streaming CSV and GeoJSON exports of cases and tools, made for analysis (pandas, R, QGIS).

Rows are read with ``QuerySet.iterator(chunk_size=…)``, which runs the queryset's prefetches once per
chunk (Django ≥ 4.1), and written as they come: a 10,000-case export never sits whole in memory, and
runs a constant number of queries per chunk. Every value goes through ``cases.api.public`` so that a
pseudonymised case exports exactly what it shows elsewhere.

The column order below is part of the API contract (documented in the README and the OpenAPI guide):
new columns are only ever appended to a version, never inserted or renamed.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime

from django.utils.translation import override

from ..catalogue.filters import POPULATION_BAND_CHOICES
from ..vocabularies import (
    Assessment,
    Carrier,
    CollectionMethod,
    CoproductionMode,
    Disclosure,
    Factor,
    FactorGroup,
    Helix,
    ManagementMode,
    PopulationDisclosure,
    Scope,
    TerritoryKind,
    Theme,
    ToolStatus,
    ToolType,
)
from .public import PublicCase, PublicFactor, PublicStakeholder, PublicTool, public_case, public_tool
from .serializers import INSTANT_FORMAT  # the one instant format of the API (JSON, CSV, GeoJSON)

CHUNK_SIZE = 500


def _code(obj, attr="code"):
    return getattr(obj, attr) if obj is not None else None


def _loc(attr):
    return lambda c: getattr(c.location, attr) if c.location is not None else None


# (column, value of a PublicCase) — the fixed part of the case CSV, in its documented order.
CASE_COLUMNS: list[tuple[str, Callable[[PublicCase], object]]] = [
    ("slug", lambda c: c.slug),
    ("name", lambda c: c.name),
    ("url", lambda c: c.get_absolute_url()),
    ("disclosure", lambda c: c.disclosure),
    ("scope", lambda c: c.scope),
    ("carrier", lambda c: c.carrier),
    ("region_code", lambda c: _code(c.region)),
    ("region_name", lambda c: _code(c.region, "name")),
    ("area", lambda c: c.area),
    ("departement_code", lambda c: _code(c.departement)),
    ("departement_name", lambda c: _code(c.departement, "name")),
    ("territory_kind", lambda c: _code(c.territory, "kind")),
    ("territory_code", lambda c: _code(c.territory)),
    ("territory_name", lambda c: _code(c.territory, "name")),
    ("epci_siren", lambda c: _code(c.epci)),
    ("epci_name", lambda c: _code(c.epci, "name")),
    ("cog_year", lambda c: c.cog_year),
    ("longitude", _loc("longitude")),
    ("latitude", _loc("latitude")),
    ("location_precision", _loc("precision")),
    ("population_city", lambda c: c.population_city),
    ("population_city_band", lambda c: c.population_city_band),
    ("population_epci", lambda c: c.population_epci),
    ("population_epci_band", lambda c: c.population_epci_band),
    ("population_year", lambda c: c.population_year),
    ("seasonal_population_peak", lambda c: c.seasonal_population_peak),
    ("population_disclosure", lambda c: c.population_disclosure),
    ("launch_year", lambda c: c.launch_year),
    ("launch_date", lambda c: c.launch_date),
    ("horizon_year", lambda c: c.horizon_year),
    ("dominant_theme", lambda c: c.dominant_theme),
    ("management_mode", lambda c: c.management_mode),
    ("observation_start_year", lambda c: c.observation_start_year),
    ("observation_end_year", lambda c: c.observation_end_year),
    ("website", lambda c: c.website),
    ("tool_count", lambda c: len(c.tools)),
    ("highest_mode", lambda c: c.highest_mode),
    ("published_at", lambda c: c.published_at),
    ("updated_at", lambda c: c.updated_at),
]

# (column prefix, codes, the case's codes) — one 0/1 column per code, "<prefix>__<code>".
CASE_INDICATORS: list[tuple[str, list[str], Callable[[PublicCase], list[str]]]] = [
    ("secondary_theme", Theme.values, lambda c: c.secondary_themes),
    ("collection_method", CollectionMethod.values, lambda c: c.collection_methods),
    ("mode", CoproductionMode.values, lambda c: c.modes),
    ("tool_type", ToolType.values, lambda c: c.tool_types),
]

TOOL_COLUMNS: list[tuple[str, Callable[[PublicTool], object]]] = [
    ("tool_id", lambda t: t.pk),
    ("case_slug", lambda t: t.case.slug),
    ("case_name", lambda t: t.case.name),
    ("case_disclosure", lambda t: t.case.disclosure),
    ("region_code", lambda t: _code(t.case.region)),
    ("region_name", lambda t: _code(t.case.region, "name")),
    ("departement_code", lambda t: _code(t.case.departement)),
    ("territory_code", lambda t: _code(t.case.territory)),
    ("territory_name", lambda t: _code(t.case.territory, "name")),
    ("case_carrier", lambda t: t.case.carrier),
    ("case_dominant_theme", lambda t: t.case.dominant_theme),
    ("case_management_mode", lambda t: t.case.management_mode),
    ("case_population_city_band", lambda t: t.case.population_city_band),
    ("name", lambda t: t.name),
    ("tool_type", lambda t: t.tool_type),
    ("coproduction_mode", lambda t: t.coproduction_mode),
    ("status", lambda t: t.status),
    ("launch_year", lambda t: t.launch_year),
    ("end_year", lambda t: t.end_year),
    ("software", lambda t: t.software),
    ("open_source", lambda t: t.open_source),
    ("url", lambda t: t.url),
    ("position", lambda t: t.position),
    ("classification_rationale", lambda t: t.classification_rationale),
    # Who asserted the classification (cases.research); "study" rows are tools a study reports jointly
    # for several cases: one row each, whatever the number of cases (case_slug lists them).
    ("provenance", lambda t: t.provenance),
    ("provenance_reference", lambda t: t.provenance_reference),
    ("validated", lambda t: t.validated),
    ("validated_at", lambda t: t.validated_at),
    ("finding_level", lambda t: t.finding_level),
]

# Columns after the indicators (appended last: the earlier order is the documented contract).
CASE_TRAILING: list[tuple[str, Callable[[PublicCase], object]]] = [
    ("public_id", lambda c: str(c.public_id)),
    # Who asserted the case's characteristics: the distinct provenances, "|"-separated.
    ("provenance", lambda c: "|".join(sorted({row.provenance for row in c.field_provenance}))),
    ("validated", lambda c: bool(c.field_provenance) and all(row.validated for row in c.field_provenance)),
    ("validated_at", lambda c: max((row.validated_at for row in c.field_provenance if row.validated_at),
                                   default=None)),
    ("finding_level", lambda c: "case"),
    # Findings a study reports jointly for this case and others (counted once in tools.csv).
    ("study_finding_count", lambda c: len(c.study_findings)),
]

TOOL_COLUMNS.append(("case_public_id", lambda t: str(t.case.public_id)))

URL_INDEX = [name for name, _get in CASE_COLUMNS].index("url")

# Coded columns and their vocabulary, for the labelled variant (``labels=fr|en``).
LABELLED = {
    "disclosure": Disclosure, "case_disclosure": Disclosure, "scope": Scope, "carrier": Carrier,
    "case_carrier": Carrier, "territory_kind": TerritoryKind, "population_city_band": POPULATION_BAND_CHOICES,
    "case_population_city_band": POPULATION_BAND_CHOICES, "population_epci_band": POPULATION_BAND_CHOICES,
    "population_disclosure": PopulationDisclosure, "dominant_theme": Theme, "case_dominant_theme": Theme,
    "management_mode": ManagementMode, "case_management_mode": ManagementMode, "highest_mode": CoproductionMode,
    "location_precision": TerritoryKind, "tool_type": ToolType, "coproduction_mode": CoproductionMode,
    "status": ToolStatus,
}

# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def case_csv_header() -> list[str]:
    return [name for name, _get in CASE_COLUMNS] + [
        f"{prefix}__{code}" for prefix, codes, _get in CASE_INDICATORS for code in codes
    ] + [name for name, _get in CASE_TRAILING]


def tool_csv_header() -> list[str]:
    return [name for name, _get in TOOL_COLUMNS]


def instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime(INSTANT_FORMAT)


def cell(value) -> str | int:
    """CSV cell: empty for unknown, 1/0 for booleans, ISO 8601 for dates (UTC for instants).

    Text starting with a formula trigger gets a leading apostrophe (OWASP): a spreadsheet then shows
    it as text instead of running it; analysis code sees the apostrophe, which the README documents.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def case_csv_row(case, base_url: str = "") -> list:
    """One CSV row; ``base_url`` (scheme and host) makes the ``url`` column absolute."""
    case = public_case(case)
    row = [cell(get(case)) for _name, get in CASE_COLUMNS]
    row[URL_INDEX] = base_url + row[URL_INDEX]
    for _prefix, codes, get in CASE_INDICATORS:
        present = set(get(case))
        # No value recorded at all is unknown (empty cells), not "absent" (zeros).
        row.extend((1 if code in present else 0) if present else "" for code in codes)
    row.extend(cell(get(case)) for _name, get in CASE_TRAILING)
    return row


def tool_csv_row(tool) -> list:
    tool = public_tool(tool)
    return [cell(get(tool)) for _name, get in TOOL_COLUMNS]


class CSVOptions:
    """A CSV variant: ``dialect`` ``rfc4180`` (default) or ``excel``; ``labels`` ``fr``/``en`` or none."""

    DIALECTS = ("rfc4180", "excel")
    LANGUAGES = ("fr", "en")

    def __init__(self, dialect: str = "rfc4180", labels: str | None = None):
        self.dialect, self.labels = dialect, labels

    @property
    def excel(self) -> bool:
        return self.dialect == "excel"

    def label_maps(self, header) -> dict[int, dict[str, str]]:
        if not self.labels:
            return {}
        with override(self.labels):
            return {index: {str(code): str(label) for code, label in getattr(LABELLED[name], "choices",
                                                                              LABELLED[name])}
                    for index, name in enumerate(header) if name in LABELLED}

    def convert(self, row: list, maps) -> list:
        for index, labels in maps.items():
            row[index] = labels.get(row[index], row[index])
        if self.excel:
            # French Excel reads "45,5" as a number and "45.5" as text: decimal commas with ";".
            row = [str(value).replace(".", ",") if isinstance(value, float) else value for value in row]
        return row


class _Line:
    """A file-like ``csv.writer`` target that hands back each line instead of storing it."""

    def write(self, value):
        return value


def stream_csv(header: list[str], rows: Iterable[list], options: CSVOptions | None = None) -> Iterator[bytes]:
    options = options or CSVOptions()
    writer = csv.writer(_Line(), lineterminator="\r\n", delimiter=";" if options.excel else ",")
    maps = options.label_maps(header)
    # Excel guesses the encoding of a CSV from a byte-order mark, and takes anything else for Windows-1252.
    yield (b"\xef\xbb\xbf" if options.excel else b"") + writer.writerow(header).encode()
    batch = []
    for row in rows:
        batch.append(writer.writerow(options.convert(row, maps)))
        if len(batch) >= 100:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def iterate(queryset, chunk_size: int = CHUNK_SIZE):
    return queryset.iterator(chunk_size=chunk_size)


def cases_csv(queryset, *, base_url: str = "", options=None, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The case CSV of ``queryset`` (built by ``selectors.case_list``: it carries the prefetches)."""
    rows = (case_csv_row(case, base_url) for case in iterate(queryset, chunk_size))
    return stream_csv(case_csv_header(), rows, options)


class StudyToolRow:
    """A tool a study reports jointly for several cases, as one row of the tool CSV."""

    def __init__(self, finding):
        self._finding = finding
        cases = sorted((c for c in finding.cases.all() if c.status == "published"), key=lambda c: c.slug)
        self.case = _JointCases(cases)

    def __getattr__(self, name):
        if name in {"pk", "status", "launch_year", "end_year", "software", "open_source", "url"}:
            return None
        values = {"name": "label", "classification_rationale": "quote"}
        return getattr(self._finding, values.get(name, name))


class _JointCases:
    """The cases of a joint finding, in the case columns: slugs and names listed, places left empty."""

    def __init__(self, cases):
        self.slug = " ".join(c.slug for c in cases)
        # Same order as the slugs; a study's cases are published, so their identifiers are public.
        self.public_id = " ".join(str(c.public_id) for c in cases)
        self.name = " | ".join(c.display_name for c in cases)

    def __getattr__(self, name):
        return None


def tools_csv(queryset, *, findings=(), options=None, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The tool CSV: the cases' own tools, then each tool a study reports jointly, once (``findings``)."""
    rows = (tool_csv_row(tool) for tool in iterate(queryset, chunk_size))
    joint = ([cell(get(StudyToolRow(f))) for _name, get in TOOL_COLUMNS] for f in findings)
    return stream_csv(tool_csv_header(), itertools.chain(rows, joint), options)




# Long tables: one row per case and factor, per case and stakeholder (tidy data for analysis).
_CASE_KEYS = [("case_public_id", lambda c, _x: str(c.public_id)), ("case_slug", lambda c, _x: c.slug),
              ("case_name", lambda c, _x: c.name)]
FACTOR_COLUMNS = [
    *_CASE_KEYS, ("factor_group", lambda _c, f: f.group), ("factor", lambda _c, f: f.factor),
    ("assessment", lambda _c, f: f.assessment), ("note", lambda _c, f: f.note),
    ("source_id", lambda _c, f: f.source_id),
]
STAKEHOLDER_COLUMNS = [
    *_CASE_KEYS, ("helix", lambda _c, s: s.helix), ("name", lambda _c, s: s.name),
    ("role", lambda _c, s: s.role), ("source_id", lambda _c, s: s.source_id),
]
LONG_TABLES = {"factors": ("factors", FACTOR_COLUMNS), "stakeholders": ("stakeholders", STAKEHOLDER_COLUMNS)}
LONG_WRAPPERS = {"factors": PublicFactor, "stakeholders": PublicStakeholder}
LABELLED.update(factor_group=FactorGroup, factor=Factor, assessment=Assessment, helix=Helix)


def long_row(item, table: str, convert=cell) -> list:
    """One row of the long table ``table`` for a factor or stakeholder (read through ``public``);
    ``convert`` makes each value a CSV cell (default) or a JSON value (``json_value``)."""
    case = public_case(item.case)
    wrapped = LONG_WRAPPERS[table](item, case)
    return [convert(get(case, wrapped)) for _name, get in LONG_TABLES[table][1]]


def long_header(table: str) -> list[str]:
    return [name for name, _get in LONG_TABLES[table][1]]


def long_csv(queryset, table: str, *, options=None, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The long table of ``queryset``: factors or stakeholders with their case (``select_related``)."""
    return stream_csv(long_header(table), (long_row(item, table) for item in iterate(queryset, chunk_size)),
                      options)


def case_properties(case) -> dict:
    """GeoJSON properties: the CSV's scalar columns, multi-valued fields as lists."""
    case = public_case(case)
    skip = {"slug", "name", "url", "highest_mode", "location_precision", "longitude", "latitude"}
    properties = {name: json_value(get(case)) for name, get in CASE_COLUMNS if name not in skip}
    properties.update(public_id=str(case.public_id), secondary_themes=case.secondary_themes,
                      collection_methods=case.collection_methods,
                      modes=case.modes, tool_types=case.tool_types)
    return properties


def json_value(value):
    if value == "":
        return None
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def case_feature(case, base_url: str = "") -> dict:
    case = public_case(case)
    feature = case.feature(**case_properties(case))
    feature["properties"]["url"] = base_url + feature["properties"]["url"]
    # RFC 7946 §3.2: a Feature's common identifier goes in "id" — the stable public_id, as everywhere.
    return {"type": "Feature", "id": str(case.public_id), "geometry": feature["geometry"],
            "properties": feature["properties"]}


def cases_geojson(queryset, *, base_url: str = "", chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection (longitude, latitude; WGS 84), written feature by feature."""
    yield b'{"type":"FeatureCollection","features":['
    separator = b""
    batch = []
    for case in iterate(queryset, chunk_size):
        feature = json.dumps(case_feature(case, base_url), ensure_ascii=False, separators=(",", ":"))
        batch.append(separator + feature.encode())
        separator = b","
        if len(batch) >= 100:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
    yield b"]}"
