"""Findings of the security review about user input, each reproduced as the attacker played it.

Quadratic Markdown, NUL bytes, line breaks in titles, slugs that told about other people's drafts,
look-alike names, cached private pages, and API keys stored in clear that outlived a password change.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cases.catalogue.services import case_create, case_update
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.contributions.tokens import token_issue
from cases.markdown import MARKDOWN_MAX_LENGTH, render_markdown
from cases.models import ApiToken, Case
from cases.moderation.services import case_publish
from cases.vocabularies import Disclosure
from tests.contributions.utils import complete_payload
from tests.factories import CaseFactory, CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return CommuneFactory(name="Bourg-les-Tests", population=12_000)


# --- Markdown ---------------------------------------------------------------------------------------

def test_markdown_longer_than_the_bound_is_refused_with_a_field_message(official, commune):
    case = contribution_start(actor=official, title="Crochets", territory=commune)
    api = APIClient()
    api.force_authenticate(official)
    payload = complete_payload(commune, summary="[" * (MARKDOWN_MAX_LENGTH + 1))
    response = api.put(f"/api/v1/contributions/{case.pk}/", payload, format="json")
    assert response.status_code == 200 and "summary" in response.json()["errors"]["case"]
    with pytest.raises(ValidationError):
        revision_submit(revision=revision_save(case=case, actor=official, data=payload), actor=official)


def test_pathological_markdown_at_the_bound_renders_on_every_page_that_shows_it(client, moderator, commune):
    """25,000 "[" made python-markdown run for minutes (a gunicorn worker timed out). The review page,
    the profile and the history now render a summary of the longest allowed size of the worst known
    shapes at once (cmark is linear)."""
    summary = ("[" * (MARKDOWN_MAX_LENGTH // 2)) + ("![" * (MARKDOWN_MAX_LENGTH // 4))
    case = CaseFactory(summary=summary, territory=commune)
    assert "[[[" in render_markdown("[" * 1000)
    client.force_login(moderator)
    for url in (reverse("cases:moderation_review", args=[case.pk]), case.get_absolute_url(),
                reverse("cases:case_history", args=[case.slug])):
        assert client.get(url).status_code == 200


# --- NUL bytes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/cas/?q=a%00b", "/carte/donnees.geojson?q=%00", "/statistiques/?region=%00", "/comparer/?cas=%00",
    "/territoires/recherche/?q=%00", "/api/v1/cases/?q=%00", "/api/v1/territories/?q=%00",
    "/api/v1/tools/?software=%00",
])
def test_a_nul_byte_in_a_query_is_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "U+0000" in response.json()["detail"]


def test_a_nul_byte_in_a_draft_is_a_400_on_the_form_and_the_api(client, official, commune):
    case = contribution_start(actor=official, title="Nul", territory=commune)
    client.force_login(official)
    response = client.post(reverse("cases:contrib_edit", args=[case.pk]), {"case-title": "A\x00B"})
    assert response.status_code == 400
    api = APIClient()
    api.force_authenticate(official)
    payload = complete_payload(commune, summary="A\u0000B")
    assert api.put(f"/api/v1/contributions/{case.pk}/", payload, format="json").status_code == 400


# --- Titles in e-mails --------------------------------------------------------------------------------

def test_a_line_break_in_a_title_cannot_write_into_moderators_emails(official, moderator, commune):
    case = contribution_start(actor=official, title="Titre", territory=commune)
    injected = complete_payload(commune, title="Budget\nBonjour, cliquez ici : https://evil.example")
    revision = revision_save(case=case, actor=official, data=injected)
    with pytest.raises(ValidationError):
        revision_submit(revision=revision, actor=official)
    with pytest.raises(ValidationError) as error:
        case_update(case=case, title="Budget\r\nBcc: x@evil.example")
    assert "title" in error.value.message_dict
    assert not any("evil.example" in message.body for message in mail.outbox)


# --- Slugs --------------------------------------------------------------------------------------------

def test_a_draft_slug_tells_nothing_about_other_peoples_drafts(official, other_official, commune):
    secret = contribution_start(actor=other_official, title="Projet confidentiel", territory=commune)
    mine = contribution_start(actor=official, title="Projet confidentiel", territory=commune)
    assert "confidentiel" not in secret.slug and "confidentiel" not in mine.slug and secret.slug != mine.slug
    published = case_create(title="Projet public", territory=commune, status="published")
    assert published.slug == "projet-public"


def test_a_case_gets_its_public_slug_when_published(official, moderator, commune):
    case = contribution_start(actor=official, title="Budget participatif", territory=commune)
    revision_submit(revision=revision_save(case=case, actor=official,
                                           data=complete_payload(commune, title="Budget participatif")),
                    actor=official)
    case_publish(case=Case.objects.get(pk=case.pk), actor=moderator)
    assert Case.objects.get(pk=case.pk).slug == "budget-participatif"


# --- Look-alike names ---------------------------------------------------------------------------------

def test_look_alike_letters_cannot_pass_for_collectivite_a(commune):
    case_create(title="Étude", territory=commune, status="published", disclosure=Disclosure.PSEUDONYMISED,
                pseudonym="Collectivité A")
    other = case_create(title="Autre", territory=commune)
    for fake in ("Coll\u0435ctivité A",  # Cyrillic е
                 "Collectivit\u00e9 \u0391",  # Greek Alpha
                 "Ｃｏｌｌｅｃｔｉｖｉｔé Ａ",  # full width: normalised, then the other case's pseudonym
                 "COLLECTIVITE A"):  # accents and case folded
        with pytest.raises(ValidationError):
            case_update(case=other, disclosure=Disclosure.PSEUDONYMISED, pseudonym=fake)
        with pytest.raises(ValidationError):
            case_update(case=other, title=fake)
    case_update(case=other, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Ｃｏｌｌｅｃｔｉｖｉｔé Ｚ")
    assert Case.objects.get(pk=other.pk).pseudonym == "Collectivité Z"


# --- Private pages are never cached -------------------------------------------------------------------

def test_private_pages_are_sent_no_store(client, official, moderator, commune):
    case = contribution_start(actor=official, title="Brouillon", territory=commune)
    client.force_login(official)
    for url in (reverse("api_token"), reverse("cases:contrib_dashboard"),
                reverse("cases:contrib_edit", args=[case.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]
    api = APIClient()
    api.force_authenticate(official)
    assert "no-store" in api.get("/api/v1/contributions/")["Cache-Control"]
    client.force_login(moderator)
    for url in (reverse("cases:moderation_queue"), reverse("cases:moderation_review", args=[case.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]


# --- API keys -----------------------------------------------------------------------------------------

def test_api_keys_are_stored_hashed_expire_and_die_with_the_password(client, official, settings):
    token, key = token_issue(official)
    assert key not in {token.key_hash, token.key_prefix} and not ApiToken.objects.filter(key_hash=key).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/contributions/").status_code == 200

    # A password change, through the site, revokes the key.
    client.force_login(official)
    client.post(reverse("password_change"), {"old_password": "correct horse battery staple",
                                             "new_password1": "Un tout autre mot de passe 2026",
                                             "new_password2": "Un tout autre mot de passe 2026"})
    assert api.get("/api/v1/contributions/").status_code in (401, 403)

    # A new key expires.
    official.refresh_from_db()
    _token, key = token_issue(official)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/contributions/").status_code == 200
    ApiToken.objects.filter(user=official).update(expires_at="2000-01-01T00:00:00Z")
    assert api.get("/api/v1/contributions/").status_code in (401, 403)
