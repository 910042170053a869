"""/api/v1/cases/: list, detail, every filter of the shared FilterSet, pagination, errors, HTTP behaviour."""

import pytest

from cases.vocabularies import Carrier, CoproductionMode, ManagementMode, Theme, ToolStatus, ToolType
from tests.api.support import api_client, count_queries, fresh_throttle, read_json  # noqa: F401
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    EpciFactory,
    EventFactory,
    FactorAssessmentFactory,
    RegionFactory,
    SourceFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def slugs(response):
    return {row["slug"] for row in read_json(response)["results"]}


def test_list_paginates_with_count_next_previous(api):
    CaseFactory.create_batch(5)
    CaseFactory(draft=True)
    data = read_json(api.get(URL, {"page_size": 2}))
    assert data["count"] == 5  # the draft is not public
    assert len(data["results"]) == 2
    assert "page=2" in data["next"] and data["previous"] is None
    last = read_json(api.get(URL, {"page_size": 2, "page": 3}))
    assert len(last["results"]) == 1 and last["next"] is None and last["previous"]


def test_detail_includes_children(api):
    case = CaseFactory(tools=2)
    source = SourceFactory(case=case)
    StakeholderFactory(case=case, source=source)
    FactorAssessmentFactory(case=case)
    EventFactory(case=case)
    data = read_json(api.get(f"{URL}{case.slug}/"))
    assert data["name"] == case.title
    assert len(data["tools"]) == 2
    assert data["stakeholders"][0]["source"] == source.pk
    assert data["factors"][0]["factor"] == "resources"
    assert len(data["events"]) == 1 and len(data["sources"]) == 1
    assert data["territory"]["code"] == case.territory.code
    assert data["location"] == {"longitude": 4.0, "latitude": 45.0, "precision": "commune"}


def test_unpublished_or_missing_case_is_404(api):
    draft = CaseFactory(draft=True)
    for slug in (draft.slug, "nope"):
        response = api.get(f"{URL}{slug}/")
        assert response.status_code == 404
        assert response.json()["detail"]


@pytest.mark.parametrize(("param", "value", "match", "other"), [
    ("dominant_theme", Theme.HEALTH, {"dominant_theme": Theme.HEALTH}, {}),
    ("management_mode", ManagementMode.SPL, {"management_mode": ManagementMode.SPL}, {}),
    ("carrier", Carrier.EPCI, {"carrier": Carrier.EPCI}, {}),
    ("scope", "epci", {"scope": "epci"}, {"scope": "commune"}),
    ("launch_year_min", "2020", {"launch_year": 2021, "horizon_year": 2030}, {"launch_year": 2015}),
    ("launch_year_max", "2016", {"launch_year": 2015}, {"launch_year": 2021}),
    ("horizon_year_min", "2040", {"horizon_year": 2045}, {"horizon_year": 2030}),
    ("horizon_year_max", "2025", {"horizon_year": 2024}, {"horizon_year": 2030}),
    ("population_city_band", "2k_10k", {"population_city": 5_000}, {"population_city": 120_000}),
    ("population_epci_band", "500k_plus", {"population_epci": 600_000}, {}),
])
def test_case_level_filters(api, param, value, match, other):
    wanted = CaseFactory(**match)
    CaseFactory(**other)
    assert slugs(api.get(URL, {param: value})) == {wanted.slug}


def test_secondary_theme_filter(api):
    wanted = CaseFactory(secondary_themes=[Theme.HEALTH])
    CaseFactory()
    assert slugs(api.get(URL, {"secondary_theme": Theme.HEALTH})) == {wanted.slug}


@pytest.mark.parametrize(("param", "field", "value"), [
    ("mode", "coproduction_mode", CoproductionMode.ENHANCED),
    ("tool_type", "tool_type", ToolType.MAAS),
    ("tool_status", "status", ToolStatus.PILOT),
])
def test_tool_filters_select_cases_having_such_a_tool(api, param, field, value):
    wanted = CaseFactory()
    DigitalToolFactory(case=wanted, **{field: value})
    DigitalToolFactory(case=wanted)  # a second tool must not duplicate the case
    DigitalToolFactory(case=CaseFactory())
    data = read_json(api.get(URL, {param: value}))
    assert [row["slug"] for row in data["results"]] == [wanted.slug]


