"""axe-core on the pages the site and contribution tests do not already cover: territory pages with
their locator map, the data page, a case's history, the log-in and password pages, and the moderator's
queue and review page."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import run_axe
from tests.browser.test_submission_flow import log_in
from tests.factories import CaseFactory, CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_without_account(page, base):
    commune = CommuneFactory(name="Lumièreville", code="77777", latitude=48.5, longitude=2.5)
    case = CaseFactory(title="Budget participatif de Lumièreville", territory=commune, tools=3)
    for path in [commune.get_absolute_url(), commune.epci.get_absolute_url(), commune.departement.get_absolute_url(),
                 commune.region.get_absolute_url(), "/a-propos-des-donnees/", f"{case.get_absolute_url()}historique/",
                 "/comptes/connexion/", "/comptes/mot-de-passe/oubli/", "/comptes/inscription/"]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert run_axe(page) == [], path
    page.goto(f"{base}{commune.get_absolute_url()}")
    assert page.locator("#territory-map .leaflet-interactive").count() == 1  # the point, drawn offline


def test_data_page_with_a_release(page, base, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    CaseFactory(tools=2)
    call_command("publish_release", verbosity=0)
    page.goto(f"{base}/donnees/")
    page.get_by_text("Citer cette version").click()
    assert run_axe(page) == []
    page.get_by_role("link", name="Version").first.click()
    page.wait_for_load_state()
    assert run_axe(page) == []


def test_moderator_pages(page, base):
    UserFactory(username="moderatrice", email="moderatrice@observatoire.example", moderator=True,
                password="correct horse battery staple")
    submitted = CaseFactory(title="Cartographie participative des îlots de fraîcheur", submitted=True, tools=2)
    log_in(page, base, "moderatrice", "correct horse battery staple")
    page.goto(f"{base}/moderation/")
    assert run_axe(page) == []
    page.get_by_role("link", name=submitted.title).click()
    page.wait_for_load_state()
    assert run_axe(page) == []
