"""Issue 14, through the Django client: one search for cases and territories, downloads in sight, the
comparison tray, filters that say what they mean, the map's popups, statistics under a tool filter,
crawler files and the pages that explain the observatory."""

import json
import re

import pytest
from django.urls import reverse

from cases.vocabularies import CoproductionMode, Theme, ToolType
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    idf = RegionFactory(code="11", name="Île-de-France")
    occitanie = RegionFactory(code="76", name="Occitanie")
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    loire = DepartementFactory(code="42", name="Loire", region=RegionFactory(code="84", name="Auvergne-Rhône-Alpes"))
    herault = DepartementFactory(code="34", name="Hérault", region=occitanie)
    paris = DepartementFactory(code="75", name="Paris", region=idf)
    var = DepartementFactory(code="83", name="Var", region=paca)
    saint_etienne = CommuneFactory(code="42218", name="Saint-Étienne", departement=loire, region=loire.region)
    CommuneFactory(code="64122", name="Biarritz")
    cases = [
        CaseFactory(title="Saint-Étienne participe", slug="saint-etienne-participe", territory=saint_etienne,
                    tools=2),
        CaseFactory(title="Paris en commun", slug="paris-en-commun", tools=1,
                    territory=CommuneFactory(code="75056", name="Paris", departement=paris, region=idf)),
        CaseFactory(title="Toulon connecté", slug="toulon-connecte", tools=1,
                    territory=CommuneFactory(code="83137", name="Toulon", departement=var, region=paca)),
        CaseFactory(title="Montpellier ouverte", slug="montpellier-ouverte", tools=3, dominant_theme=Theme.MOBILITY,
                    territory=CommuneFactory(code="34172", name="Montpellier", departement=herault, region=occitanie)),
    ]
    return cases


def text(response):
    return response.content.decode()


def test_search_offers_territories_with_their_page_and_case_count(client, places):
    page = text(client.get("/cas/?q=biarritz"))
    assert "0 cas trouvé" in page
    assert 'href="/territoires/commune/64122/"' in page and "0 cas documenté" in page
    page = text(client.get("/cas/?q=saint+etienne"))
    assert 'href="/territoires/commune/42218/"' in page and "1 cas documenté" in page


def test_st_finds_what_saint_finds(client, places):
    assert "Saint-Étienne participe" in text(client.get("/cas/?q=st+etienne"))
    assert "1 cas trouvé" in text(client.get("/cas/?q=st+etienne"))


