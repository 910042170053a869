"""The strict Content-Security-Policy breaks nothing: the map (Leaflet), the API docs (Swagger UI, Redoc),
the account forms and the error pages work with it, and the ``page`` fixture (conftest) fails the test on
any CSP violation the browser reports."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_and_redoc_render_under_the_csp(page, base):
    response = page.goto(f"{base}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "API" in page.inner_text(".swagger-ui .info .title")

    page.goto(f"{base}/api/redoc/")
    page.wait_for_selector("redoc h1, #redoc-container h1, [role=search]", timeout=20_000)
    assert "API" in page.inner_text("body")


def test_map_territory_and_account_pages_have_no_csp_violation(page, base, study_cases):
    from tests.factories import CommuneFactory

    commune = CommuneFactory()
    for path in ["/", "/carte/", "/cas/", "/statistiques/", "/comptes/connexion/", "/comptes/inscription/",
                 commune.get_absolute_url()]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert page.locator(".leaflet-container").count() in (0, 1)


def test_error_pages_have_the_navigation_and_no_csp_violation(page, base):
    response = page.goto(f"{base}/cette-page-n-existe-pas/")
    assert response.status == 404
    assert page.locator("nav.main-nav a").count() >= 5
    assert "Page introuvable" in page.inner_text("h1")
