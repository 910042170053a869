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
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime

from ..vocabularies import CollectionMethod, CoproductionMode, Theme, ToolType
from .public import PublicCase, PublicTool, public_case, public_tool

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
]


URL_INDEX = [name for name, _get in CASE_COLUMNS].index("url")


def case_csv_header() -> list[str]:
    return [name for name, _get in CASE_COLUMNS] + [
        f"{prefix}__{code}" for prefix, codes, _get in CASE_INDICATORS for code in codes
    ]


def tool_csv_header() -> list[str]:
    return [name for name, _get in TOOL_COLUMNS]


def cell(value) -> str | int:
    """CSV cell: empty for unknown, 1/0 for booleans, ISO 8601 for dates (UTC for instants)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
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
    return row


def tool_csv_row(tool) -> list:
    tool = public_tool(tool)
    return [cell(get(tool)) for _name, get in TOOL_COLUMNS]


class _Line:
    """A file-like ``csv.writer`` target that hands back each line instead of storing it."""

    def write(self, value):
        return value


def stream_csv(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(header).encode()
    batch = []
    for row in rows:
        batch.append(writer.writerow(row))
        if len(batch) >= 100:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def iterate(queryset, chunk_size: int = CHUNK_SIZE):
    return queryset.iterator(chunk_size=chunk_size)


def cases_csv(queryset, *, base_url: str = "", chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The case CSV of ``queryset`` (built by ``selectors.case_list``: it carries the prefetches)."""
    rows = (case_csv_row(case, base_url) for case in iterate(queryset, chunk_size))
    return stream_csv(case_csv_header(), rows)


def tools_csv(queryset, *, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    return stream_csv(tool_csv_header(), (tool_csv_row(tool) for tool in iterate(queryset, chunk_size)))


def case_properties(case) -> dict:
    """GeoJSON properties: the CSV's scalar columns, multi-valued fields as lists."""
    case = public_case(case)
    skip = {"slug", "name", "url", "highest_mode", "location_precision", "longitude", "latitude"}
    properties = {name: _json_value(get(case)) for name, get in CASE_COLUMNS if name not in skip}
    properties.update(secondary_themes=case.secondary_themes, collection_methods=case.collection_methods,
                      modes=case.modes, tool_types=case.tool_types)
    return properties


def _json_value(value):
    if value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def case_feature(case, base_url: str = "") -> dict:
    case = public_case(case)
    feature = case.feature(**case_properties(case))
    feature["properties"]["url"] = base_url + feature["properties"]["url"]
    return feature


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
