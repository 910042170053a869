"""The foundation pages in a real browser, with axe-core finding no serious or critical violation."""

import pytest

from tests.browser.conftest import run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_and_profile_are_accessible(page, base, study_cases):
    page.goto(f"{base}/")
    assert page.locator("h1").first.is_visible()
    assert run_axe(page) == []
    page.get_by_role("link", name="Collectivité A").click()
    page.wait_for_url("**/cas/collectivite-a/")
    assert page.get_by_role("heading", name="Co-production participative").is_visible()
    assert run_axe(page) == []


def test_language_switch(page, base, study_cases):
    page.goto(f"{base}/cas/collectivite-a/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
