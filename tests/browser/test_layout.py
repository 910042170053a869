"""Layout on a phone (375 px) and a desktop (1366 px), in French and English, on every kind of page with
data: no page is wider than the window, and each checkbox or radio sits right before its own label.

Set ``SHOTS_DIR=/tmp/shots`` to keep a full-page screenshot of each page (looked at by a person before a
layout change is merged; never committed)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_site_public import located_cases  # noqa: F401  (fixture)
from tests.factories import CaseFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (375, 1366)
SHOTS = os.environ.get("SHOTS_DIR")
PASSWORD = "correct horse battery staple"

PUBLIC = ["/", "/cas/", "/cas/?q=montpellier&mode=participative", "/cas/?cas=montpellier-en-commun&cas=rennes-ouverte",
          "/cas/montpellier-en-commun/", "/cas/collectivite-occ/", "/cas/montpellier-en-commun/historique/",
          "/comparer/?cas=montpellier-en-commun&cas=nimes-participe&cas=collectivite-occ", "/comparer/",
          "/carte/", "/statistiques/", "/methodologie/", "/accessibilite/", "/a-propos-des-donnees/",
          "/territoires/commune/34172/", "/territoires/region/76/", "/territoires/recherche/?q=montpellier",
          "/declarer-une-initiative/", "/mentions-legales/",
          "/comptes/connexion/", "/comptes/inscription/", "/comptes/mot-de-passe/oubli/"]

# Each checkbox or radio is at most this far (px) from its label, on the same line.
LABEL_GAP = 24
CHECK_LABELS = """() => {
  const bad = [];
  for (const input of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
    const box = input.getBoundingClientRect();
    if (!box.width || input.closest('[hidden], template, .hp')) continue;
    const label = input.closest('label') || (input.id && document.querySelector(`label[for="${input.id}"]`));
    if (!label) { bad.push(`${input.name}: no label`); continue; }
    // The label's first line: a range around its text start, not the whole (possibly wrapped) box.
    const range = document.createRange();
    range.selectNodeContents(label);
    const line = [...range.getClientRects()].find(r => r.width > 1 && r.left >= box.right - 2)
      || label.getBoundingClientRect();
    const gap = line.left - box.right;
    const sameLine = line.top < box.bottom && line.bottom > box.top;
    if (!(gap >= -2 && gap <= MAX_GAP && sameLine)) {
      bad.push(`${input.name}=${input.value}: gap ${Math.round(gap)}, same line ${sameLine}`);
    }
  }
  return bad;
}""".replace("MAX_GAP", str(LABEL_GAP))


def check(page, base, path, problems, tag):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, path
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width > inner:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                       && !(e.parentElement && e.parentElement.closest('.table-scroll, pre')))
          .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
        problems.append(f"{tag} {path}: {width}px wide in {inner}px {wide}")
    for bad in page.evaluate(CHECK_LABELS):
        problems.append(f"{tag} {path}: {bad}")
    if SHOTS:
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        height = page.evaluate("document.documentElement.scrollHeight")
        step = 1600 if "375" in tag else 1000  # pieces small enough to read
        for i, top in enumerate(range(0, min(height, 12 * step), step)):
            page.screenshot(path=str(Path(SHOTS) / f"{tag}-{name}-{i}.png"), full_page=True,
                            clip={"x": 0, "y": top, "width": page.viewport_size["width"],
                                  "height": min(step, height - top)})


def set_language(page, base, language):
    # The cookie the language switch sets (at 375 px the switch sits behind the "Menu" button).
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_fits_and_labels_sit_next_to_their_box(browser, base, located_cases, language):  # noqa: F811
    official = ContributorFactory(password=PASSWORD)
    draft = CaseFactory(title="Atlas citoyen des mobilités", draft=True, submitted_by=official, tools=2)
    UserFactory(username="moderatrice", email="moderatrice@observatoire.example", moderator=True, password=PASSWORD)
    submitted = CaseFactory(title="Cartographie participative des îlots de fraîcheur", submitted=True, tools=2,
                            submitted_by=official)
    problems = []
    for width in WIDTHS:
        tag = f"{language}-{width}"
        for user, paths in [
            (None, PUBLIC),
            (official.username, ["/contribuer/", "/contribuer/nouvelle-initiative/", f"/contribuer/{draft.pk}/",
                                 "/comptes/jeton-api/", "/comptes/mot-de-passe/modifier/"]),
            ("moderatrice", ["/moderation/", f"/moderation/cas/{submitted.pk}/", "/moderation/contributeurs/"]),
        ]:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
            page = context.new_page()
            set_language(page, base, language)
            if user:
                _log_in_any(page, base, user)
            for path in paths:
                check(page, base, path, problems, tag)
            context.close()
    assert problems == [], "\n".join(problems)


def _log_in_any(page, base, username):
    """Log in whatever the page's language (the labels differ)."""
    page.goto(f"{base}/comptes/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_on_a_phone_every_filtered_page_folds_its_filter_panel(browser, base, located_cases):  # noqa: F811
    """List, map and statistics share the filter panel: on a phone it folds behind its title on each."""
    context = browser.new_context(viewport={"width": 375, "height": 900}, locale="fr-FR")
    page = context.new_page()
    for path in ("/cas/", "/carte/", "/statistiques/"):
        page.goto(f"{base}{path}")
        panel = page.locator(".filters[role=search]")
        expect(panel).to_have_class(re.compile(r"\bfilters-collapsed\b"))
        expect(panel.get_by_role("button", name="Filtrer les cas")).to_have_attribute("aria-expanded", "false")
    context.close()
