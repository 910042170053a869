"""A pseudonymised case never reveals its identity, place finer than its région, or exact populations.

One pseudonymised case sits on a commune with distinctive name, codes and figures; no response body of
any endpoint, in any format, may contain any of them.
"""

import re

import pytest

from cases.vocabularies import PopulationDisclosure
from tests.api.support import api_client, body, fresh_throttle, read_csv, read_json  # noqa: F401
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    EpciFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = {
    "title": "Zyxwvilliers-sur-Secret",
    "commune": "Quuxbourg-les-Bains",
    "commune_code": "97123",
    "departement": "Hautes-Brumes",
    "departement_code": "9Z",
    "epci": "Communauté Plughville",
    "epci_code": "298765432",
    "population_city": "123457",
    "population_epci": "345679",
    "seasonal_peak": "987651",
    "latitude": "43.21987",
    "longitude": "6.54321",
    "website": "zyxwvilliers.fr",
    "tool_url": "participez.zyxw.fr",
    "source_url": "journal-zyxw.fr",
}


@pytest.fixture
def secret_case(db):
    region = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur", latitude=43.9, longitude=6.06)
    dep = DepartementFactory(code=SECRETS["departement_code"], name=SECRETS["departement"], region=region)
    epci = EpciFactory(code=SECRETS["epci_code"], name=SECRETS["epci"], departement=dep, region=region)
    commune = CommuneFactory(code=SECRETS["commune_code"], name=SECRETS["commune"], epci=epci,
                             latitude=float(SECRETS["latitude"]), longitude=float(SECRETS["longitude"]),
                             population=int(SECRETS["population_city"]))
    case = CaseFactory(title=SECRETS["title"], territory=commune, pseudonymised=True, pseudonym="Collectivité Q",
                       population_city=int(SECRETS["population_city"]),
                       population_epci=int(SECRETS["population_epci"]),
                       seasonal_population_peak=int(SECRETS["seasonal_peak"]),
                       website=f"https://www.{SECRETS['website']}/", summary="Une collectivité du sud.")
    DigitalToolFactory(case=case, url=f"https://{SECRETS['tool_url']}/")
    SourceFactory(case=case, url=f"https://{SECRETS['source_url']}/article")
    other = CaseFactory(title="Une autre initiative")  # so that compare has a second case
    return case, other


def every_url(case, other):
    return [
        "/api/v1/cases/", "/api/v1/cases/?format=csv", "/api/v1/cases/?format=geojson", "/api/v1/cases.csv",
        "/api/v1/cases.geojson", f"/api/v1/cases/{case.slug}/", "/api/v1/tools/", "/api/v1/tools/?format=csv",
        f"/api/v1/tools/{case.tools.first().pk}/", "/api/v1/stats/", "/api/v1/vocabularies/",
        f"/api/v1/compare/?cases={case.slug}&cases={other.slug}", "/api/v1/cases/?region=93",
        "/api/v1/cases/?region=93&format=csv", "/api/v1/cases/?q=collectivite", "/api/v1/cases/?ordering=title",
        "/api/v1/tools/?region=93&format=csv", "/api/v1/stats/?region=93",
    ]


def test_no_secret_in_any_endpoint_or_format(api, secret_case):
    case, other = secret_case
    for url in every_url(case, other):
        response = api.get(url)
        assert response.status_code == 200, url
        text = body(response).decode()
        assert "Collectivité Q" in text or url.startswith(("/api/v1/stats", "/api/v1/vocab")), url
        for what, secret in SECRETS.items():
            # Word boundaries: a short code such as "9Z" must not match inside a timestamp ("…59.123Z").
            assert not re.search(rf"(?<![\w.]){re.escape(secret)}(?!\w)", text), f"{what} leaks through {url}"
        # Exact figures may not appear in another spelling either (grouping, floats).
        assert "123 457" not in text and "123457.0" not in text, url


def test_searching_or_filtering_by_a_secret_finds_nothing(api, secret_case):
    for query in ({"q": SECRETS["title"]}, {"q": SECRETS["commune"]}, {"departement": SECRETS["departement_code"]}):
        assert read_json(api.get("/api/v1/cases/", query))["count"] == 0, query


def test_pseudonymised_case_shows_region_and_bands_only(api, secret_case):
    case, _other = secret_case
    data = read_json(api.get(f"/api/v1/cases/{case.slug}/"))
    assert data["name"] == "Collectivité Q"
    assert data["territory"] is None and data["departement"] is None and data["epci"] is None
    assert data["region"] == {"code": "93", "name": "Provence-Alpes-Côte d'Azur"}
    assert data["location"] == {"longitude": 6.06, "latitude": 43.9, "precision": "region"}
    assert data["population_city"] is None and data["population_epci"] is None
    assert data["seasonal_population_peak"] is None
    # Disclosure control widened the bands: 100k–200k and 200k–500k in this région single out one commune.
    assert data["population_city_band"] == "50k_200k" and data["population_epci_band"] == "200k_plus"
    assert data["disclosure_k"] >= 5 and data["area"] is None
    assert data["website"] is None and data["tools"][0]["url"] is None and data["sources"][0]["url"] is None
    row = read_csv(api.get("/api/v1/cases.csv?region=93"))[0]
    assert row["location_precision"] == "region" and row["region_code"] == "93"
    assert row["territory_code"] == row["departement_code"] == row["epci_siren"] == ""
    feature = read_json(api.get("/api/v1/cases.geojson"))["features"]
    point = next(f for f in feature if f["properties"]["slug"] == case.slug)["geometry"]["coordinates"]
    assert point == [6.06, 43.9]


def test_exact_populations_never_public_even_when_the_source_printed_them(api, secret_case):
    case, _other = secret_case
    case.population_disclosure = PopulationDisclosure.EXACT
    case.save()
    data = read_json(api.get(f"/api/v1/cases/{case.slug}/"))
    assert data["population_city"] is None and data["population_epci"] is None
    assert data["territory"] is None  # the place stays hidden
    assert read_csv(api.get("/api/v1/cases.csv?region=93"))[0]["population_city"] == ""


def test_pseudonymised_case_without_region_has_no_point(api):
    case = CaseFactory(pseudonymised=True, territory=CommuneFactory(region=None, epci=None, departement=None))
    feature = read_json(api.get("/api/v1/cases.geojson"))["features"][0]
    assert feature["properties"]["slug"] == case.slug and feature["geometry"] is None


def test_public_wrapper_refuses_unlisted_attributes(secret_case):
    from cases.api.public import public_case

    public = public_case(secret_case[0])
    for name in ("title", "pseudonym", "search_text", "submitted_by", "population_city_band_label"):
        with pytest.raises(AttributeError):
            getattr(public, name)
