"""Loading the committed reference data (cases/data/reference/) into the Territory table.

An idempotent bulk upsert keyed on (kind, code): a second run writes nothing, and a new vintage updates
rows in place, so the primary keys that cases point to never change. Territories that left the
official code (communes merged into a commune nouvelle) are kept — a case may still point to them —
and keep the COG year of their last vintage.
"""

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..catalogue.freshness import data_changed
from ..models import Territory
from ..text import fold
from ..vocabularies import TerritoryKind

REFERENCE_DIR = Path(settings.BASE_DIR) / "cases" / "data" / "reference"
FIELDS = ["siren", "name", "search_name", "epci_type", "population", "population_year", "departement_id",
          "region_id", "epci_id", "ept_id", "latitude", "longitude", "cog_year"]
# Kinds in dependency order: each kind's parents are loaded before it.
ORDER = [TerritoryKind.REGION, TerritoryKind.DEPARTEMENT, TerritoryKind.EPCI, TerritoryKind.EPT,
         TerritoryKind.COMMUNE]


@dataclass
class LoadReport:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    unchanged: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self):
        return sum(self.created.values()) + sum(self.updated.values())


def _rows(directory: Path, name: str):
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _int(value):
    return int(value) if value not in ("", None) else None


def _float(value):
    return float(value) if value not in ("", None) else None


def _mean_point(points):
    points = [p for p in points if p[0] is not None]
    if not points:
        return None, None
    return (round(sum(p[0] for p in points) / len(points), 5), round(sum(p[1] for p in points) / len(points), 5))


def _main_departement(communes, parent_key, parent_code):
    """The département holding most of the population of the communes whose ``parent_key`` is the code."""
    population = defaultdict(int)
    for commune in communes:
        if commune[parent_key] == parent_code:
            population[commune["departement_code"]] += commune["population"] or 0
    return max(sorted(population), key=population.get) if population else None


def read_reference(directory: Path = REFERENCE_DIR) -> dict[str, list[dict]]:
    """The reference files as plain dicts per kind, with parents as codes (``*_code`` keys)."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    cog_year, population_year = meta["cog_year"], meta["population_year"]
    year_exceptions = {k: int(v) for k, v in meta.get("population_year_exceptions", {}).items()}

    communes = []
    points_by = defaultdict(list)
    for row in _rows(directory, "communes.csv"):
        point = (_float(row["latitude"]), _float(row["longitude"]))
        points_by[("departement", row["departement"])].append(point)
        points_by[("region", row["region"])].append(point)
        communes.append({
            "kind": TerritoryKind.COMMUNE, "code": row["code"], "siren": row["siren"], "name": row["name"],
            "epci_type": "", "population": _int(row["population"]),
            "population_year": year_exceptions.get(row["departement"], population_year),
            "latitude": point[0], "longitude": point[1], "cog_year": cog_year,
            "departement_code": row["departement"], "region_code": row["region"],
            "epci_code": row["epci"] or None, "ept_code": row["ept"] or None,
        })

    def area(kind, row, **extra):
        latitude, longitude = _mean_point(points_by[(kind, row["code"])])
        return {"kind": kind, "code": row["code"], "siren": "", "name": row["name"], "epci_type": "",
                "population": _int(row["population"]), "latitude": latitude, "longitude": longitude,
                "population_year": year_exceptions.get(row["code"], population_year), "cog_year": cog_year,
                **extra}

    regions = [area(TerritoryKind.REGION, row) for row in _rows(directory, "regions.csv")]
    departements = [area(TerritoryKind.DEPARTEMENT, row, region_code=row["region"])
                    for row in _rows(directory, "departements.csv")]
    epcis = [{
        "kind": TerritoryKind.EPCI, "code": row["siren"], "siren": row["siren"], "name": row["name"],
        "epci_type": row["epci_type"], "population": _int(row["population"]),
        "population_year": year_exceptions.get(row["departement"], population_year),
        "latitude": _float(row["latitude"]),
        "longitude": _float(row["longitude"]), "cog_year": cog_year,
        "departement_code": row["departement"] or None, "region_code": row["region"] or None,
    } for row in _rows(directory, "epci.csv")]
    epts = [{
        "kind": TerritoryKind.EPT, "code": row["siren"], "siren": row["siren"], "name": row["name"],
        "epci_type": "", "population": _int(row["population"]), "population_year": population_year,
        "latitude": _float(row["latitude"]), "longitude": _float(row["longitude"]), "cog_year": cog_year,
        "departement_code": _main_departement(communes, "ept_code", row["siren"]), "region_code": "11",
    } for row in _rows(directory, "ept.csv")]
    return {TerritoryKind.REGION: regions, TerritoryKind.DEPARTEMENT: departements,
            TerritoryKind.EPCI: epcis, TerritoryKind.EPT: epts, TerritoryKind.COMMUNE: communes}


@transaction.atomic
def load_territories(directory: Path = REFERENCE_DIR, *, batch_size: int = 2000) -> LoadReport:
    """Upsert every territory of the reference files; returns what was created, updated, unchanged."""
    data = read_reference(Path(directory))
    report = LoadReport()
    ids: dict[tuple[str, str], int] = {}
    for kind in ORDER:
        existing = {t.code: t for t in Territory.objects.filter(kind=kind)}
        to_create, to_update = [], []
        for record in data[kind]:
            values = {
                "siren": record["siren"], "name": record["name"], "search_name": fold(record["name"]),
                "epci_type": record["epci_type"], "population": record["population"],
                "population_year": record["population_year"], "latitude": record["latitude"],
                "longitude": record["longitude"], "cog_year": record["cog_year"],
                "region_id": ids.get(("region", record.get("region_code"))),
                "departement_id": ids.get(("departement", record.get("departement_code"))),
                "epci_id": ids.get(("epci", record.get("epci_code"))),
                "ept_id": ids.get(("ept", record.get("ept_code"))),
            }
            territory = existing.get(record["code"])
            if territory is None:
                to_create.append(Territory(kind=kind, code=record["code"], **values))
            elif any(getattr(territory, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(territory, name, value)
                to_update.append(territory)
            else:
                report.unchanged[kind] += 1
        Territory.objects.bulk_create(to_create, batch_size=batch_size)
        Territory.objects.bulk_update(to_update, FIELDS, batch_size=batch_size)
        report.created[kind] += len(to_create)
        report.updated[kind] += len(to_update)
        # One query per kind for the ids the next kinds point to (bulk_create may not return pks).
        ids.update({(kind, code): pk for code, pk in Territory.objects.filter(kind=kind).values_list("code", "pk")})
    data_changed()  # bulk writes send no signal; maps and région facets read territories
    return report