def test_territory_search_is_a_page_for_a_browser_and_json_for_scripts(client, places):
    html = client.get("/territoires/recherche/?q=biarritz", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert html["Content-Type"].startswith("text/html") and "Biarritz" in text(html)
    data = client.get("/territoires/recherche/?q=biarritz", HTTP_ACCEPT="*/*")
    assert data.json()["results"][0]["name"] == "Biarritz"
    assert "Accept" in data["Vary"]


def test_territory_without_case_invites_its_officials(client, places):
    page = text(client.get("/territoires/commune/64122/"))
    assert "Vous êtes agent ou élu de Biarritz" in page and reverse("cases:contribute") in page


def test_downloads_for_the_current_selection(client, places):
    for path in ("/cas/", "/carte/", "/statistiques/"):
        page = text(client.get(f"{path}?mode=participative&q="))
        assert "Télécharger" in page
        assert 'href="/api/v1/cases.csv?mode=participative"' in page, path  # no empty parameter
        assert 'href="/api/v1/cases.geojson?mode=participative"' in page
        assert 'href="/api/v1/cases/?mode=participative"' in page
    profile = text(client.get("/cas/paris-en-commun/"))
    assert 'href="/api/v1/cases.csv?slug=paris-en-commun"' in profile
    exported = client.get("/api/v1/cases/?slug=paris-en-commun,toulon-connecte").json()
    assert sorted(row["slug"] for row in exported["results"]) == ["paris-en-commun", "toulon-connecte"]


def test_footer_links_to_the_api_docs_and_the_data_page(client):
    page = text(client.get("/"))
    assert 'href="/api/docs/"' in page and 'href="/a-propos-des-donnees/"' in page
    assert 'href="/mentions-legales/"' in page and 'href="/declarer-une-initiative/"' in page


def test_comparison_tray_survives_pages_and_filters(client, places):
    page = text(client.get("/cas/?cas=paris-en-commun&cas=toulon-connecte&mode=consumer"))
    tray = re.search(r'<section class="compare-tray".*?</section>', page, re.S).group(0)
    assert "Paris en commun" in tray and "Toulon connecté" in tray and 'data-tray-count>2<' in tray
    assert "/carte/?slug=paris-en-commun,toulon-connecte" in tray
    assert "/statistiques/?slug=paris-en-commun,toulon-connecte" in tray
    assert 'href="?mode=consumer"' in tray  # clearing keeps the filters
    # Facet links keep the selection; the compare form re-sends the filters.
    assert re.search(r'class="facet-option[^"]*"[^>]*', page)
    assert all("cas=paris-en-commun" in href for href in re.findall(r'href="(\?[^"]*mode=[^"]*)" class="facet', page))
    assert '<input type="hidden" name="mode" value="consumer">' in page


def test_sort_menu_and_region_order(client, places):
    page = text(client.get("/cas/"))
    assert "---------" not in page
    regions = re.findall(r'data-facet="region" data-value="(\d+)"', page)
    assert regions == ["84", "11", "76", "93"]  # Auvergne, Île-de-France, Occitanie, Provence


def test_departement_menu_follows_the_region(client, places):
    page = text(client.get("/cas/?region=76"))
    menu = re.search(r'<select name="departement".*?</select>', page, re.S).group(0)
    assert "Hérault" in menu and "Paris" not in menu and "Var" not in menu


def test_launch_year_range_the_wrong_way_round_is_explained(client, places):
    page = text(client.get("/cas/?launch_year_min=2022&launch_year_max=2018"))
    assert "précède l&#x27;année de début" in page


def test_active_filter_chips_show_labels(client, places):
    page = text(client.get("/cas/?mode=participative&region=76&tool_type=ideation&population_city_band=100k_200k"))
    chips = " ".join(re.findall(r'class="chip">(.*?)<span', page, re.S))
    assert "Co-production participative" in chips and "Occitanie" in chips
    assert "participative :" not in chips and ": 76" not in chips and ": ideation" not in chips


def test_map_popups_know_tools_theme_and_year(client, places):
    data = json.loads(client.get("/carte/donnees.geojson").content)
    props = {f["properties"]["slug"]: f["properties"] for f in data["features"]}
    assert props["montpellier-ouverte"]["tools"] == 3
    assert props["montpellier-ouverte"]["theme"] == Theme.MOBILITY
    assert props["montpellier-ouverte"]["year"] == 2019
    page = text(client.get("/carte/"))
    assert "Guadeloupe" in page and "La Réunion" in page and "mode le plus fréquent" in page


def test_statistics_under_a_mode_filter_count_only_matching_tools(client, places):
    case = places[3]
    DigitalToolFactory(case=case, tool_type=ToolType.IDEATION, coproduction_mode=CoproductionMode.PARTICIPATIVE)
    response = client.get("/statistiques/?mode=enhanced")
    table = next(t for t in response.context["tables"] if t["table"].key == "tools_by_type")["table"]
    assert {mode for (_row, mode), n in table.counts.items() if n} == {"enhanced"}


def test_robots_and_sitemap(client, places):
    robots = text(client.get("/robots.txt"))
    assert "Disallow: /moderation/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = text(client.get("/sitemap.xml"))
    assert "/cas/paris-en-commun/" in sitemap and "/methodologie/" in sitemap


def test_pages_that_explain(client):
    page = text(client.get("/declarer-une-initiative/"))
    for words in ("Que déclarer ?", "Qui peut déclarer ?", "Combien de temps ?", "Comment se passe la modération ?",
                  "moins d'engagement", "Consumer co-production"):
        assert words in page
    assert "RGPD" in text(client.get("/mentions-legales/"))
    assert "RGPD" in text(client.get("/comptes/inscription/"))


def test_continuum_names_side_by_side_in_both_languages(client, places):
    page = text(client.get("/cas/"))
    assert 'lang="en">(Consumer co-production)' in page or 'lang="en">(Participatory co-production)' in page
    page = text(client.get("/methodologie/", HTTP_ACCEPT_LANGUAGE="en"))
    assert 'lang="fr">(Co-production active)' in page


def test_log_in_error_speaks_of_the_email(client, db):
    page = text(client.post("/comptes/connexion/", {"username": "x@example.org", "password": "nope"}))
    assert "Adresse e-mail ou mot de passe incorrect" in page and "nom d’utilisateur" not in page


def test_key_figures_have_thousands_separators():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr"):
        rendered = Template("{% load observatory %}{{ n|population }}").render(Context({"n": 2000}))
    assert rendered in ("2\xa0000", "2 000", "2\u202f000")
