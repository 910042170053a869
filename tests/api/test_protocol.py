"""Protocol details of the API: JSON 404s and a root, 405, anonymous reads in the schema, CORS for
conditional requests, RateLimit headers, every vocabulary in English."""

import pytest

from tests.api.support import api_client, fresh_throttle, read_json  # noqa: F401
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/nothing", "/api/v1/nothing/", "/api/v2/cases/", "/api/v1/cases/unknown/"])
def test_unknown_api_paths_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


def test_api_roots_list_the_endpoints(client):
    root = client.get("/api/").json()
    assert root["versions"]["v1"].endswith("/api/v1/")
    v1 = client.get("/api/v1/").json()
    assert {"case-list", "tool-list", "changes", "factor-list", "stakeholder-list"} <= set(v1["endpoints"])
    # A missing trailing slash still redirects, as on the rest of the site.
    assert client.get("/api/v1/cases").status_code == 301


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/tools/", "/api/v1/stats/", "/api/v1/vocabularies/",
                                  "/api/v1/changes/"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_unsupported_methods_are_405(api, path, method):
    response = getattr(api, method)(path, {})
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_public_reads_are_anonymous_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    reads = [path for path, operations in schema["paths"].items() if "get" in operations
             and not path.startswith(("/api/v1/contributions/", "/api/v1/moderation/"))]
    assert len(reads) >= 15
    for path in reads:
        assert schema["paths"][path]["get"]["security"] == [{}], path
    # Writes still need a token (officials, moderators).
    assert schema["paths"]["/api/v1/contributions/"]["post"].get("security") != [{}]


def test_cors_preflight_allows_conditional_requests(client):
    response = client.options("/api/v1/cases/", HTTP_ORIGIN="https://example.org",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    exposed = client.get("/api/v1/cases/", HTTP_ORIGIN="https://example.org")["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "RateLimit-Remaining" in exposed


def test_ratelimit_headers(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute",
                                                                                       "user": None}}
    CaseFactory()
    remaining = []
    for _ in range(3):
        response = api.get("/api/v1/cases/")
        assert response["RateLimit-Limit"] == "3" and response["RateLimit-Policy"] == "3;w=60"
        assert 0 < int(response["RateLimit-Reset"]) <= 60
        remaining.append(int(response["RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]
    throttled = api.get("/api/v1/cases/")
    assert throttled.status_code == 429 and throttled["RateLimit-Remaining"] == "0" and throttled["Retry-After"]


def test_every_vocabulary_label_en_is_english(api):
    # Words that are the same in both languages (proper terms of French administration among them).
    same = {"Living lab", "EPCI", "Association", "Commune", "National", "Observation"}
    for vocabulary in read_json(api.get("/api/v1/vocabularies/"))["vocabularies"]:
        assert vocabulary["label_en"] != vocabulary["label_fr"], vocabulary["key"]
        for code in vocabulary["codes"]:
            assert code["label_en"] != code["label_fr"] or code["label_en"] in same, code


def test_an_undeclared_method_is_405_before_any_parameter_check(api):
    response = api.generic("TRACE", "/api/v1/cases/?format=csv&region=00")
    assert response.status_code == 405


def test_statistics_under_a_mode_filter_count_only_the_matching_tools(api):
    CaseFactory(tools=3)  # one tool per continuum mode
    everything = api.get("/api/v1/stats/").json()
    participative = api.get("/api/v1/stats/?mode=participative").json()
    assert everything["tool_count"] == 3
    assert participative["case_count"] == 1 and participative["tool_count"] == 1
    by_type = next(table for table in participative["tables"] if table["key"] == "tools_by_type")
    assert {column["code"] for column in by_type["columns"]} >= {"participative"}
    assert sum(row["total"] for row in by_type["rows"]) == 1


@pytest.mark.parametrize(("url", "accept", "content_type"), [
    # GDAL's GeoJSON driver (R sf::st_read, ogrinfo <url>) sends this Accept: it used to get a 406.
    ("/api/v1/cases.geojson", "text/plain, application/json", "application/geo+json"),
    ("/api/v1/cases/?format=geojson", "application/json", "application/geo+json"),
    ("/api/v1/cases/?format=csv", "application/json", "text/csv; charset=utf-8"),
    ("/api/v1/tools.csv", "application/geo+json", "text/csv; charset=utf-8"),
    # No format in the URL: Accept decides.
    ("/api/v1/cases/", "text/csv", "text/csv; charset=utf-8"),
    ("/api/v1/cases/", "text/plain, application/json", "application/json"),
])
def test_a_format_named_in_the_url_wins_over_accept(api, url, accept, content_type):
    CaseFactory()
    response = api.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert "Accept" in response["Vary"]


def test_an_unknown_format_is_still_a_400(api):
    response = api.get("/api/v1/cases/?format=xml", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "format" in read_json(response)["errors"]
