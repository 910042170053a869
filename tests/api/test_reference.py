"""Territories, vocabularies, statistics, comparison and the OpenAPI documentation."""

import pytest

from cases import vocabularies
from cases.vocabularies import CoproductionMode, Theme, ToolType
from tests.api.support import api_client, count_queries, fresh_throttle, read_json  # noqa: F401
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    EpciFactory,
    RegionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def territories(db):
    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    loire = DepartementFactory(code="42", name="Loire", region=region)
    rhone = DepartementFactory(code="69", name="Rhône", region=region)
    saint_etienne = CommuneFactory(code="42218", name="Saint-Étienne", search_name="saint etienne",
                                   population=170_000, epci=EpciFactory(departement=loire, region=region))
    lyon = CommuneFactory(code="69123", name="Lyon", search_name="lyon", population=520_000,
                          epci=EpciFactory(departement=rhone, region=region))
    return {"region": region, "loire": loire, "saint_etienne": saint_etienne, "lyon": lyon}


def codes(response):
    return [row["code"] for row in read_json(response)["results"]]


def test_territory_search_is_accent_insensitive(api, territories):
    assert codes(api.get("/api/v1/territories/", {"search": "st etienne"})) == ["42218"]
    assert codes(api.get("/api/v1/territories/", {"search": "ÉTIENNE"})) == ["42218"]
    assert codes(api.get("/api/v1/territories/", {"search": "69123"})) == ["69123"]


def test_territory_filters(api, territories):
    assert codes(api.get("/api/v1/territories/", {"kind": "commune", "departement": "42"})) == ["42218"]
    region_codes = codes(api.get("/api/v1/territories/", {"region": "84", "kind": ["commune", "region"]}))
    assert sorted(region_codes) == ["42218", "69123", "84"]
    assert codes(api.get("/api/v1/territories/", {"kind": "commune", "region": "84", "search": "lyon"})) == ["69123"]


def test_territory_detail(api, territories):
    data = read_json(api.get("/api/v1/territories/commune/42218/"))
    assert data["name"] == "Saint-Étienne"
    assert data["departement"] == {"code": "42", "name": "Loire"}
    assert data["region"]["code"] == "84"
    assert api.get("/api/v1/territories/commune/00000/").status_code == 404
    # A NUL byte is refused before routing (RejectNulBytesMiddleware), with a JSON reason.
    nul = api.get("/api/v1/territories/commune/42%00218/")
    assert nul.status_code == 400 and "U+0000" in nul.json()["detail"]
    assert api.get("/api/v1/territories/planet/42218/").status_code == 404
    assert api.get("/api/v1/territories/?kind=planet").status_code == 400


def test_territory_list_constant_queries(api, territories):
    few, _ = count_queries(api, "/api/v1/territories/?kind=commune")
    for _i in range(5):
        CommuneFactory()
    assert count_queries(api, "/api/v1/territories/?kind=commune")[0] == few


def test_vocabularies_cover_every_vocabulary_in_both_languages(api):
    data = read_json(api.get("/api/v1/vocabularies/"))["vocabularies"]
    by_key = {v["key"]: v for v in data}
    modes = {c["code"]: c for c in by_key["coproduction_modes"]["codes"]}
    assert set(modes) == set(CoproductionMode.values)
    assert modes["enhanced"]["label_fr"] == "Co-production renforcée"
    assert modes["enhanced"]["definition_fr"]
    assert {c["code"] for c in by_key["tool_types"]["codes"]} == set(ToolType.values)
    # The fine bands and the widened ones a pseudonymised case may be published under (cases.disclosure).
    assert {c["code"] for c in by_key["population_bands"]["codes"]} == {b[0] for b in vocabularies.PUBLIC_BAND_CHOICES}
    factors = {c["code"]: c for c in by_key["factors"]["codes"]}
    assert factors["resources"]["group"] == "implementation_difficulty" and factors["resources"]["definition_fr"]
    for vocabulary in data:
        for code in vocabulary["codes"]:
            assert code["label_fr"] and code["label_en"], (vocabulary["key"], code)


def test_vocabularies_english_labels_come_from_the_catalogue(api):
    from django.utils.translation import override

    data = read_json(api.get("/api/v1/vocabularies/", HTTP_ACCEPT_LANGUAGE="fr"))["vocabularies"]
    modes = {c["code"]: c for c in next(v for v in data if v["key"] == "coproduction_modes")["codes"]}
    with override("en"):
        assert modes["enhanced"]["label_en"] == str(CoproductionMode.ENHANCED.label)
    with override("fr"):
        assert modes["enhanced"]["label_fr"] == str(CoproductionMode.ENHANCED.label)


