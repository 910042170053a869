"""Each rule of the strict filters (issue 12): a filter either applies or answers 400 with a field message."""

import datetime

import pytest
from django.utils import timezone

from cases.catalogue.filters import CaseFilterSet
from cases.models import Case
from tests.api.support import api_client, fresh_throttle, read_json  # noqa: F401
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    EpciFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content[:500]
    return sorted(row["slug"] for row in read_json(response)["results"])


def errors(response):
    assert response.status_code == 400, response.content[:500]
    data = read_json(response)
    assert data["detail"]
    return data["errors"]


@pytest.mark.parametrize("url", ["/api/v1/cases/?region_code=84", "/api/v1/cases/?insee=42218",
                                 "/api/v1/tools/?case=x", "/api/v1/territories/?kind=region&foo=1",
                                 "/api/v1/stats/?page=2", "/api/v1/factors/?nope=1", "/api/v1/cases.csv?sep=;",
                                 "/carte/donnees.geojson?region_code=84"])
def test_an_unknown_parameter_is_a_400_naming_it(client, url):
    response = client.get(url)
    assert response.status_code == 400
    message = response.json()["errors"][url.split("?")[1].split("&")[-1].split("=")[0]][0]
    assert "inconnu" in message.lower()


def test_underscore_parameters_are_cache_busters(api):
    case = CaseFactory()
    assert slugs(api.get("/api/v1/cases/", {"_": "1712345678", "_cb": "x"})) == [case.slug]
    assert api.get("/carte/donnees.geojson", {"_": "1"}).status_code == 200


@pytest.mark.parametrize("query, field", [("region=ARA", "region"), ("departement=1", "departement"),
                                          ("commune=99999", "commune"), ("epci=123", "epci")])
def test_an_unknown_code_is_a_400(api, query, field):
    RegionFactory(code="84")
    message = errors(api.get(f"/api/v1/cases/?{query}"))[field][0]
    assert "Code inconnu" in message and query.split("=")[1] in message
    assert errors(api.get(f"/api/v1/tools/?{query}"))[field]
    assert api.get(f"/carte/donnees.geojson?{query}").status_code == 400


@pytest.mark.parametrize("value", ["{'a': 1}", "a b", "é", "a,{x}"])
def test_a_slug_that_cannot_be_an_identifier_is_a_400(api, value):
    """``slug`` takes identifiers (as in the URLs); anything else is a malformed query, not "no such case"."""
    case = CaseFactory()
    assert slugs(api.get("/api/v1/cases/", {"slug": f"{case.slug},{case.public_id}"})) == [case.slug]
    assert "slug" in errors(api.get("/api/v1/cases/", {"slug": value}))
    assert api.get("/carte/donnees.geojson", {"slug": value}).status_code == 400


def test_an_unknown_code_is_shown_next_to_the_field_on_html_pages(client):
    # Pages keep the visitor's query and say what is wrong beside the field, with a 200.
    response = client.get("/cas/?departement=1")
    assert response.status_code == 200
    assert "Code inconnu" in response.content.decode()


def test_repeated_region_and_departement_mean_or(api):
    a, b, c = (CaseFactory(territory=CommuneFactory()) for _ in range(3))
    regions = [case.territory.region.code for case in (a, b)]
    assert slugs(api.get("/api/v1/cases/", {"region": regions})) == sorted([a.slug, b.slug])
    assert slugs(api.get("/api/v1/cases/", {"region": ",".join(regions)})) == sorted([a.slug, b.slug])
    departements = [case.territory.departement.code for case in (b, c)]
    assert slugs(api.get("/api/v1/cases/", {"departement": departements})) == sorted([b.slug, c.slug])
    assert api.get("/carte/donnees.geojson", {"region": regions}).json()["features"].__len__() == 2


def test_codes_are_case_insensitive_text(api):
    corsica = DepartementFactory(code="2A")
    case = CaseFactory(territory=CommuneFactory(code="2A004", epci__departement=corsica))
    assert slugs(api.get("/api/v1/cases/?departement=2a")) == [case.slug]
    assert slugs(api.get("/api/v1/cases/?commune=2a004")) == [case.slug]


def test_a_repeated_single_valued_parameter_is_a_400(api):
    assert errors(api.get("/api/v1/cases/?launch_year_min=2019&launch_year_min=2021"))["launch_year_min"]
    assert errors(api.get("/api/v1/cases/?page=1&page=2"))["page"]


