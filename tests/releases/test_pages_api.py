"""Releases listed on /donnees/ and /api/v1/releases/, their files served as published, the licence
stated everywhere (page, headers, OpenAPI), and the harvesters' metadata parseable."""

import json
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cases.releases import licence
from cases.releases.models import Release

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def release(catalogue):
    call_command("publish_release", verbosity=0)
    return Release.objects.get()


def test_api_lists_releases_with_files_checksums_and_citation(release):
    data = APIClient().get("/api/v1/releases/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["version"] == release.version and item["size"] == release.size
    assert item["url"] == f"https://observatoire.example/donnees/publications/{release.version}/"
    files = {f["name"]: f for f in item["files"]}
    assert files["cases.csv"]["sha256"] == release.file("cases.csv")["sha256"]
    assert files["cases.csv"]["url"].endswith(f"/donnees/publications/{release.version}/cases.csv")
    assert item["licence"]["spdx"] == "etalab-2.0"
    assert release.version in item["citation"]["apa"] and "@misc{" in item["citation"]["bibtex"]
    assert "cff-version: 1.2.0" in item["citation"]["cff"]
    assert item["citation"]["datacite"]["rightsList"][0]["rightsIdentifier"] == "etalab-2.0"
    assert APIClient().get(f"/api/v1/releases/{release.version}/").json()["version"] == release.version
    assert APIClient().get("/api/v1/releases/1999.01.1/").status_code == 404


@pytest.mark.django_db
def test_an_unknown_parameter_on_releases_is_a_400_not_ignored():
    api = APIClient()
    assert api.get("/api/v1/releases/?_=1&page=1").status_code == 200  # cache-busters and pagination
    response = api.get("/api/v1/releases/?version=2026.01.1")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_files_served_with_length_etag_and_licence(client, release):
    item = release.file("cases.csv")
    url = f"/donnees/publications/{release.version}/cases.csv"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"slug,name,")
    assert response["Content-Length"] == str(item["size"])
    assert response["ETag"] == f'"{item["sha256"]}"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Link"] == licence.link_header()
    assert "immutable" in response["Cache-Control"]
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(item["size"]) and head.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(f"/donnees/publications/{release.version}/nothing.csv").status_code == 404
    latest = client.get("/donnees/publications/latest/cases.csv")
    assert latest.status_code == 302 and latest["Location"] == url


def test_data_page_lists_release_licence_and_parseable_metadata(client, release):
    response = client.get("/donnees/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Licence Ouverte 2.0" in html and licence.URL in html
    assert release.version in html and release.file("cases.csv")["sha256"] in html
    dcat, schema = (json.loads(block) for block in LD.findall(html))
    dataset = next(node for node in dcat["@graph"] if node["@type"] == "dcat:Dataset")
    assert dataset["dct:license"] == {"@id": licence.URL} and dataset["dcat:version"] == release.version
    downloads = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"] if "dcat:downloadURL" in d]
    assert any(url.endswith("/cases.csv") for url in downloads)
    assert schema["@type"] == "Dataset" and schema["license"] == licence.URL and schema["version"] == release.version
    page = client.get(f"/donnees/publications/{release.version}/")
    assert page.status_code == 200 and "@misc{" in page.content.decode()
    assert client.get("/donnees/publications/latest/")["Location"] == f"/donnees/publications/{release.version}/"


def test_data_page_without_release(client, db):
    response = client.get("/donnees/")
    assert response.status_code == 200
    schema = json.loads(LD.findall(response.content.decode())[1])
    assert schema["license"] == licence.URL


def test_exports_and_openapi_state_the_licence(client, catalogue):
    for url in ("/api/v1/cases.csv", "/api/v1/cases.geojson", "/api/v1/tools.csv", "/api/v1/cases/"):
        assert client.get(url)["Link"] == licence.link_header(), url
    info = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["info"]
    assert info["license"]["url"] == licence.URL and "Licence Ouverte" in info["license"]["name"]
    assert info["contact"]["email"]


def test_licence_link_joins_an_existing_link_header(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("[]")
        response["Link"] = '<https://example.org/next>; rel="next"'
        return response

    response = licence.LicenceLinkMiddleware(view)(rf.get("/api/v1/cases/"))
    assert response["Link"] == f'<https://example.org/next>; rel="next", {licence.link_header()}'
    assert "Link" not in licence.LicenceLinkMiddleware(lambda r: HttpResponse())(rf.get("/cas/"))


def _instants(value):
    """Every string in a JSON document that starts like an ISO 8601 instant."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _instants(item)
    elif isinstance(value, list):
        for item in value:
            yield from _instants(item)
    elif isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\dT", value):
        yield value


def test_one_instant_format_in_every_json_answer_and_the_datapackage(catalogue, releases_storage):
    from django.utils import timezone

    from cases.models import DigitalTool

    # Microseconds and a validation instant: what DRF's default format would have shown as-is.
    DigitalTool.objects.filter(case=catalogue["named"]).update(validated_at=timezone.now())
    call_command("publish_release", verbosity=0)
    release = Release.objects.get()
    api = APIClient()
    documents = [api.get(url).json() for url in (
        "/api/v1/releases/", f"/api/v1/releases/{release.version}/", "/api/v1/cases/", "/api/v1/tools/",
        f"/api/v1/cases/{catalogue['named'].slug}/", "/api/v1/changes/?since=2000-01-01T00:00:00Z")]
    documents.append(json.loads((releases_storage / release.version / "datapackage.json").read_text()))
    found = [value for document in documents for value in _instants(document)]
    assert len(found) > 10
    assert {value for value in found if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value)} == set()
