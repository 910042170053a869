"""Accounts through the HTTP client: sign-up and e-mail confirmation, log-in, password reset, rate
limits, honeypot, API token."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from cases.models import ContributorProfile
from cases.permissions import CONTRIBUTORS_GROUP
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Un mot de passe solide 2026!"


@pytest.fixture
def commune():
    return CommuneFactory(name="Bourg-les-Tests", population=12_000)


def signup_data(commune, **overrides):
    data = {"first_name": "Camille", "last_name": "Martin", "email": "Camille.Martin@Mairie.example.fr",
            "organisation": "Mairie de Bourg-les-Tests", "job_title": "Chargée de mission",
            "territory_query": commune.name, "password1": PASSWORD, "password2": PASSWORD, "website": ""}
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
    profile = user.contributor_profile
    assert (profile.organisation, profile.territory, profile.email_confirmed_at) == (
        "Mairie de Bourg-les-Tests", commune, None)
    # Not active yet: logging in fails, with a hint about the e-mail.
    login = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert login.status_code == 200 and "Confirmez d'abord votre adresse" in login.content.decode()

    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Confirmez votre adresse e-mail"
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("cases:contrib_dashboard")
    user.refresh_from_db()
    assert user.is_active and user.groups.filter(name=CONTRIBUTORS_GROUP).exists()
    assert ContributorProfile.objects.get(user=user).email_confirmed_at is not None
    assert client.get(reverse("cases:contrib_dashboard")).status_code == 200
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 400


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
    response = client.post(reverse("signup"), signup_data(commune, email="pas-une-adresse", password2="autre"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"email", "password2"}
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
    client.post(reverse("api_token"))
    from rest_framework.authtoken.models import Token

    first = Token.objects.get(user=official).key
    assert first in client.get(reverse("api_token")).content.decode()
    client.post(reverse("api_token"))
    assert Token.objects.get(user=official).key != first


def test_csrf_is_required_on_account_forms(commune):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for name in ("signup", "login", "password_reset"):
        assert strict.post(reverse(name), signup_data(commune)).status_code == 403, name
