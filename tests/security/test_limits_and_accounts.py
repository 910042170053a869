"""The client's address from the trusted proxies (API throttles and rate limits), per-account log-in limits
(the admin's log-in too), sign-up that does the same work for known and unknown addresses, passwords of 12
characters and more, and the idle session timeout."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.client_ip import client_ip
from cases.models import OutgoingEmail
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_a_forged_x_forwarded_for_does_not_reset_the_api_throttle(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"}}
    statuses = [client.get("/api/v1/vocabularies/", headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(client, settings, rf):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"}}
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "198.51.100.7"  # what the proxy saw; the forged left part is ignored

    def get(forwarded):
        return client.get("/api/v1/vocabularies/", headers={"x-forwarded-for": forwarded}).status_code

    assert [get(f"{n}.{n}.{n}.{n}, 198.51.100.7") for n in range(1, 4)] == [200, 200, 429]
    assert get("198.51.100.8") == 200  # another client behind the same proxy has its own count


def test_a_forged_x_forwarded_for_does_not_reset_the_login_limit(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": "2/m"}
    statuses = [client.post("/comptes/connexion/", {"username": f"u{n}@example.org", "password": "x" * 12},
                            headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_one_account_is_limited_whatever_the_address(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login_account": "3/h"}
    user = UserFactory(email="cible@example.org", username="cible@example.org")
    statuses = [client.post("/comptes/connexion/", {"username": "Cible@Example.org ", "password": "x" * 12},
                            REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Even the right password waits, from anywhere: the limit is the account's.
    assert client.post("/comptes/connexion/", {"username": user.username, "password": PASSWORD},
                       REMOTE_ADDR="192.0.2.99").status_code == 429


def test_the_admin_login_is_rate_limited(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": "3/m"}
    UserFactory(superuser=True, username="admin")
    statuses = [client.post("/admin/login/", {"username": "admin", "password": "wrong-password-here"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def _signup(client, email, commune):
    return client.post("/comptes/inscription/", {
        "first_name": "Camille", "last_name": "Martin", "email": email, "organisation": "Mairie",
        "job_title": "Chargée de mission", "territory_query": commune.name, "website": ""})


def test_signup_does_the_same_work_for_a_known_and_an_unknown_address(client, monkeypatch, settings):
    """The 335 ms / 61 ms gap came from work done in one branch only: now each branch writes one outbox
    row and sends it, and neither hashes a password (the password is chosen after the address is proven)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    commune = CommuneFactory(name="Bourg-les-Tests")
    UserFactory(email="connu@mairie.example.fr", username="connu@mairie.example.fr")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's
    hashed = []
    real_encode = PBKDF2PasswordHasher.encode
    monkeypatch.setattr(PBKDF2PasswordHasher, "encode",
                        lambda *args, **kwargs: hashed.append(1) or real_encode(*args, **kwargs))
    monkeypatch.setattr("cases.outbox.services.transaction.on_commit", lambda callback, robust=False: callback())
    for email in ["connu@mairie.example.fr", "inconnu@mairie.example.fr"]:
        before = OutgoingEmail.objects.count()
        response = _signup(client, email, commune)
        assert response.status_code == 302 and response["Location"] == "/comptes/inscription/envoyee/"
        assert OutgoingEmail.objects.count() == before + 1
        assert OutgoingEmail.objects.latest("pk").sent_at is not None
    assert hashed == []


def test_a_full_width_look_alike_domain_is_a_302_not_a_500(client):
    """NFKC folds ｍａｉｒｉｅ to mairie: the same (existing) address, answered like any other."""
    commune = CommuneFactory(name="Bourg-les-Tests")
    UserFactory(email="camille@mairie.example.fr", username="camille@mairie.example.fr")
    response = _signup(client, "camille@ｍａｉｒｉｅ.example.fr", commune)
    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact="camille@mairie.example.fr").count() == 1


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="12"):
        validate_password("Tr0mb0ne!xz")  # 11 characters
    validate_password("Tr0mb0ne!xyz")


def test_the_password_change_form_refuses_eleven_characters(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/comptes/mot-de-passe/modifier/", {
        "old_password": PASSWORD, "new_password1": "Tr0mb0ne!xz", "new_password2": "Tr0mb0ne!xz"})
    assert response.status_code == 200 and "12" in response.content.decode()


def test_an_idle_session_expires_and_an_active_one_is_renewed(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(UserFactory())
    assert client.get("/contribuer/").status_code == 200
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timezone.timedelta(minutes=1))
    client.get("/contribuer/")  # activity pushes the expiry 30 minutes ahead
    assert Session.objects.get().expire_date > timezone.now() + timezone.timedelta(minutes=29)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))  # 30 idle minutes later
    response = client.get("/contribuer/")
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")


def test_ipv6_clients_are_counted_per_slash_64(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": "2/m"}
    statuses = [client.post("/comptes/connexion/", {"username": f"u{n}@example.org", "password": "x" * 12},
                            REMOTE_ADDR=f"2001:db8:1:2::{n:x}").status_code for n in range(1, 4)]
    assert statuses == [200, 200, 429]


def test_a_session_ends_twelve_hours_after_the_login_however_active(client, settings):
    import time

    from cases.sessions import LOGIN_AT

    assert settings.SESSION_MAX_HOURS == 12
    client.force_login(UserFactory())
    assert client.get("/contribuer/").status_code == 200
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    response = client.get("/contribuer/")
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")
    assert "_auth_user_id" not in client.session
