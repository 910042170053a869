"""Exports over HTTP: whole bodies with a Content-Length, an ETag per format and variant, cheap HEAD,
formula injection neutralised, the Excel and labelled CSV variants, long tables, one instant format."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.support import api_client, fresh_throttle, read_csv, read_json  # noqa: F401
from tests.factories import CaseFactory, FactorAssessmentFactory, StakeholderFactory

pytestmark = pytest.mark.django_db
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.mark.parametrize("text", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_neutralised(api, text):
    CaseFactory(title=text)
    assert read_csv(api.get("/api/v1/cases.csv"))[0]["name"] == "'" + text
    assert read_json(api.get("/api/v1/cases/"))["results"][0]["name"] == text  # JSON is data, not a sheet


def test_excel_variant_has_a_bom_semicolons_and_decimal_commas(api):
    CaseFactory()
    body = api.get("/api/v1/cases.csv?dialect=excel").content
    assert body.startswith(b"\xef\xbb\xbfslug;name;")
    header, line = (row.split(";") for row in body.decode("utf-8-sig").splitlines()[:2])
    row = dict(zip(header, line, strict=True))
    assert (row["longitude"], row["latitude"]) == ("4,0", "45,0")


@pytest.mark.parametrize("language, label", [("fr", "Régie / gestion directe"), ("en", "In-house / direct management")])
def test_labelled_variant(api, language, label):
    CaseFactory()
    row = read_csv(api.get(f"/api/v1/cases.csv?labels={language}"))[0]
    assert row["management_mode"] == label and row["mode__consumer"] in ("0", "1", "")


@pytest.mark.parametrize("query", ["dialect=tsv", "labels=de"])
def test_unknown_variant_is_a_400(api, query):
    assert api.get(f"/api/v1/cases.csv?{query}").status_code == 400


def test_each_format_and_variant_has_its_own_etag_and_varies_on_accept(api):
    CaseFactory()
    responses = [api.get("/api/v1/cases.csv"), api.get("/api/v1/cases.geojson"),
                 api.get("/api/v1/cases/", HTTP_ACCEPT="text/csv"), api.get("/api/v1/cases.csv?dialect=excel"),
                 api.get("/api/v1/cases/", HTTP_ACCEPT="application/geo+json")]
    etags = [response["ETag"] for response in responses]
    assert len(set(etags)) == len(etags)
    for response in responses:
        assert "Accept" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
    assert api.get("/api/v1/cases.geojson", HTTP_IF_NONE_MATCH=etags[1]).status_code == 304
    assert "Accept" in api.get("/api/v1/cases/")["Vary"]  # the JSON answer of the same URL too


def test_head_is_cheap_once_the_export_is_built(api):
    for _ in range(5):
        CaseFactory(tools=2)
    full = api.get("/api/v1/cases.csv")
    with CaptureQueriesContext(connection) as queries:
        head = api.head("/api/v1/cases.csv")
    assert head.status_code == 200 and head["Content-Length"] == full["Content-Length"]
    assert len(queries) <= 6  # the data version only: no rows read


def test_a_change_of_data_changes_the_export(api):
    case = CaseFactory()
    first = api.get("/api/v1/cases.csv")
    case.title = "Autre nom"
    case.save()
    second = api.get("/api/v1/cases.csv")
    assert second["ETag"] != first["ETag"] and b"Autre nom" in second.content


def test_long_tables_of_factors_and_stakeholders(api):
    case = CaseFactory()
    FactorAssessmentFactory(case=case)
    StakeholderFactory(case=case, name="Association des habitants")
    hidden = CaseFactory(pseudonymised=True)
    StakeholderFactory(case=hidden)
    factors = read_csv(api.get("/api/v1/factors.csv"))
    assert [(row["case_slug"], row["factor"], row["assessment"]) for row in factors] == [
        (case.slug, "resources", "present")]
    people = read_json(api.get("/api/v1/stakeholders/"))["results"]
    names = {row["case_slug"]: row["case_name"] for row in people}
    assert names[hidden.slug] == hidden.pseudonym and hidden.title not in str(people)
    assert {"case_public_id", "helix", "name", "role"} <= set(people[0])


def test_one_instant_format_in_json_csv_and_geojson(api):
    CaseFactory()
    json_row = read_json(api.get("/api/v1/cases/"))["results"][0]
    csv_row = read_csv(api.get("/api/v1/cases.csv"))[0]
    properties = read_json(api.get("/api/v1/cases.geojson"))["features"][0]["properties"]
    assert json_row["updated_at"] == csv_row["updated_at"] == properties["updated_at"]
    assert INSTANT.match(json_row["updated_at"])
