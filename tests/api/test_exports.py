"""CSV and GeoJSON exports: read back as a consumer would, streamed, constant queries per chunk."""

import pytest

from cases.api import exports
from cases.vocabularies import CollectionMethod, CoproductionMode, Theme, ToolType
from tests.api.support import api_client, body, count_queries, fresh_throttle, read_csv, read_json  # noqa: F401
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DigitalToolFactory,
    FactorAssessmentFactory,
    RegionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def test_case_csv_reads_back_with_the_documented_columns(api):
    case = CaseFactory(tools=2, secondary_themes=[Theme.HEALTH], launch_year=2020)
    case.collection_method_links.create(method=CollectionMethod.SURVEY)
    bare = CaseFactory(population_city=None, carrier="")
    response = api.get("/api/v1/cases/", {"format": "csv"})
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(response.content)  # whole, for GDAL and resumable downloads
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cases.csv"' in response["Content-Disposition"]
    rows = {row["slug"]: row for row in read_csv(response)}
    assert list(next(iter(rows.values())).keys()) == exports.case_csv_header()
    row = rows[case.slug]
    assert row["name"] == case.title
    assert row["url"] == f"http://testserver/cas/{case.slug}/"
    assert row["territory_code"] == case.territory.code
    assert row["population_city"] == "120000"
    assert row["launch_year"] == "2020"
    assert row["published_at"] == "" or "T" in row["published_at"]
    assert row["tool_count"] == "2"
    assert row["secondary_theme__health"] == "1" and row["secondary_theme__economy"] == "0"
    assert row["collection_method__survey"] == "1" and row["collection_method__self_declaration"] == "0"
    assert row["mode__consumer"] == "1" and row["mode__participative"] == "1" and row["mode__enhanced"] == "0"
    assert row[f"tool_type__{ToolType.IDEATION}"] == "1" and row[f"tool_type__{ToolType.MAAS}"] == "0"
    # Unknown is an empty cell, not 0.
    other = rows[bare.slug]
    assert other["population_city"] == "" and other["carrier"] == ""
    assert other["secondary_theme__health"] == "" and other["mode__consumer"] == ""


def test_csv_header_is_stable():
    header = exports.case_csv_header()
    assert header[:6] == ["slug", "name", "url", "disclosure", "scope", "carrier"]
    assert len(header) == len(set(header))
    indicators_end = header.index(f"tool_type__{ToolType.values[-1]}")
    # Provenance columns (issue 11) are appended after the indicators, never inserted.
    assert header[indicators_end + 1:] == ["public_id", "provenance", "validated", "validated_at", "finding_level",
                                           "study_finding_count"]
    assert exports.tool_csv_header()[:3] == ["tool_id", "case_slug", "case_name"]


def test_csv_suffix_and_filters_apply(api):
    wanted = CaseFactory(dominant_theme=Theme.HEALTH)
    CaseFactory()
    rows = read_csv(api.get("/api/v1/cases.csv?dominant_theme=health"))
    assert [row["slug"] for row in rows] == [wanted.slug]


def test_csv_dates_are_iso_8601(api):
    import datetime

    CaseFactory(launch_year=2021, launch_date=datetime.date(2021, 3, 4))
    row = read_csv(api.get("/api/v1/cases.csv"))[0]
    assert row["launch_date"] == "2021-03-04"
    datetime.datetime.fromisoformat(row["updated_at"])


def test_tool_csv(api):
    case = CaseFactory()
    tool = DigitalToolFactory(case=case, tool_type=ToolType.MAAS, coproduction_mode=CoproductionMode.CONSUMER,
                              open_source=False, launch_year=2019)
    DigitalToolFactory(case=case)
    response = api.get("/api/v1/tools/", {"format": "csv", "tool_type": "maas"})
    rows = read_csv(response)
    assert list(rows[0].keys()) == exports.tool_csv_header()
    assert [row["tool_id"] for row in rows] == [str(tool.pk)]
    row = rows[0]
    assert row["case_slug"] == case.slug and row["case_name"] == case.title
    assert row["open_source"] == "0" and row["launch_year"] == "2019" and row["coproduction_mode"] == "consumer"
    assert read_csv(api.get("/api/v1/tools.csv"))[0]["case_slug"] == case.slug


def test_geojson_is_an_rfc7946_feature_collection_lon_lat(api):
    commune = CommuneFactory(latitude=48.85, longitude=2.35)
    case = CaseFactory(territory=commune, tools=1)
    national = CaseFactory(national=True)
    for url in ("/api/v1/cases/?format=geojson", "/api/v1/cases.geojson"):
        response = api.get(url)
        assert response["Content-Type"] == "application/geo+json"
        data = read_json(response)
        assert data["type"] == "FeatureCollection"
        features = {f["properties"]["slug"]: f for f in data["features"]}
        feature = features[case.slug]
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [2.35, 48.85]}  # longitude first
        assert feature["properties"]["name"] == case.title
        assert feature["properties"]["url"] == f"http://testserver/cas/{case.slug}/"
        assert feature["properties"]["modes"] == ["consumer"]
        assert feature["properties"]["territory_code"] == commune.code
        # A case without a public point is kept, with a null geometry.
        assert features[national.slug]["geometry"] is None


