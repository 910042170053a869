"""The exports open first time in the consumers' own tools, over HTTP from a live server.

pandas reads each CSV with the documented dtypes (codes stay text: "01", "2A004", SIREN), and GDAL —
through pyogrio, as QGIS "Protocol HTTP(S)" and ``ogr2ogr`` do — reads the GeoJSON, which it can only do
when the response has a Content-Length. The README's snippets (``cases.api.snippets``) run as written:
pandas always, R when ``Rscript`` with ``readr`` and ``sf`` is installed, GDAL's command lines when
``ogrinfo`` is (CI installs both: ``.ci/run``).
"""

import shlex
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from django.conf import settings

from cases.api import snippets
from tests.api.support import fresh_throttle  # noqa: F401
from tests.factories import CaseFactory, CommuneFactory, DepartementFactory, FactorAssessmentFactory, StakeholderFactory

README = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")

# The dtypes the README and /api/docs/ give: every official code is text.
CODES = dict.fromkeys(("region_code", "departement_code", "territory_code", "epci_siren", "public_id",
                       "case_public_id", "case_slug", "slug"), "string")


@pytest.fixture
def data(transactional_db):
    ain = DepartementFactory(code="01", region__code="84")
    case = CaseFactory(territory=CommuneFactory(code="01004", epci__departement=ain, epci__code="240100883"),
                       tools=2, title="=HYPERLIEN(\"http://x\")")
    CaseFactory(pseudonymised=True, tools=1)
    FactorAssessmentFactory(case=case)
    StakeholderFactory(case=case)
    corsica = DepartementFactory(code="2A", region__code="94")
    CaseFactory(territory=CommuneFactory(code="2A004", departement=corsica, region=corsica.region,
                                         epci__departement=corsica, epci__code="242010056"), tools=1)
    return case


def test_pandas_reads_every_csv_with_codes_as_text(live_server, data):
    cases = pd.read_csv(f"{live_server.url}/api/v1/cases.csv", dtype=CODES)
    row = cases.set_index("slug").loc[data.slug]
    assert row["departement_code"] == "01" and row["territory_code"] == "01004" and row["region_code"] == "84"
    assert row["epci_siren"] == "240100883"
    assert row["name"].startswith("'=")  # formula injection neutralised (OWASP)
    assert len(cases) == 3
    tools = pd.read_csv(f"{live_server.url}/api/v1/tools.csv", dtype=CODES)
    assert len(tools) == 4 and set(tools["departement_code"].dropna()) == {"01", "2A"}
    for table in ("factors", "stakeholders"):
        long = pd.read_csv(f"{live_server.url}/api/v1/{table}.csv", dtype=CODES)
        assert list(long["case_slug"]) == [data.slug]
    excel = pd.read_csv(f"{live_server.url}/api/v1/cases.csv?dialect=excel", sep=";", decimal=",",
                        encoding="utf-8-sig", dtype=CODES)
    assert excel.columns[0] == "slug" and excel["longitude"].dtype.kind == "f"
    labelled = pd.read_csv(f"{live_server.url}/api/v1/cases.csv?labels=en", dtype=CODES)
    assert set(labelled["dominant_theme"]) == {"Mobility"}


def test_gdal_reads_the_geojson_over_http(live_server, data):
    url = f"{live_server.url}/api/v1/cases.geojson"
    info = pyogrio.read_info(url)
    assert info["features"] == 3
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")
    meta, _fids, geometry, fields = pyogrio.raw.read(url, columns=["public_id", "departement_code"])
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert sorted(value for value in columns["departement_code"] if value) == ["01", "2A"]
    assert len(geometry) == 3


@pytest.mark.parametrize("snippet", [snippets.PANDAS, snippets.R, snippets.GDAL], ids=["pandas", "R", "GDAL"])
def test_the_readme_holds_each_snippet_as_it_is_run(snippet):
    assert snippet in README


def test_the_readme_pandas_snippet_runs(live_server, data):
    scope = {}
    exec(snippets.for_site(snippets.PANDAS, live_server.url), scope)  # our own README's code
    row = scope["cases"].set_index("slug").loc[data.slug]
    assert (row["departement_code"], row["territory_code"], row["epci_siren"]) == ("01", "01004", "240100883")
    assert len(scope["cases"]) == 1  # région 84
    assert set(scope["tools"]["departement_code"].dropna()) == {"01", "2A"}
    assert sorted(scope["excel"]["departement_code"].dropna()) == ["01", "2A"]
    assert scope["info"]["features"] == 3


def _r_ready() -> bool:
    if not shutil.which("Rscript"):
        return False
    check = 'quit(status = if (all(sapply(c("readr", "sf"), requireNamespace, quietly = TRUE))) 0 else 1)'
    return subprocess.run(["Rscript", "-e", check], capture_output=True, timeout=60).returncode == 0


@pytest.mark.skipif(not _r_ready(), reason="Rscript with readr and sf is not installed (apt: r-base-core "
                                          "r-cran-readr r-cran-sf)")
def test_the_readme_r_snippet_runs(live_server, data, tmp_path):
    report = """
cat("problems", nrow(problems(cases)) + nrow(problems(tools)), "\\n")
cat("classes", class(cases$departement_code), class(cases$territory_code), class(cases$epci_siren),
    class(tools$case_public_id), class(points$departement_code), "\\n")
named <- cases[!is.na(cases$departement_code), ]
cat("named", named$departement_code, named$territory_code, named$epci_siren, "\\n")
cat("tools", sort(unique(na.omit(tools$departement_code))), "\\n")
cat("points", nrow(points), sort(na.omit(points$departement_code)), "\\n")
cat("launch", class(cases$launch_year), "\\n")
"""
    script = tmp_path / "snippet.R"
    script.write_text(snippets.for_site(snippets.R, live_server.url) + report, encoding="utf-8")
    run = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    assert lines["problems"].split() == ["0"]
    assert lines["classes"].split() == ["character"] * 5
    assert lines["named"].split() == ["01", "01004", "240100883"]
    assert lines["tools"].split() == ["01", "2A"]
    assert lines["points"].split() == ["1", "01"]  # région 84
    assert lines["launch"].split() == ["numeric"]


def _commands(script: str) -> list[list[str]]:
    """The shell lines of a snippet: comments dropped, continuations joined, split as sh would."""
    joined = script.replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.skipif(not (shutil.which("ogrinfo") and shutil.which("ogr2ogr")),
                    reason="GDAL's command-line tools are not installed (apt: gdal-bin)")
def test_the_readme_gdal_lines_run(live_server, data, tmp_path):
    outputs = []
    for command in _commands(snippets.for_site(snippets.GDAL, live_server.url)):
        run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert run.returncode == 0, (command, run.stderr[-2000:])
        outputs.append(run.stdout)
    geojson_driver, vsicurl, csv_points = outputs[:3]
    for listing in (geojson_driver, vsicurl):
        assert "Feature Count: 1" in listing and "departement_code: String" in listing  # région 84
    assert "Feature Count: 3" in csv_points and "Geometry: Point" in csv_points
    assert "departement_code: String" in csv_points and "territory_code: String" in csv_points
    _meta, _fids, geometry, fields = pyogrio.raw.read(tmp_path / "cases.gpkg", columns=["departement_code"])
    assert list(fields[0]) == ["01"] and len(geometry) == 1