def test_multiple_values_of_one_filter_are_alternatives(api):
    a = CaseFactory(dominant_theme=Theme.HEALTH)
    b = CaseFactory(dominant_theme=Theme.ECONOMY)
    CaseFactory(dominant_theme=Theme.MOBILITY)
    assert slugs(api.get(f"{URL}?dominant_theme=health&dominant_theme=economy")) == {a.slug, b.slug}


def test_region_and_departement_filters(api):
    region = RegionFactory(code="84")
    dep = DepartementFactory(code="69", region=region)
    commune = CommuneFactory(epci=EpciFactory(departement=dep, region=region))
    named = CaseFactory(territory=commune)
    pseudo = CaseFactory(territory=CommuneFactory(epci=commune.epci), pseudonymised=True)
    CaseFactory()
    assert slugs(api.get(URL, {"region": "84"})) == {named.slug, pseudo.slug}
    # A pseudonymised case is never found by département.
    assert slugs(api.get(URL, {"departement": "69"})) == {named.slug}


def test_full_text_search_is_accent_insensitive(api):
    wanted = CaseFactory(title="Budget participatif de Saint-Étienne")
    CaseFactory(title="Autre chose")
    assert slugs(api.get(URL, {"q": "saint etienne"})) == {wanted.slug}


def test_ordering(api):
    CaseFactory(title="B", launch_year=2010)
    CaseFactory(title="A", launch_year=2020)
    names = [row["name"] for row in read_json(api.get(URL, {"ordering": "-launch_year"}))["results"]]
    assert names == ["A", "B"]
    names = [row["name"] for row in read_json(api.get(URL, {"ordering": "title"}))["results"]]
    assert names == ["A", "B"]


def test_default_order_is_the_slug(api):
    CaseFactory(slug="b-case", title="A")
    CaseFactory(slug="a-case", title="B")
    assert [row["slug"] for row in read_json(api.get(URL))["results"]] == ["a-case", "b-case"]


def test_title_ordering_uses_the_public_name(api):
    CaseFactory(title="Bordeaux", pseudonymised=True, pseudonym="Collectivité Z")
    CaseFactory(title="Caen")
    names = [row["name"] for row in read_json(api.get(URL, {"ordering": "title"}))["results"]]
    assert names == ["Caen", "Collectivité Z"]


@pytest.mark.parametrize("query", [
    "dominant_theme=nonsense", "mode=x", "launch_year_min=abc", "horizon_year_max=20x5", "page=0", "page=abc",
    "page_size=0", "page_size=201", "page_size=x", "ordering=secret", "format=xml", "population_city_band=huge",
])
def test_bad_input_is_a_400_with_field_messages(api, query):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["detail"] and data["errors"]
    assert query.split("=")[0] in data["errors"]


def test_page_past_the_end_is_404(api):
    CaseFactory()
    response = api.get(URL, {"page": 5})
    assert response.status_code == 404
    assert "Page 5" in response.json()["detail"]


def test_list_runs_a_constant_number_of_queries(api):
    CaseFactory(tools=2, secondary_themes=[Theme.HEALTH])
    few, _ = count_queries(api, f"{URL}?page_size=50")
    for _i in range(8):
        CaseFactory(tools=3, secondary_themes=[Theme.HEALTH, Theme.ECONOMY])
    many, _ = count_queries(api, f"{URL}?page_size=50")
    assert few == many


def test_detail_runs_a_constant_number_of_queries(api):
    small = CaseFactory(tools=1)
    big = CaseFactory(tools=6)
    for _i in range(4):
        StakeholderFactory(case=big)
        EventFactory(case=big)
        SourceFactory(case=big)
    assert count_queries(api, f"{URL}{small.slug}/")[0] == count_queries(api, f"{URL}{big.slug}/")[0]


def test_conditional_get_gives_304(api):
    CaseFactory()
    first = api.get(URL)
    etag = first["ETag"]
    assert etag
    again = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    CaseFactory()
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cors_allows_reads_from_any_origin(api):
    response = api.get(URL, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(URL, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_no_cors_outside_the_api(client):
    response = client.get("/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_writes_are_refused(api):
    case = CaseFactory()
    assert api.post(URL, {}).status_code in (403, 405)
    assert api.delete(f"{URL}{case.slug}/").status_code in (403, 405)


def test_throttling_answers_429_with_retry_after(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"}}
    for _i in range(3):
        assert api.get("/api/v1/vocabularies/").status_code == 200
    response = api.get("/api/v1/vocabularies/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]