def test_bad_filter_on_an_export_is_a_json_400(api):
    response = api.get("/api/v1/cases/?format=csv&mode=nope")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "mode" in response.json()["errors"]


def test_exports_have_an_etag_and_answer_304(api):
    CaseFactory()
    first = api.get("/api/v1/cases.csv")
    body(first)
    again = api.get("/api/v1/cases.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    DigitalToolFactory(case=CaseFactory())
    assert api.get("/api/v1/cases.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def _populate(n):
    region = RegionFactory(latitude=45.0, longitude=5.0)
    for i in range(n):
        case = CaseFactory(pseudonymised=i % 3 == 0, tools=2, secondary_themes=[Theme.HEALTH],
                           territory=CommuneFactory(region=region))
        case.collection_method_links.create(method=CollectionMethod.SURVEY)


@pytest.mark.parametrize("url", ["/api/v1/cases.csv", "/api/v1/cases.geojson", "/api/v1/tools.csv",
                                 "/api/v1/tools/?page_size=50"])
def test_exports_run_a_constant_number_of_queries(api, url, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    _populate(2)
    few, _ = count_queries(api, url)
    _populate(10)
    many, _ = count_queries(api, url)
    assert few == many


def test_exports_prefetch_per_chunk(api):
    """With small chunks, queries grow with the number of chunks, not of rows."""
    _populate(9)
    queryset_cases = __import__("cases.catalogue.selectors", fromlist=["case_list"]).case_list(filters={})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as per3:
        b"".join(exports.cases_csv(queryset_cases, chunk_size=3))
    with CaptureQueriesContext(connection) as per9:
        b"".join(exports.cases_csv(queryset_cases, chunk_size=9))
    # 5 prefetches (tools, secondary themes, collection methods, field provenance, study findings)
    # per chunk.
    assert len(per3) - len(per9) == 2 * 5


def test_every_export_names_each_case_by_the_same_public_id(api, study_cases):
    named = CaseFactory(tools=2)
    FactorAssessmentFactory(case=named)
    StakeholderFactory(case=named)
    pseudonymised = CaseFactory(pseudonymised=True, tools=1)
    page = read_json(api.get("/api/v1/cases/", {"page_size": 200}))["results"]
    listed = {row["slug"]: row["public_id"] for row in page}
    assert str(named.public_id) == listed[named.slug] and str(pseudonymised.public_id) in listed.values()
    by_slug = {row["slug"]: row["public_id"] for row in read_csv(api.get("/api/v1/cases.csv"))}
    assert by_slug == listed
    features = read_json(api.get("/api/v1/cases.geojson"))["features"]
    assert {f["properties"]["slug"]: f["id"] for f in features} == listed  # RFC 7946 Feature id
    assert all(f["id"] == f["properties"]["public_id"] for f in features)
    for url in ("/api/v1/tools.csv", "/api/v1/factors.csv", "/api/v1/stakeholders.csv"):
        rows = read_csv(api.get(url))
        assert rows, url
        for row in rows:
            # A tool a study reports for several cases lists them all, in the order of case_slug.
            pairs = zip(row["case_slug"].split(), row["case_public_id"].split(), strict=True)
            assert all(listed[slug] == public_id for slug, public_id in pairs), (url, row)
    for tool in read_json(api.get("/api/v1/tools/", {"page_size": 200}))["results"]:
        assert tool["case"]["public_id"] == listed[tool["case"]["slug"]]


def test_the_readme_lists_the_csv_columns_in_order():
    import re
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")

    def listed(start, end):
        i = readme.index(start)
        return [name for name in re.findall(r"`([a-z_]+)`", readme[i + len(start):readme.index(end, i)])
                if name not in ("metro", "outremer")]

    fixed = [name for name in exports.case_csv_header() if "__" not in name]
    trailing = [name for name in listed("continuum mode) and `tool_type__<code>`", "does not include them")
                if name not in ("study", "self_declared", "editors", "case", "tool_count")]
    assert listed("**Case CSV columns, in this order**", "then one 0/1 column") + trailing == fixed
    assert listed("**Tool CSV columns, in this order**:", "**Factors**") == exports.tool_csv_header()
    assert listed("**Factors**:", "**Stakeholders**") == exports.long_header("factors")
    assert listed("**Stakeholders**:", "Rows with") == exports.long_header("stakeholders")
