"""The exports open first time in the consumers' own tools, over HTTP from a live server.

pandas reads each CSV with the documented dtypes (codes stay text: "01", "2A004", SIREN), and GDAL —
through pyogrio, as QGIS "Protocol HTTP(S)" and ``ogr2ogr`` do — reads the GeoJSON, which it can only do
when the response has a Content-Length.
"""

import pandas as pd
import pyogrio
import pytest

from tests.api.support import fresh_throttle  # noqa: F401
from tests.factories import CaseFactory, CommuneFactory, DepartementFactory, FactorAssessmentFactory, StakeholderFactory

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
    return case


def test_pandas_reads_every_csv_with_codes_as_text(live_server, data):
    cases = pd.read_csv(f"{live_server.url}/api/v1/cases.csv", dtype=CODES)
    row = cases.set_index("slug").loc[data.slug]
    assert row["departement_code"] == "01" and row["territory_code"] == "01004" and row["region_code"] == "84"
    assert row["epci_siren"] == "240100883"
    assert row["name"].startswith("'=")  # formula injection neutralised (OWASP)
    assert len(cases) == 2
    tools = pd.read_csv(f"{live_server.url}/api/v1/tools.csv", dtype=CODES)
    assert len(tools) == 3 and set(tools["departement_code"].dropna()) == {"01"}
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
    assert info["features"] == 2
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84")
    meta, _fids, geometry, fields = pyogrio.raw.read(url, columns=["public_id", "departement_code"])
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert sorted(value for value in columns["departement_code"] if value) == ["01"]
    assert len(geometry) == 2
