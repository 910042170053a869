"""The whole contribution flow in a real browser: an official signs up and confirms the address, submits a
case with two tools; a moderator asks for a change; the official fixes it; the moderator publishes; the
case is then on the list, the map data and the API."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import run_axe
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Un mot de passe solide 2026!"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The flow is written for the site's default language, whatever the machine's locale.
    return {**browser_context_args, "locale": "fr-FR"}


def log_in(page, base, username, password):
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Adresse e-mail (ou identifiant)").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def pick_territory(page, text, option):
    field = page.get_by_role("combobox", name="Collectivité")
    field.fill(text)
    page.get_by_role("option", name=re.compile(option)).first.click()


def test_sign_up_submit_moderate_fix_publish(page, base):
    CommuneFactory(name="Lumièreville", code="77777", population=41_500, population_year=2023,
                   epci__population=180_000, latitude=48.5, longitude=2.5)
    UserFactory(username="moderatrice", email="moderatrice@observatoire.example", moderator=True,
                password="correct horse battery staple")

    # 1. Sign-up, with the collectivity chosen by autocomplete.
    page.goto(f"{base}/comptes/inscription/")
    assert run_axe(page) == []
    page.get_by_label("Prénom").fill("Camille")
    page.fill("#id_last_name", "Martin")
    page.get_by_label("Adresse e-mail professionnelle").fill("camille.martin@lumiereville.example")
    page.get_by_label("Organisation").fill("Mairie de Lumièreville")
    pick_territory(page, "Lumière", "Lumièreville")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/comptes/inscription/envoyee/")

    # 2. The confirmation link, read from the test mailbox.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert run_axe(page) == []
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Ouvrir mon compte").click()
    page.wait_for_url("**/contribuer/")
    assert page.get_by_text("Votre adresse est confirmée").is_visible()

    # 3. A new initiative: step one, then the guided form with two tools.
    page.get_by_role("link", name="Déclarer une nouvelle initiative").click()
    page.get_by_label("Nom de l'initiative").fill("Budget participatif de Lumièreville")
    pick_territory(page, "Lumièrev", "Lumièreville")
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url(re.compile(r".*/contribuer/\d+/$"))
    assert page.get_by_text("Référence INSEE 2023 : 41").is_visible()
    assert run_axe(page) == []
    page.select_option("#id_case-carrier", "commune")
    page.fill("#id_case-launch_year", "2019")
    page.select_option("#id_case-dominant_theme", "local_democracy")
    page.select_option("#id_case-management_mode", "direct")
    page.fill("#id_case-summary", "Les habitants proposent et votent des projets.")
    page.fill("#id_tools-0-name", "Budget participatif en ligne")
    page.select_option("#id_tools-0-tool_type", "participatory_budget")
    # The suggested mode is pre-selected, and said to be only a suggestion.
    assert page.locator("#id_tools-0-coproduction_mode_0").is_checked()
    assert page.get_by_text("Suggestion pour ce type d’outil").first.is_visible()
    page.fill("#id_tools-0-classification_rationale", "Les habitants votent pour les projets.")
    page.get_by_role("button", name="Ajouter un outil").click()
    page.fill("#id_tools-1-name", "Plateforme d'idées")
    page.select_option("#id_tools-1-tool_type", "ideation")
    page.check("#id_tools-1-coproduction_mode_1")
    page.fill("#id_tools-1-classification_rationale", "Les habitants proposent des idées d'aménagement.")
    page.get_by_role("button", name="Soumettre pour publication").click()
    page.wait_for_url("**/contribuer/")
    assert page.get_by_text("Initiative envoyée aux modérateurs").is_visible()
    log_out(page)

    # 4. The moderator asks for a change.
    log_in(page, base, "moderatrice", "correct horse battery staple")
    page.goto(f"{base}/moderation/")
    page.get_by_role("link", name="Budget participatif de Lumièreville").click()
    assert page.get_by_text("Budget participatif en ligne").first.is_visible()
    page.get_by_label("Commentaire pour le contributeur").fill("Indiquez le logiciel utilisé.")
    page.get_by_role("button", name="Demander des modifications").click()
    page.wait_for_url("**/moderation/")
    log_out(page)
    assert "Indiquez le logiciel utilisé." in mail.outbox[-1].body

    # 5. The official fixes it.
    log_in(page, base, "camille.martin@lumiereville.example", PASSWORD)
    page.get_by_role("link", name=re.compile("Reprendre")).click()
    assert page.get_by_text("Indiquez le logiciel utilisé.").is_visible()
    page.fill("#id_tools-0-software", "Decidim")
    page.get_by_role("button", name="Soumettre pour publication").click()
    page.wait_for_url("**/contribuer/")
    log_out(page)

    # 6. The moderator publishes.
    log_in(page, base, "moderatrice", "correct horse battery staple")
    page.goto(f"{base}/moderation/")
    page.get_by_role("link", name="Budget participatif de Lumièreville").click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url("**/moderation/")
    log_out(page)

    # 7. On the list, the map data and the API.
    page.goto(f"{base}/cas/")
    assert page.get_by_role("link", name="Budget participatif de Lumièreville").first.is_visible()
    geojson = page.request.get(f"{base}/carte/donnees.geojson").json()
    assert any(f["properties"]["name"] == "Budget participatif de Lumièreville" for f in geojson["features"])
    api = page.request.get(f"{base}/api/v1/cases/?q=lumiereville").json()
    assert [case["name"] for case in api["results"]] == ["Budget participatif de Lumièreville"]
