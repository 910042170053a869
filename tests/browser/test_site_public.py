"""The public site in a real browser: filtering, comparing, the map, the language switch, keyboard use,
and axe-core on every page (no serious or critical violation)."""

import re

import pytest
from playwright.sync_api import expect

from cases.vocabularies import CoproductionMode, ToolType
from tests.browser.conftest import run_axe
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    FactorAssessmentFactory,
    RegionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def located_cases(db):
    """Cases in Occitanie and Bretagne, one pseudonymised, with tools across the continuum."""
    occitanie = RegionFactory(code="76", name="Occitanie", latitude=43.6, longitude=1.44)
    bretagne = RegionFactory(code="53", name="Bretagne", latitude=48.1, longitude=-1.68)
    herault = DepartementFactory(code="34", name="Hérault", region=occitanie)
    gard = DepartementFactory(code="30", name="Gard", region=occitanie)
    ille = DepartementFactory(code="35", name="Ille-et-Vilaine", region=bretagne)

    def commune(code, name, departement, lat, lon):
        return CommuneFactory(code=code, name=name, departement=departement, region=departement.region,
                              epci__departement=departement, epci__region=departement.region,
                              latitude=lat, longitude=lon)

    cases = [
        CaseFactory(title="Montpellier en commun", slug="montpellier-en-commun",
                    territory=commune("34172", "Montpellier", herault, 43.61, 3.87), tools=2),
        CaseFactory(title="Nîmes participe", slug="nimes-participe",
                    territory=commune("30189", "Nîmes", gard, 43.84, 4.36), tools=3),
        CaseFactory(title="Sète connectée", slug="sete-connectee",
                    territory=commune("34301", "Sète", herault, 43.40, 3.69), tools=1),
        CaseFactory(title="Rennes ouverte", slug="rennes-ouverte",
                    territory=commune("35238", "Rennes", ille, 48.11, -1.68), tools=2),
        CaseFactory(pseudonymised=True, pseudonym="Collectivité Occ", slug="collectivite-occ",
                    territory=commune("34999", "Ville secrète", herault, 43.5, 3.5), tools=2),
    ]
    DigitalToolFactory(case=cases[0], name="Budget participatif", tool_type=ToolType.PARTICIPATORY_BUDGET,
                       coproduction_mode=CoproductionMode.CONSUMER)
    for case in cases:
        FactorAssessmentFactory(case=case)
        StakeholderFactory(case=case)
    return cases


def results_heading(page):
    return page.locator("#results-title")


def test_filter_the_list_and_see_it_update_then_go_back(page, base, located_cases):
    page.goto(f"{base}/cas/")
    expect(results_heading(page)).to_have_text("5 cas trouvés")
    page.locator('.facet-option[data-facet="mode"][data-value="participative"]').click()
    page.wait_for_url(re.compile(r"mode=participative"))
    expect(results_heading(page)).to_have_text("4 cas trouvés")
    page.locator('details.facet:has(a[data-facet="region"]) summary').click()
    page.locator('.facet-option[data-facet="region"][data-value="76"]').click()
    page.wait_for_url(re.compile(r"region=76"))
    expect(results_heading(page)).to_have_text("3 cas trouvés")
    expect(page.get_by_role("link", name="Rennes ouverte")).to_have_count(0)
    page.go_back()
    page.wait_for_url(re.compile(r"mode=participative$"))
    expect(results_heading(page)).to_have_text("4 cas trouvés")
    # A full-text search from the form, keeping the facets.
    page.get_by_label("Recherche").fill("nimes")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"q=nimes"))
    expect(results_heading(page)).to_have_text("1 cas trouvé")
    assert "mode=participative" in page.url


