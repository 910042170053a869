"""Production responses: the security headers on every public page, and the site's own error pages (400, 403,
404, 429, 500) in French and English with the navigation, JSON under /api/. The suite runs with DEBUG off,
as production does (observatory.test_settings leaves DEBUG unset)."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/cas/", "/carte/", "/comparer/", "/statistiques/", "/methodologie/", "/accessibilite/",
                "/a-propos-des-donnees/", "/cas/collectivite-a/", "/cas/collectivite-a/historique/",
                "/comptes/connexion/", "/comptes/inscription/", "/comptes/mot-de-passe/oubli/",
                "/api/docs/", "/api/redoc/", "/api/v1/cases/", "/carte/donnees.geojson"]


def boom(request):
    raise RuntimeError("boom")


# A URLconf with a failing view, for the 500 page (the real handlers, the real routes).
urlpatterns = [path("boom/", boom), path("api/boom/", boom), path("", include("observatory.urls"))]
handler400, handler403, handler404, handler500 = (
    "cases.errors.bad_request", "cases.errors.permission_denied", "cases.errors.page_not_found",
    "cases.errors.server_error")


def test_every_public_page_carries_the_security_headers(client, study_cases, settings):
    assert settings.DEBUG is False
    commune = CommuneFactory()
    for url in [*PUBLIC_PAGES, commune.get_absolute_url()]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'", url  # no inline script, no eval, no third party
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'", url
        assert "'unsafe-inline'" not in directives["style-src"] or url == "/api/redoc/", url
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), url


@pytest.mark.parametrize(("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")])
def test_404_page_in_both_languages_with_the_navigation(client, language, title):
    response = client.get("/nulle-part/", headers={"accept-language": language})
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page and 'class="container main-nav"' in page and 'href="/cas/"' in page
    assert "Not Found</h1>" not in page  # Django's bare page


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/nulle-part/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert client.get("/api/v1/cases/?q=%00").json()["errors"]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(("language", "title"), [("fr", "Erreur du serveur"), ("en", "Server error")])
def test_500_page_in_both_languages_and_json_under_the_api(language, title):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", headers={"accept-language": language})
    assert response.status_code == 500
    page = response.content.decode()
    assert title in page and "main-nav" in page and "Traceback" not in page
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json() == {"detail": "Erreur du serveur"}


def test_403_page_with_the_navigation(client, official):
    client.force_login(official)
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode() and "main-nav" in response.content.decode()


def test_400_page_for_a_nul_byte_on_a_page(client):
    response = client.get("/cas/?q=a%00b")
    assert response.status_code == 400 and "main-nav" in response.content.decode()
    assert "caractère nul" in response.content.decode()


def test_429_page_in_english_with_the_navigation(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": "1/m"}
    data = {"username": "nobody@example.org", "password": "wrong-password-123"}
    client.post("/comptes/connexion/", data)
    response = client.post("/comptes/connexion/", data, headers={"accept-language": "en"})
    assert response.status_code == 429 and response["Retry-After"]
    assert "Too many attempts" in response.content.decode() and "main-nav" in response.content.decode()


def test_health_endpoint_checks_database_and_cache(client):
    response = client.get("/sante/?format=json")
    assert response.status_code == 200
    assert {name.split("(")[0] for name in response.json()} == {"Database", "Cache"}


def test_security_txt_names_the_reporting_address(client, settings):
    settings.SECURITY_CONTACT = "mailto:securite@example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Contact: mailto:securite@example.org" in text and "Expires: " in text


def test_a_refused_csrf_check_gets_the_site_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "a", "password": "b"},
                           headers={"accept-language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "main-nav" in page and "Access denied" in page and "CSRF verification failed" not in page


def test_the_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/?format=json").status_code == 200
    assert client.get("/cas/").status_code == 301
