"""Accounts through the HTTP client: sign-up and e-mail confirmation, log-in, password reset, rate
limits, honeypot, API token."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from cases.models import ApiToken, ContributorProfile
from cases.permissions import CONTRIBUTORS_GROUP
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Un mot de passe solide 2026!"


@pytest.fixture(autouse=True)
def send_at_once(monkeypatch):
    # Account e-mails leave after the commit (cases.outbox). The views run in autocommit, where that is at
    # once; the test's wrapping transaction never commits, so it is "at once" here too.
    monkeypatch.setattr("cases.outbox.services.transaction.on_commit", lambda callback, robust=False: callback())


@pytest.fixture
def commune():
    return CommuneFactory(name="Bourg-les-Tests", population=12_000)


def signup_data(commune, **overrides):
    data = {"first_name": "Camille", "last_name": "Martin", "email": "Camille.Martin@Mairie.example.fr",
            "organisation": "Mairie de Bourg-les-Tests", "job_title": "Chargée de mission",
            "territory_query": commune.name, "website": ""}
    data.update(overrides)
    return data


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_page_is_french_and_has_csrf(client):
    html = client.get(reverse("signup")).content.decode()
    assert "Créer un compte de contributeur" in html and "csrfmiddlewaretoken" in html


def test_signup_then_confirmation_opens_the_account(client, commune):
    response = client.post(reverse("signup"), signup_data(commune))
    assert response.status_code == 302 and response["Location"] == reverse("signup_done")
    user = get_user_model().objects.get(email="camille.martin@mairie.example.fr")
    assert not user.is_active and user.username == user.email
    # No password yet: only whoever reads the address will choose one.
    assert not user.has_usable_password()
    profile = user.contributor_profile
    assert (profile.organisation, profile.territory, profile.email_confirmed_at) == (
        "Mairie de Bourg-les-Tests", commune, None)

    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Confirmez votre adresse e-mail"
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Choisissez votre mot de passe" in page.content.decode()
    short = client.post(link, {"new_password1": "court", "new_password2": "court"})
    assert short.status_code == 400 and "new_password2" in short.context["form"].errors
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("cases:contrib_dashboard")
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD) and user.groups.filter(name=CONTRIBUTORS_GROUP).exists()
    assert ContributorProfile.objects.get(user=user).email_confirmed_at is not None
    assert client.get(reverse("cases:contrib_dashboard")).status_code == 200
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 400


def test_signup_never_binds_a_password_to_an_unread_address(client, commune):
    """Pre-account takeover: an attacker signs up with a victim's address. Nothing the attacker typed
    opens the account; the victim's own sign-up takes the address over; the victim's link sets the
    victim's password."""
    client.post(reverse("signup"), signup_data(commune, first_name="Attaquant", organisation="Pirates"))
    attacker_link = link_in(mail.outbox[0])
    client.post(reverse("signup"), signup_data(commune))
    victim = get_user_model().objects.get(email="camille.martin@mairie.example.fr")
    assert (victim.first_name, victim.contributor_profile.organisation) == ("Camille", "Mairie de Bourg-les-Tests")
    assert get_user_model().objects.count() == 1
    victim_link = link_in(mail.outbox[1])
    response = client.post(victim_link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert client.get(attacker_link).status_code == 400


def test_signup_answers_alike_for_full_width_look_alike_addresses(client, commune, official):
    look_alike = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and c != "@" else c for c in official.email)
    response = client.post(reverse("signup"), signup_data(commune, email=look_alike))
    assert response.status_code == 302 and response["Location"] == reverse("signup_done")
    assert get_user_model().objects.filter(email__iexact=official.email).count() == 1
    assert mail.outbox[0].subject == "Vous avez déjà un compte"


def test_unconfirmed_sign_ups_are_purged(client, commune):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    client.post(reverse("signup"), signup_data(commune))
    get_user_model().objects.update(date_joined=timezone.now() - timedelta(days=8))
    call_command("purge_unconfirmed_accounts", "--days", "7")
    assert not get_user_model().objects.exists()


def test_login_with_the_email_in_any_case_and_logout(client, official):
    response = client.post(reverse("login"), {"username": official.email.upper(),
                                              "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:contrib_dashboard")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("cases:contrib_dashboard")).status_code == 302


def test_signup_with_a_known_address_does_not_tell_but_mails_the_owner(client, commune, official):
    response = client.post(reverse("signup"), signup_data(commune, email=official.email))
    assert response.status_code == 302 and response["Location"] == reverse("signup_done")
    assert get_user_model().objects.filter(email__iexact=official.email).count() == 1
    assert mail.outbox[0].to == [official.email] and mail.outbox[0].subject == "Vous avez déjà un compte"


def test_errors_are_shown_next_to_their_fields(client, commune):
    response = client.post(reverse("signup"), signup_data(commune, email="pas-une-adresse", first_name=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"email", "first_name"}
    assert 'id="id_email_errors"' in response.content.decode()


def test_honeypot_stops_bots(client, commune):
    response = client.post(reverse("signup"), signup_data(commune, website="http://spam.example"))
    assert response.status_code == 400
    assert not get_user_model().objects.exists() and not mail.outbox


def test_signup_is_rate_limited(client, commune, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "signup": "3/h"}
    statuses = [client.post(reverse("signup"), signup_data(commune, email=f"a{i}@example.fr")).status_code
                for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert get_user_model().objects.count() == 3


def test_login_is_rate_limited(client, official, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": "3/5m"}
    statuses = [client.post(reverse("login"), {"username": official.email, "password": "faux"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_password_reset_in_french(client, official):
    response = client.post(reverse("password_reset"), {"email": official.email})
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Choisir un nouveau mot de passe"
    link = link_in(mail.outbox[0])
    response = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert client.login(username=official.username, password=PASSWORD)


def test_api_token_page(client, official):
    client.force_login(official)
    assert "pas encore de jeton" in client.get(reverse("api_token")).content.decode()
    response = client.post(reverse("api_token"))
    first = response.context["key"]
    assert first in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Shown once: the page never shows the key again, and the database holds only its hash.
    again = client.get(reverse("api_token")).content.decode()
    assert first not in again and first[:8] in again
    assert not ApiToken.objects.filter(key_hash=first).exists()
    second = client.post(reverse("api_token")).context["key"]
    assert second != first and ApiToken.objects.filter(user=official).count() == 1


def test_csrf_is_required_on_account_forms(commune):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for name in ("signup", "login", "password_reset"):
        assert strict.post(reverse(name), signup_data(commune)).status_code == 403, name
