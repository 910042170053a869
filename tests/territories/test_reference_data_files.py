"""Checks on the committed reference data (cases/data/reference/), built by
scripts/build_reference_data.py. Plain file reads: no database, no network."""

import csv
import hashlib
import json
from functools import cache
from pathlib import Path

import pytest

REF = Path(__file__).resolve().parents[2] / "cases" / "data" / "reference"

METRO_BBOX = (-5.3, 41.3, 9.6, 51.2)  # lon_min, lat_min, lon_max, lat_max
OVERSEAS_BBOX = {
    "971": (-61.9, 15.8, -60.9, 16.6),
    "972": (-61.3, 14.3, -60.8, 14.9),
    "973": (-54.7, 2.1, -51.6, 5.8),
    "974": (55.2, -21.4, 55.9, -20.8),
    "976": (44.9, -13.1, 45.35, -12.6),
}
OVERSEAS_REGION_DEPARTEMENT = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
ISLANDS_WITHOUT_EPCI = {"22016", "29083", "29155", "85113"}  # Bréhat, Sein, Ouessant, Yeu
GRAND_PARIS = "200054781"
METROPOLE_DE_LYON = "200046977"
SAINT_ETIENNE_METROPOLE = "244200770"


@cache
def rows(name):
    with (REF / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def by_key(name, key):
    return {r[key]: r for r in rows(name)}


def communes():
    return by_key("communes", "code")


@cache
def meta():
    return json.loads((REF / "meta.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("communes", 34_800, 35_100),
        ("epci", 1_230, 1_270),
        ("ept", 11, 11),
        ("departements", 101, 101),
        ("regions", 18, 18),
    ],
)
def test_counts(name, low, high):
    assert low <= len(rows(name)) <= high
    assert meta()["counts"][f"{name}.csv"] == len(rows(name))


@pytest.mark.parametrize(
    ("name", "key"),
    [("communes", "code"), ("epci", "siren"), ("ept", "siren"), ("departements", "code"), ("regions", "code")],
)
def test_keys_are_unique_and_sorted(name, key):
    keys = [r[key] for r in rows(name)]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys)


def test_codes_keep_leading_zeros_and_corsica():
    c = communes()
    assert c["01001"]["name"] == "L'Abergement-Clémenciat"
    assert c["01001"]["departement"] == "01"
    assert c["2A004"]["name"] == "Ajaccio"
    assert c["2A004"]["departement"] == "2A"
    deps = by_key("departements", "code")
    assert {"01", "2A", "2B", "971", "976"} <= set(deps)
    assert "20" not in deps
    assert all(len(code) == 5 for code in c)
    assert all(len(r["siren"]) == 9 and r["siren"].isdigit() for r in rows("communes"))


def test_references_between_files_resolve():
    deps, regs = by_key("departements", "code"), by_key("regions", "code")
    epci, ept = by_key("epci", "siren"), by_key("ept", "siren")
    for r in rows("communes"):
        assert r["departement"] in deps
        assert deps[r["departement"]]["region"] == r["region"]
        assert r["epci"] == "" or r["epci"] in epci
        assert r["ept"] == "" or r["ept"] in ept
    for r in rows("epci"):
        assert r["departement"] in deps and r["region"] in regs
        assert r["epci_type"] in {"CC", "CA", "CU", "METRO", "MET69"}
    assert {r["region"] for r in rows("departements")} == set(regs)
    assert all(r["chef_lieu"] in communes() for r in rows("regions"))


def test_populations_add_up():
    total = sum(int(r["population"]) for r in rows("communes"))
    assert sum(int(r["population"]) for r in rows("departements")) == total
    assert sum(int(r["population"]) for r in rows("regions")) == total
    members = {}
    for r in rows("communes"):
        if r["epci"]:
            members[r["epci"]] = members.get(r["epci"], 0) + int(r["population"])
    assert all(int(r["population"]) == members[r["siren"]] for r in rows("epci"))
    assert 66_000_000 < total < 70_000_000


def test_big_cities_are_single_communes_without_arrondissements():
    c = communes()
    for code in ("75056", "69123", "13055"):
        assert code in c
    arrondissements = [f"751{n:02d}" for n in range(1, 21)] + [f"6938{n}" for n in range(1, 10)]
    arrondissements += [f"132{n:02d}" for n in range(1, 17)]
    assert not set(arrondissements) & set(c)
    assert sum(1 for r in rows("communes") if r["name"] == "Paris") == 1


