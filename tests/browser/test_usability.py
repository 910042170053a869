"""Issue 14 in a real browser: focus stays on a facet after its click, the comparison tray follows the
ticks through filter changes, the header folds on a phone, map clusters have a colour and a name, and the
guided form puts focus on its error list and warns before unsaved typing is lost."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import run_axe
from tests.browser.test_site_public import located_cases  # noqa: F401  (fixture)
from tests.factories import CaseFactory, ContributorFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def test_focus_stays_on_the_facet_and_the_tray_follows_the_ticks(page, base, located_cases):  # noqa: F811
    page.goto(f"{base}/cas/")
    page.get_by_label("Comparer Rennes ouverte").check()
    expect(page.locator("[data-tray-count]")).to_have_text("1")
    option = page.locator("a.facet-option[data-facet='mode'][data-value='participative']")
    option.click()
    page.wait_for_url(re.compile(r"mode=participative"))
    assert "cas=rennes-ouverte" in page.url  # the tick travelled with the filter link
    expect(page.locator("[data-tray-count]")).to_have_text("1")
    assert page.evaluate("document.activeElement.dataset.value") == "participative"
    # Empty fields stay out of the URL.
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_load_state()
    assert "q=" not in page.url and "launch_year_min" not in page.url


def test_header_folds_on_a_phone(browser, base, located_cases):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/cas/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_hidden()
    assert page.evaluate("document.querySelector('.site-header').offsetHeight") < 120
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    expect(nav).to_be_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    # The filter panel folds too, and opens on demand.
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_be_hidden()
    page.get_by_role("button", name="Filtrer les cas").click()
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_be_visible()
    assert run_axe(page) == []
    context.close()


def test_map_clusters_are_coloured_and_named(page, base, located_cases):  # noqa: F811
    page.goto(f"{base}/carte/?region=76")
    expect(page.locator("#map-status")).to_contain_text("4 cas placés")
    clusters = page.locator(".map-cluster")
    page.get_by_role("button", name="Métropole").click()  # the whole country: nearby cases cluster
    expect(clusters.first).to_be_attached()
    assert re.search(r"mode-(consumer|participative|enhanced)", clusters.first.get_attribute("class"))
    assert "mode le plus fréquent" in clusters.first.inner_text() or "mode le plus fréquent" in \
        clusters.first.text_content()
    expect(page.get_by_role("button", name="La Réunion")).to_be_visible()
    assert run_axe(page) == []


def test_guided_form_focuses_its_errors_and_warns_before_losing_typing(page, base):
    official = ContributorFactory(password=PASSWORD)
    draft = CaseFactory(title="Atlas citoyen", draft=True, submitted_by=official, carrier="", tools=1)
    page.goto(f"{base}/comptes/connexion/")
    page.fill("input[name=username]", official.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/contribuer/{draft.pk}/")
    assert "{#" not in page.content()
    page.get_by_role("button", name="Soumettre pour publication").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id").startswith("id_case-")
    assert run_axe(page) == []
    # Typing, then leaving: the browser asks first.
    page.get_by_label("Site web").fill("https://atlas.example.fr")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Mes initiatives").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