def test_open_source_accepts_true_false_1_0_and_nothing_else(api):
    CaseFactory(tools=0)
    free = DigitalToolFactory(open_source=True)
    proprietary = DigitalToolFactory(open_source=False)

    def tool_ids(value):
        response = api.get("/api/v1/tools/", {"open_source": value})
        assert response.status_code == 200
        return {row["id"] for row in read_json(response)["results"]}

    assert tool_ids("1") == tool_ids("true") == tool_ids("True") == {free.pk}
    assert tool_ids("0") == tool_ids("false") == {proprietary.pk}
    assert "booléenne" in errors(api.get("/api/v1/tools/?open_source=maybe"))["open_source"][0]


def test_commune_epci_and_departement_filters_on_cases_and_tools(api):
    epci = EpciFactory()
    inside = CaseFactory(territory=CommuneFactory(epci=epci), tools=1)
    on_epci = CaseFactory(territory=epci, tools=1)
    elsewhere = CaseFactory(tools=1)
    hidden = CaseFactory(territory=CommuneFactory(epci=epci), pseudonymised=True, tools=1)
    assert slugs(api.get("/api/v1/cases/", {"epci": epci.code})) == sorted([inside.slug, on_epci.slug])
    assert slugs(api.get("/api/v1/cases/", {"commune": inside.territory.code})) == [inside.slug]
    # A pseudonymised case is located at région level at most: never found by commune, EPCI or département.
    for query in ({"commune": hidden.territory.code}, {"epci": epci.code}, {"departement": epci.departement.code}):
        assert hidden.slug not in slugs(api.get("/api/v1/cases/", query))
    tools = read_json(api.get("/api/v1/tools/", {"epci": epci.code}))["results"]
    assert sorted(row["case"]["slug"] for row in tools) == sorted([inside.slug, on_epci.slug])
    assert elsewhere.slug not in {row["case"]["slug"] for row in tools}


def test_territories_filter_by_epci(api):
    epci = EpciFactory()
    member = CommuneFactory(epci=epci)
    CommuneFactory()
    rows = read_json(api.get("/api/v1/territories/", {"epci": epci.code}))["results"]
    assert sorted(row["code"] for row in rows) == sorted([epci.code, member.code])
    assert errors(api.get("/api/v1/territories/?epci=000"))["epci"]


def test_every_ordering_ends_with_a_unique_key():
    # The slug, public and unique; not the primary key, whose creation order would outlive a
    # pseudonymisation (issue 10).
    for value in ("title", "-launch_year", "population_city", "published_at"):
        filterset = CaseFilterSet({"ordering": value}, queryset=Case.objects.with_public_name())
        assert filterset.qs.query.order_by[-1] == "slug"


def test_tied_orderings_page_without_skipping_or_repeating(api):
    cases = [CaseFactory(launch_year=2020) for _ in range(5)]
    seen = []
    for page in (1, 2, 3):
        seen += [row["slug"] for row in read_json(api.get("/api/v1/cases/", {
            "ordering": "-launch_year", "page_size": 2, "page": page}))["results"]]
    assert sorted(seen) == sorted(case.slug for case in cases) and len(seen) == len(set(seen))


def test_updated_since_and_published_since(api):
    old = CaseFactory(published_at=timezone.now() - datetime.timedelta(days=30))
    new = CaseFactory(published_at=timezone.now())
    Case.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=30))
    since = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert slugs(api.get("/api/v1/cases/", {"updated_since": since})) == [new.slug]
    assert slugs(api.get("/api/v1/cases/", {"published_since": since})) == [new.slug]
    assert errors(api.get("/api/v1/cases/?updated_since=yesterday"))["updated_since"]


def test_a_bad_filter_without_a_control_is_listed_above_the_html_form(client):
    CaseFactory()
    response = client.get("/cas/?commune=99999&updated_since=hier")
    assert response.status_code == 200
    page = response.content.decode()
    assert "n'ont pas été appliqués" in page and "99999" in page


@pytest.mark.parametrize("instant", ["2998-06-07T19:47:09+19:51", "0001-01-01T00:00:00+05:00"])
def test_instants_with_extreme_offsets_are_normalised_or_refused(api, instant):
    # PostgreSQL refuses offsets beyond ±16 h, which ISO 8601 (and Python) allow: instants go to UTC first.
    for url in ("/api/v1/cases/", "/api/v1/changes/"):
        response = api.get(url, {"updated_since" if url.endswith("cases/") else "since": instant})
        assert response.status_code in (200, 400)