def test_metropole_de_lyon():
    lyon = by_key("epci", "siren")[METROPOLE_DE_LYON]
    assert lyon["epci_type"] == "MET69"
    assert communes()["69123"]["epci"] == METROPOLE_DE_LYON


def test_grand_paris_and_its_territories():
    mgp = by_key("epci", "siren")[GRAND_PARIS]
    assert mgp["name"] == "Métropole du Grand Paris"
    assert mgp["epci_type"] == "METRO"
    paris = communes()["75056"]
    assert paris["epci"] == GRAND_PARIS
    # Paris is a territory of the MGP but not one of its 11 établissements publics territoriaux.
    assert paris["ept"] == ""
    members = [r for r in rows("communes") if r["epci"] == GRAND_PARIS]
    assert 125 <= len(members) <= 135
    assert all(r["ept"] for r in members if r["code"] != "75056")
    assert all(r["epci"] == GRAND_PARIS for r in rows("communes") if r["ept"])
    assert by_key("ept", "siren")["200057867"]["name"] == "Plaine Commune"
    assert communes()["93066"]["ept"] == "200057867"  # Saint-Denis


def test_islands_without_epci():
    c = communes()
    assert {code for code, r in c.items() if not r["epci"]} == ISLANDS_WITHOUT_EPCI


def test_saint_etienne():
    se = communes()["42218"]
    assert se["name"] == "Saint-Étienne"
    assert int(se["population"]) > 170_000
    assert se["epci"] == SAINT_ETIENNE_METROPOLE
    assert by_key("epci", "siren")[SAINT_ETIENNE_METROPOLE]["epci_type"] == "METRO"


def _inside(lat, lon, bbox):
    lon_min, lat_min, lon_max, lat_max = bbox
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def test_every_commune_has_a_point_in_its_territory_bbox():
    for r in rows("communes"):
        assert r["latitude"] and r["longitude"], r["code"]
        lat, lon = float(r["latitude"]), float(r["longitude"])
        bbox = OVERSEAS_BBOX.get(r["departement"], METRO_BBOX)
        assert _inside(lat, lon, bbox), (r["code"], lat, lon)
        assert len(r["latitude"].split(".")[-1]) <= 5


def test_epci_and_ept_points_in_france():
    for r in rows("epci") + rows("ept"):
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert _inside(lat, lon, METRO_BBOX) or any(_inside(lat, lon, b) for b in OVERSEAS_BBOX.values())


def test_meta():
    m = meta()
    assert m["cog_year"] == 2026
    assert m["population_year"] == 2023
    assert m["attribution"]["fr"].startswith("Sources : INSEE")
    assert m["attribution"]["en"]
    assert {"epci_membership", "population", "commune_point"} <= set(m["choices"])
    assert len(m["inputs_sha256"]) == 2
    expected = {p.name for p in REF.iterdir() if p.is_file() and p.name != "meta.json"}
    assert set(m["sha256"]) == expected
    for name, digest in m["sha256"].items():
        assert hashlib.sha256((REF / name).read_bytes()).hexdigest() == digest, name


def test_files_are_lf_utf8():
    for path in REF.iterdir():
        data = path.read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, path.name


@pytest.mark.parametrize(("name", "count"), [("departements", 101), ("regions", 18)])
def test_geojson(name, count):
    path = REF / f"{name}.geojson"
    assert path.stat().st_size < 1_000_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == count
    expected = {r["code"]: r["name"] for r in rows(name)}
    assert {f["properties"]["code"]: f["properties"]["name"] for f in doc["features"]} == expected
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        code = feature["properties"]["code"]
        if name == "regions":
            code = OVERSEAS_REGION_DEPARTEMENT.get(code, code)
        bbox = OVERSEAS_BBOX.get(code, METRO_BBOX)
        for polygon in polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for lon, lat in ring:  # RFC 7946: longitude first
                    assert _inside(lat, lon, (bbox[0] - 0.3, bbox[1] - 0.3, bbox[2] + 0.3, bbox[3] + 0.3))
