"""The public site for researchers through the HTTP client: browse, profile, compare, map, statistics,
methodology, accessibility — content, pseudonymisation, bad input, and constant query counts."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.vocabularies import CoproductionMode, Factor, Helix, ManagementMode, Theme, ToolType
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    FactorAssessmentFactory,
    RegionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    page = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
    return page.replace("\u202f", " ").replace("\xa0", " ")


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, url
    return len(ctx)


@pytest.fixture
def occitanie():
    region = RegionFactory(code="76", name="Occitanie", latitude=43.6, longitude=1.44)
    herault = DepartementFactory(code="34", name="Hérault", region=region)
    return CommuneFactory(code="34172", name="Montpellier", departement=herault, region=region,
                          epci__departement=herault, epci__region=region, latitude=43.61, longitude=3.87)


@pytest.fixture
def bretagne():
    region = RegionFactory(code="53", name="Bretagne", latitude=48.1, longitude=-1.68)
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine", region=region)
    return CommuneFactory(code="35238", name="Rennes", departement=ille, region=region,
                          epci__departement=ille, epci__region=region, latitude=48.11, longitude=-1.68)


# --- browse ------------------------------------------------------------------------------------------

def test_browse_filters_by_mode_and_region_with_facet_counts(client, occitanie, bretagne):
    CaseFactory(title="Montpellier participe", territory=occitanie, tools=2)  # consumer + participative
    CaseFactory(title="Montpellier consomme", territory=occitanie, tools=1)  # consumer only
    CaseFactory(title="Rennes participe", territory=bretagne, tools=2)
    response = client.get("/cas/?mode=participative&region=76")
    assert response.status_code == 200
    page = text_of(response)
    assert "1 cas trouvé" in page
    assert "Montpellier participe" in page
    assert "Montpellier consomme" not in page and "Rennes participe" not in page
    html = response.content.decode()
    # Disjunctive counts: the mode facet counts with the région applied, the région facet with the mode.
    assert re.search(r'data-facet="mode" data-value="consumer">.*?facet-count">2<', html, re.S)
    assert re.search(r'data-facet="region" data-value="53">.*?facet-count">1<', html, re.S)
    # Option links toggle one value and keep every other filter (and drop the page number).
    assert 'href="?mode=participative&amp;mode=consumer&amp;region=76"' in html
    assert "Filtres actifs" in page and "Occitanie" in page


def test_browse_has_every_facet_of_the_issue(client, occitanie):
    case = CaseFactory(territory=occitanie, tools=3, secondary_themes=[Theme.HEALTH], carrier="epci",
                       management_mode=ManagementMode.SPL)
    DigitalToolFactory(case=case, status="pilot")
    page = text_of(client.get("/cas/"))
    for label in ["Mode de co-production présent", "Thématique dominante", "Thématique secondaire",
                  "Mode de gestion", "Portage", "Type d'outil", "Statut d'outil", "Région",
                  "Population de la ville centre", "Population de l'EPCI", "Département",
                  "Année de lancement", "Principale échéance", "Recherche", "Tri"]:
        assert label in page, label


def test_browse_full_text_search_sort_and_pagination(client):
    for i in range(25):
        CaseFactory(title=f"Initiative {i:02d}", launch_year=2000 + i)
    CaseFactory(title="Budget écologique", summary="Les habitants votent.")
    page = text_of(client.get("/cas/?q=ECOLOGIQUE"))
    assert "1 cas trouvé" in page and "Budget écologique" in page
    first = client.get("/cas/?ordering=-launch_year").content.decode()
    assert first.index("Initiative 24") < first.index("Initiative 23")
    assert "Initiative 04" not in first  # page 1 holds 20 cases
    second = client.get("/cas/?ordering=-launch_year&page=2").content.decode()
    assert "Initiative 04" in second
    assert 'href="?ordering=-launch_year&amp;page=1"' in second  # pagination keeps the sort


def test_browse_shows_invalid_values_next_to_their_field(client):
    CaseFactory(title="Toujours là")
    response = client.get("/cas/?launch_year_min=abc&mode=bogus&ordering=nope&page=zz&population_city_band=x")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_launch_year_min_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="facet-mode-error"' in html
    assert 'id="id_ordering_error"' in html
    assert "Toujours là" in text_of(response)  # invalid filters are ignored, not fatal


@pytest.mark.parametrize("query", [
    "page=99999", "page=-1", "q=" + "x" * 3000, "departement=<script>", "launch_year_max=1e309",
    "horizon_year_min=99999999999999999999", "cas=" + "a" * 500, "mode=consumer&mode=consumer",
])
def test_browse_never_fails_on_odd_input(client, query):
    CaseFactory()
    assert client.get(f"/cas/?{query}").status_code == 200
    assert client.get(f"/carte/?{query}").status_code == 200
    assert client.get(f"/statistiques/?{query}").status_code == 200
    assert client.get(f"/carte/donnees.geojson?{query}").status_code in (200, 400)


def test_a_nul_character_is_a_clear_400_not_a_500(client):
    for path in ("/cas/", "/carte/", "/statistiques/"):
        response = client.get(f"{path}?region=%00")
        assert response.status_code == 400
        assert "U+0000" in response.content.decode()


def test_browse_builds_a_comparison_form(client):
    a, b = CaseFactory(title="Alpha"), CaseFactory(title="Bêta")
    html = client.get(f"/cas/?cas={a.slug}&cas=elsewhere").content.decode()
    assert f'action="{reverse("cases:compare")}"' in html
    assert f'name="cas" value="{b.slug}" id="compare-{b.slug}">' in html
    assert f'name="cas" value="{a.slug}" id="compare-{a.slug}" checked>' in html
    # A selected case that is not on this page travels as a hidden field.
    assert '<input type="hidden" name="cas" value="elsewhere">' in html


def test_browse_hides_unpublished_and_pseudonymised_identity(client):
    commune = CommuneFactory(name="Villeréelle", code="42999")
    CaseFactory(pseudonymised=True, pseudonym="Collectivité P", title="Vrai nom", territory=commune)
    CaseFactory(title="Brouillon", draft=True)
    page = text_of(client.get("/cas/"))
    assert "Collectivité P" in page
    for secret in ["Vrai nom", "Villeréelle", "42999", "Brouillon"]:
        assert secret not in page


# --- home and navigation -----------------------------------------------------------------------------

def test_home_is_a_landing_page(client, occitanie):
    CaseFactory(title="Le plus récent", territory=occitanie, tools=3)
    page = text_of(client.get("/"))
    for expected in ["Chiffres clés", "1 cas publié", "3 outils numériques classés", "Derniers cas publiés",
                     "Le plus récent", "Parcourir les cas", "Méthodologie et codebook"]:
        assert expected in page, expected


def test_navigation_links_every_public_page(client):
    html = client.get("/").content.decode()
    for name in ["case_list", "map", "compare", "statistics", "methodology", "accessibility"]:
        assert f'href="{reverse(f"cases:{name}")}"' in html, name


# --- profile -----------------------------------------------------------------------------------------

def test_profile_offers_permalink_citation_and_comparison(client):
    case = CaseFactory(title="Budget 100 % citoyen & ouvert", slug="budget-citoyen")
    response = client.get(case.get_absolute_url())
    page = text_of(response)
    assert "http://testserver/cas/budget-citoyen/" in page
    assert "Observatoire de la co-création numérique locale. (" in page
    assert "Budget 100 % citoyen & ouvert [Fiche de cas]" in page
    assert "@misc{observatoire-budget-citoyen-" in page
    assert r"title = {Budget 100 \% citoyen \& ouvert}" in page
    assert f'href="/comparer/?cas={case.slug}"' in response.content.decode()


def test_profile_citation_uses_the_pseudonym(client):
    case = CaseFactory(pseudonymised=True, pseudonym="Collectivité Q", title="Nom caché")
    page = text_of(client.get(case.get_absolute_url()))
    assert "Collectivité Q [Fiche de cas]" in page and "title = {Collectivité Q}" in page
    assert "Nom caché" not in page


# --- compare -----------------------------------------------------------------------------------------

def test_compare_shows_cases_side_by_side_in_the_requested_order(client, occitanie):
    a = CaseFactory(title="Alpha", territory=occitanie, management_mode=ManagementMode.SPL)
    b = CaseFactory(title="Bêta", dominant_theme=Theme.HEALTH)
    DigitalToolFactory(case=a, name="Budget participatif Alpha", tool_type=ToolType.PARTICIPATORY_BUDGET,
                       coproduction_mode=CoproductionMode.CONSUMER)
    DigitalToolFactory(case=b, name="Hackathon Bêta", coproduction_mode=CoproductionMode.ENHANCED)
    FactorAssessmentFactory(case=a, factor=Factor.RESOURCES, assessment="absent")
    StakeholderFactory(case=b, helix=Helix.ACADEMIA, name="Université de Bêta")
    response = client.get(f"/comparer/?cas={b.slug}&cas={a.slug}")
    html = response.content.decode()
    page = text_of(response)
    assert page.index("Bêta") < page.index("Alpha")
    for expected in ["Principales caractéristiques", "SPL", "Santé", "Montpellier, Hérault, Occitanie",
                     "Facteurs comparés", "Non observé", "Université de Bêta", "Recherche et enseignement supérieur"]:
        assert expected in page, expected
    consumer_row = html.split('<tr class="mode-consumer">')[1].split("</tr>")[0]
    enhanced_row = html.split('<tr class="mode-enhanced">')[1].split("</tr>")[0]
    assert "Budget participatif Alpha" in consumer_row and "Hackathon Bêta" not in consumer_row
    assert "Hackathon Bêta" in enhanced_row
    # Removing one case keeps the other.
    assert f'href="/comparer/?cas={a.slug}"' in html
    assert f'href="/comparer/?cas={b.slug}"' in html


def test_compare_reports_unknown_and_surplus_cases(client):
    cases = [CaseFactory() for _ in range(7)]
    draft = CaseFactory(draft=True)
    slugs = [draft.slug, "inexistant", *[c.slug for c in cases]]
    response = client.get("/comparer/?" + "&".join(f"cas={s}" for s in slugs))
    assert response.status_code == 200
    page = text_of(response)
    assert "inexistant" in page and draft.slug in page  # reported as not found
    assert "au plus 6 cas" in page and cases[-1].slug in page
    assert "6 cas sélectionnés" in page  # the first six known ones


def test_compare_with_nothing_or_one_case_explains_what_to_do(client):
    assert "Choisissez de deux à 6 cas" in text_of(client.get("/comparer/"))
    case = CaseFactory(title="Seul")
    page = text_of(client.get(f"/comparer/?cas={case.slug}"))
    assert "Seul" in page and "Ajouter des cas depuis la liste" in page


def test_compare_never_reveals_a_pseudonymised_territory(client, occitanie):
    secret = CaseFactory(pseudonymised=True, pseudonym="Collectivité R", title="Nom réel", territory=occitanie,
                         population_city=87_654)
    other = CaseFactory()
    page = text_of(client.get(f"/comparer/?cas={secret.slug}&cas={other.slug}"))
    assert "Collectivité R" in page and "Occitanie (collectivité pseudonymisée)" in page
    for leak in ["Nom réel", "Montpellier", "Hérault", "87 654"]:
        assert leak not in page


# --- map ---------------------------------------------------------------------------------------------

def test_map_page_has_config_legend_and_table(client, occitanie):
    CaseFactory(title="Sur la carte", territory=occitanie, tools=2)
    CaseFactory(title="Nationale", national=True)
    response = client.get("/carte/?mode=participative")
    html = response.content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)[1])
    assert config["dataUrl"] == "/carte/donnees.geojson?mode=participative"
    assert config["outlinesUrl"] == "/carte/departements.geojson"
    assert config["iconPath"].endswith("vendor/leaflet/images/")
    assert config["tileUrl"] == ""
    page = text_of(response)
    assert "Légende" in page and "Co-production renforcée" in page
    assert "Sur la carte" in page and "Commune" in page
    assert "<script>" not in html.replace('<script id="map-config" type="application/json">', "")


def test_map_tile_layer_comes_from_settings(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Exemple"
    html = client.get("/carte/").content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)[1])
    assert config["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "© Exemple"
    assert config["dataUrl"] == "/carte/donnees.geojson"


def test_map_data_places_pseudonymised_cases_at_region_level(client, occitanie, bretagne):
    CaseFactory(title="Montpellier", slug="montpellier", territory=occitanie, tools=2)
    CaseFactory(pseudonymised=True, pseudonym="Collectivité S", slug="collectivite-s", title="Rennes secret",
                territory=bretagne, tools=1)
    CaseFactory(national=True, slug="nationale")
    response = client.get("/carte/donnees.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    by_slug = {f["properties"]["slug"]: f for f in data["features"]}
    # The pseudonymised région-level case is alone in its région: its région is generalised away, so it
    # has no point at all (cases.disclosure).
    assert set(by_slug) == {"montpellier"}
    assert by_slug["montpellier"]["geometry"]["coordinates"] == [3.87, 43.61]
    assert by_slug["montpellier"]["properties"]["highest_mode"] == "participative"
    assert by_slug["montpellier"]["properties"]["url"] == "/cas/montpellier/"
    body = response.content.decode()
    assert "Rennes" not in body and "35238" not in body


def test_map_data_applies_the_filters_and_keeps_the_true_highest_mode(client, occitanie, bretagne):
    CaseFactory(slug="a", territory=occitanie, tools=3)  # consumer, participative, enhanced
    CaseFactory(slug="b", territory=bretagne, tools=1)
    data = json.loads(client.get("/carte/donnees.geojson?mode=consumer&region=76").content)
    assert [f["properties"]["slug"] for f in data["features"]] == ["a"]
    # Filtering on a mode does not narrow the colour: the case's highest mode is still "enhanced".
    assert data["features"][0]["properties"]["highest_mode"] == "enhanced"
    bad = client.get("/carte/donnees.geojson?launch_year_min=abc")
    assert bad.status_code == 400 and "launch_year_min" in json.loads(bad.content)["errors"]


def test_departement_outlines_are_served_with_long_cache(client):
    response = client.get("/carte/departements.geojson")
    assert response.status_code == 200
    assert "max-age=604800" in response["Cache-Control"]
    assert json.loads(response.content)["type"] == "FeatureCollection"


# --- statistics --------------------------------------------------------------------------------------

def test_statistics_render_every_table_with_chart_and_data_under_the_filters(client, occitanie, bretagne):
    CaseFactory(territory=occitanie, tools=3, launch_year=2018)
    CaseFactory(territory=bretagne, tools=1, launch_year=2020)
    response = client.get("/statistiques/")
    html = response.content.decode()
    for key in ["tools_by_type", "modes_by_theme", "modes_by_management_mode", "modes_by_population_band",
                "cases_by_region", "cases_by_launch_year"]:
        section = html.split(f'<section class="stat" id="{key}"')[1].split("</section>")[0]
        assert "<svg" in section and "<table" in section, key
    assert "Occitanie" in text_of(response) and "Bretagne" in text_of(response)
    filtered = text_of(client.get("/statistiques/?region=76"))
    assert "Occitanie" in filtered and "Bretagne" not in filtered.split("Cas par région")[1].split("Cas par année")[0]


def test_statistics_svg_numbers_are_not_localised(client):
    CaseFactory(tools=3)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get("/statistiques/").content.decode()
    for value in re.findall(r'<rect x="([^"]+)"[^>]* width="([^"]+)"', html):
        for number in value:
            float(number)  # "226.67", never "226,67"


# --- methodology and accessibility -------------------------------------------------------------------

def test_methodology_is_generated_from_the_vocabularies(client):
    page = text_of(client.get("/methodologie/"))
    for vocabulary in [CoproductionMode, ToolType, Theme, ManagementMode, Helix, Factor]:
        for item in vocabulary:
            assert str(item.label) in page, item
    for reference in ["Osborne, S. P., & Strokosch, K. (2013)", "British Journal of Management",
                      "Chatfield et al. (2019)", "Carayannis, E. G., Barth, T. D., & Campbell, D. F. J. (2012)",
                      "Quintuple Helix"]:
        assert reference in page, reference
    assert "moins de 2 000 habitants" in page


def test_accessibility_statement(client):
    page = text_of(client.get("/accessibilite/"))
    for expected in ["partiellement conforme", "RGAA", "axe-core", "clavier", "Défenseur des droits"]:
        assert expected in page, expected


def test_pages_in_english(client, study_cases):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in ["/", "/cas/", "/comparer/?cas=collectivite-a&cas=collectivite-b", "/carte/", "/statistiques/",
                "/methodologie/", "/accessibilite/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="en"' in response.content.decode()


# --- constant query counts ---------------------------------------------------------------------------

def _populate(n_cases, tools_per_case, region):
    cases = []
    for i in range(n_cases):
        case = CaseFactory(tools=tools_per_case, territory=CommuneFactory(region=region, epci__region=region),
                           secondary_themes=[Theme.HEALTH], pseudonymised=(i % 3 == 0))
        StakeholderFactory(case=case)
        FactorAssessmentFactory(case=case)
        cases.append(case)
    return cases


@pytest.mark.parametrize("url", [
    "/", "/cas/", "/cas/?mode=participative&region=R99&q=initiative&ordering=-launch_year",
    "/carte/", "/carte/?mode=consumer", "/carte/donnees.geojson", "/carte/donnees.geojson?mode=enhanced",
    "/statistiques/", "/statistiques/?region=R99", "/methodologie/",
])
def test_query_count_is_constant(client, url):
    region = RegionFactory(code="R99", latitude=45.0, longitude=2.0)
    _populate(2, 2, region)  # every filtered URL finds something already
    few = queries(client, url)
    _populate(12, 6, region)
    assert queries(client, url) == few


def test_compare_query_count_is_constant(client):
    region = RegionFactory(code="R98")
    small = _populate(2, 1, region)
    few = queries(client, f"/comparer/?cas={small[0].slug}&cas={small[1].slug}")
    big = _populate(6, 8, region)
    many = queries(client, "/comparer/?" + "&".join(f"cas={c.slug}" for c in big))
    assert many == few


def test_profile_query_count_is_constant(client):
    region = RegionFactory(code="R97")
    small, = _populate(1, 1, region)
    big, = _populate(1, 15, region)
    assert queries(client, big.get_absolute_url()) == queries(client, small.get_absolute_url())


@pytest.mark.parametrize("url", ["/cas/", "/carte/"])
def test_a_page_whose_cards_are_cached_reads_none_of_its_cases(client, url):
    region = RegionFactory(code="R96")
    cases = _populate(3, 2, region)
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url).content.decode()
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="\w+"')  # masked anew for every response
    assert unmasked.sub("", again) == unmasked.sub("", first)
    assert not [q for q in ctx.captured_queries if "cases_digitaltool" in q["sql"] or "cases_case" in q["sql"]]
    if url == "/cas/":
        # The ticked selection is part of the cached cards' key: a case in the comparison is shown ticked.
        ticked = client.get(f"/cas/?cas={cases[0].slug}").content.decode()
        assert f'value="{cases[0].slug}" id="compare-{cases[0].slug}" checked' in ticked
        assert " checked>" not in client.get("/cas/").content.decode()