def test_stats_under_the_same_filters(api):
    health = CaseFactory(dominant_theme=Theme.HEALTH)
    DigitalToolFactory(case=health, tool_type=ToolType.MAAS, coproduction_mode=CoproductionMode.CONSUMER)
    DigitalToolFactory(case=CaseFactory(dominant_theme=Theme.MOBILITY), coproduction_mode=CoproductionMode.ENHANCED)
    everything = read_json(api.get("/api/v1/stats/"))
    assert everything["case_count"] == 2 and everything["tool_count"] == 2
    data = read_json(api.get("/api/v1/stats/", {"dominant_theme": "health"}))
    assert data["case_count"] == 1 and data["tool_count"] == 1
    tables = {t["key"]: t for t in data["tables"]}
    by_type = tables["tools_by_type"]
    assert [c["code"] for c in by_type["columns"]] == CoproductionMode.values
    assert by_type["rows"] == [{"code": "maas", "label": str(ToolType.MAAS.label), "counts": [1, 0, 0], "total": 1}]
    assert api.get("/api/v1/stats/", {"mode": "bad"}).status_code == 400


def test_stats_constant_queries(api):
    CaseFactory(tools=2)
    few, _ = count_queries(api, "/api/v1/stats/")
    for _i in range(5):
        CaseFactory(tools=3, territory=CommuneFactory(region=RegionFactory()))
    assert count_queries(api, "/api/v1/stats/")[0] == few


def test_compare_side_by_side(api):
    a = CaseFactory(tools=3)
    b = CaseFactory(tools=1, pseudonymised=True)
    StakeholderFactory(case=a)
    data = read_json(api.get(f"/api/v1/compare/?cases={b.slug}&cases={a.slug}"))
    assert [c["slug"] for c in data["cases"]] == [b.slug, a.slug]
    assert data["cases"][0]["territory"] is None
    modes = {row["key"]: [cell["value"] for cell in row["values"]] for row in data["modes"]}
    assert modes == {"consumer": [1, 1], "participative": [0, 1], "enhanced": [0, 1]}
    # Data, with the site's label beside it: numbers are numbers, codes are codes.
    characteristics = {row["key"]: row["values"] for row in data["characteristics"]}
    assert characteristics["population_city"][0] == {"value": None, "label": "—"}  # pseudonymised: band only,
    # widened by disclosure control (its fictitious région matches no real commune)
    assert characteristics["population_city_band"][0]["value"] == "50k_200k"
    assert characteristics["population_city_band"][0]["label"] == "50 000 à 199 999 habitants"
    assert characteristics["population_city"][1]["value"] == a.population_city
    assert read_json(api.get(f"/api/v1/compare/?cases={a.slug},{b.slug}"))["cases"][0]["slug"] == a.slug


@pytest.mark.parametrize("query", ["", "cases=a", "cases=a&cases=a", "cases=" + "&cases=".join("abcdefg")])
def test_compare_needs_two_to_six_cases(api, query):
    response = api.get(f"/api/v1/compare/?{query}")
    assert response.status_code == 400
    assert "cases" in response.json()["errors"]


def test_compare_missing_or_unpublished_case_is_404(api):
    a = CaseFactory()
    draft = CaseFactory(draft=True)
    for missing in ("nope", draft.slug):
        response = api.get(f"/api/v1/compare/?cases={a.slug}&cases={missing}")
        assert response.status_code == 404
        assert missing in response.json()["detail"]


def test_compare_constant_queries(api):
    cases = [CaseFactory(tools=n) for n in (1, 2, 5, 6)]
    two = count_queries(api, f"/api/v1/compare/?cases={cases[0].slug}&cases={cases[1].slug}")[0]
    four = count_queries(api, "/api/v1/compare/?" + "&".join(f"cases={c.slug}" for c in cases))[0]
    assert two == four


def test_openapi_schema_documents_parameters_enums_and_errors(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/v1/cases/", "/api/v1/cases/{slug}/", "/api/v1/tools/", "/api/v1/territories/",
                 "/api/v1/vocabularies/", "/api/v1/stats/", "/api/v1/compare/"):
        assert path in paths, path
    case_list = paths["/api/v1/cases/"]["get"]
    params = {p["name"]: p for p in case_list["parameters"]}
    for name in ("q", "dominant_theme", "management_mode", "carrier", "mode", "tool_type", "tool_status", "region",
                 "departement", "population_city_band", "launch_year_min", "horizon_year_max", "ordering", "page",
                 "page_size", "format"):
        assert name in params, name
    assert set(params["format"]["schema"]["enum"]) == {"json", "csv", "geojson"}
    assert {"400", "404", "429"} <= set(case_list["responses"])
    assert {"application/json", "text/csv", "application/geo+json"} <= set(case_list["responses"]["200"]["content"])
    assert "mode" in {p["name"] for p in paths["/api/v1/stats/"]["get"]["parameters"]}
    tool_params = {p["name"] for p in paths["/api/v1/tools/"]["get"]["parameters"]}
    assert {"region", "mode", "software", "open_source", "tool_launch_year_min"} <= tool_params
    description = schema["info"]["description"]
    assert "secondary_theme__<code>" in description and "`population_city_band`" in description


def test_docs_are_served_from_vendored_assets(client):
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn" not in html.lower()