def test_build_a_comparison_from_the_list_and_remove_a_case(page, base, located_cases):
    page.goto(f"{base}/cas/?region=76&mode=participative")
    for name in ["Montpellier en commun", "Nîmes participe", "Collectivité Occ"]:
        page.get_by_label(f"Comparer {name}").check()
    page.get_by_role("button", name="Comparer la sélection").click()
    page.wait_for_url(re.compile(r"/comparer/\?cas="))
    header = page.locator("#characteristics-title ~ div table thead th[scope=col]")
    expect(header).to_have_count(4)  # the row-label column + three cases
    expect(page.locator(".continuum-matrix")).to_contain_text("Budget participatif")
    page.get_by_role("link", name=re.compile(r"Retirer Nîmes participe")).click()
    expect(header).to_have_count(3)
    assert "nimes-participe" not in page.url
    # Add another case from the list: the selection travels with the URL and comes back ticked.
    page.get_by_role("link", name="Ajouter des cas depuis la liste").click()
    expect(page.get_by_label("Comparer Montpellier en commun")).to_be_checked()
    # ... with the filters it was built under (issue 14); clearing them keeps the selection.
    assert "region=76" in page.url and "mode=participative" in page.url
    expect(page.locator("[data-tray-count]")).to_have_text("2")
    page.get_by_role("link", name="Effacer tous les filtres").first.click()
    expect(page.get_by_label("Comparer Montpellier en commun")).to_be_checked()
    page.get_by_label("Comparer Rennes ouverte").check()
    expect(page.locator("[data-tray-count]")).to_have_text("3")
    page.get_by_role("button", name="Comparer la sélection").click()
    expect(header).to_have_count(4)


def test_map_shows_markers_and_a_popup_leads_to_the_profile(page, base, located_cases):
    page.goto(f"{base}/carte/")
    expect(page.locator("#map-status")).to_contain_text("5 cas placés")
    # No zoom-in here: it raced the fit to the cases, and when it came after it, Rennes (the north-west
    # corner of the fit) ended under the "Aller à" buttons, which then took the click.
    marker = page.locator(".leaflet-marker-icon.map-marker[title='Rennes ouverte']")
    expect(marker).to_be_visible()
    assert "mode-participative" in marker.get_attribute("class")
    # Inside the map's own box: a marker pushed to the edge (and clipped there) is not one a user can click.
    box, map_box = marker.bounding_box(), page.locator("#map").bounding_box()
    assert map_box["y"] <= box["y"] and box["y"] + box["height"] <= map_box["y"] + map_box["height"]
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Rennes ouverte")
    popup.get_by_role("link", name=re.compile("Voir la fiche")).click()
    page.wait_for_url("**/cas/rennes-ouverte/")
    # The département outlines are drawn without any tile server.
    page.goto(f"{base}/carte/?region=53")
    expect(page.locator("#map-status")).to_contain_text("1 cas placés")
    expect(page.locator("#map path.leaflet-interactive, #map svg path").first).to_be_attached()


def test_map_markers_work_with_the_keyboard(page, base, located_cases):
    page.goto(f"{base}/carte/?region=53")
    marker = page.locator(".leaflet-marker-icon.map-marker").first
    expect(marker).to_be_visible()
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Rennes ouverte")


def test_tab_to_a_filter_and_activate_it(page, base, located_cases):
    page.goto(f"{base}/cas/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('facet-option')"):
            break
    else:
        pytest.fail("no facet option reachable with Tab")
    value = page.evaluate("document.activeElement.dataset.value")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"mode={value}"))
    assert page.locator(f'.facet-option.is-selected[data-value="{value}"]').count() == 1


def test_switch_language_on_a_public_page(page, base, located_cases):
    page.goto(f"{base}/statistiques/?region=76")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "region=76" in page.url  # the filters survive the switch


PAGES = [
    "/", "/cas/", "/cas/?mode=participative&region=76&launch_year_min=abc", "/cas/montpellier-en-commun/",
    "/cas/collectivite-occ/", "/comparer/?cas=montpellier-en-commun&cas=nimes-participe&cas=collectivite-occ",
    "/comparer/", "/carte/", "/statistiques/", "/methodologie/", "/accessibilite/",
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_axe_finds_no_serious_violation_on_any_page(page, base, located_cases, language):
    if language != "fr":
        page.goto(f"{base}/")
        page.select_option("#language-select", language)
        page.get_by_role("button", name="Changer").click()
        page.wait_for_load_state()
    for path in PAGES:
        page.goto(f"{base}{path}")
        if path.startswith("/carte/"):
            expect(page.locator("#map-status")).not_to_be_empty()
        assert run_axe(page) == [], path
