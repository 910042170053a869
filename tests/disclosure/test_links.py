"""No URL of a pseudonymised case is ever public, not even one written inside its texts (issue 10).

A pseudonymised case (Nantes, under "Collectivité L") whose summary holds a Markdown link to the city's
domain, and whose other texts hold an autolink, a bare URL, an e-mail and a bare domain: published with
an override (the gate refuses it otherwise), it must show none of them on any public surface.
"""

import json
import re

import pytest
from django.core.management import call_command

from cases.catalogue.services import (
    case_create,
    event_add,
    factor_assess,
    source_add,
    stakeholder_add,
    tool_add,
)
from cases.disclosure.gate import DisclosureRefused
from cases.disclosure.links import LINK_PLACEHOLDER, find_links, strip_links
from cases.markdown import render_markdown
from cases.moderation.services import case_publish
from cases.releases.models import Release
from cases.vocabularies import CaseStatus, Disclosure
from tests.api.support import body, read_csv, read_json

from .conftest import BIG_CITY, real_territory

# Anything of the collectivity's own web presence, in any form (the site's own links are not secrets).
SECRETS = ("nantes.fr", "metropole.nantes", "www.nantes", "@nantes", "nantes&#")


@pytest.mark.parametrize(("text", "public", "links"), [
    ("Voir [le budget](https://budget.nantes.fr/p \"t\") ici.", "Voir le budget ici.",
     ["https://budget.nantes.fr/p"]),
    ("<https://www.nantes.fr> et <contact@nantes.fr>.", f"{LINK_PLACEHOLDER} et {LINK_PLACEHOLDER}.",
     ["https://www.nantes.fr", "contact@nantes.fr"]),
    ("Le [budget][1].\n\n[1]: https://budget.nantes.fr\n", "Le budget.\n\n\n", ["https://budget.nantes.fr"]),
    ("Site : www.nantes.fr/budget, puis metropole.nantes.fr.", f"Site : {LINK_PLACEHOLDER}, puis {LINK_PLACEHOLDER}.",
     ["www.nantes.fr/budget", "metropole.nantes.fr"]),
    ("https://fr.wikipedia.org/wiki/Nantes_(ville).", f"{LINK_PLACEHOLDER}.",
     ["https://fr.wikipedia.org/wiki/Nantes_(ville)"]),
    ("nantes&#46;fr", LINK_PLACEHOLDER, ["nantes.fr"]),  # what the reader would read
    ("![logo](https://nantes.fr/logo.png)", "logo", ["https://nantes.fr/logo.png"]),
    # Not addresses: a missing space after a full stop, a software name, abbreviations, decimals.
    ("La fin.Le projet, Node.js, p. ex. M. Dupont, 3.14 etc.", "La fin.Le projet, Node.js, p. ex. M. Dupont, 3.14 etc.",
     []),
])
def test_strip_and_find_links(text, public, links):
    assert strip_links(text) == public
    assert find_links(text) == links
    assert strip_links(public) == public and find_links(public) == []  # idempotent


def test_markdown_without_links_keeps_the_words():
    html = render_markdown("[le budget](https://x.fr) **ici**", links=False)
    assert html == "<p>le budget <strong>ici</strong></p>\n"
    assert 'href="https://x.fr"' in render_markdown("[le budget](https://x.fr)")


@pytest.fixture
def linked(db, reference, moderator):
    """The case of the module docstring, published by a moderator with an override."""
    call_command("load_study_cases", verbosity=0)
    case = case_create(
        title="Budget participatif de Nantes", territory=real_territory(reference, "commune", BIG_CITY),
        status=CaseStatus.SUBMITTED, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité L",
        summary="Les habitants votent sur [la plateforme du budget](https://budget.metropole.nantes.fr/projets).",
        website="https://www.nantes.fr/", launch_year=2021, launch_date="2021-03-15")
    source = source_add(case=case, kind="official_document", citation="Délibération, https://www.nantes.fr/delib",
                        url="https://www.nantes.fr/delib", note="Voir <https://www.nantes.fr/conseil>.",
                        date="2019-03-12")
    tool_add(case=case, name="Plateforme", tool_type="participation_platform", coproduction_mode="participative",
             classification_rationale="Propositions en ligne sur www.nantes.fr/budget, votes ouverts.",
             software="Decidim", url="https://budget.metropole.nantes.fr/", source=source)
    stakeholder_add(case=case, name="Service participation", helix="public_sector", role="contact@nantes.fr")
    factor_assess(case=case, factor="resources", assessment="partial", note="Budget publié sur metropole.nantes.fr.")
    event_add(case=case, date="2021-03-01", kind="launch", title="Lancement",
              description="Annonce : https://metropole.nantes.fr/actu")
    with pytest.raises(DisclosureRefused, match="liens ou adresses web"):
        case_publish(case=case, actor=moderator)
    case_publish(case=case, actor=moderator, disclosure_override="Test : liens à masquer à l'affichage.")
    case.refresh_from_db()
    return case


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_no_link_of_a_pseudonymised_case_on_any_public_surface(client, linked, settings, tmp_path):
    case = linked
    assert case.status == CaseStatus.PUBLISHED
    slug = case.slug
    pages = {
        "profile": f"/cas/{slug}/",
        "history": f"/cas/{slug}/historique/",
        "history as of today": f"/cas/{slug}/historique/?date=2099-01-01",
        "compare": f"/comparer/?cas={slug}&cas=collectivite-a",
        "search": f"/cas/?q={slug}",
        "map data": "/carte/donnees.geojson",
    }
    api = {
        "detail": f"/api/v1/cases/{slug}/",
        "list": "/api/v1/cases/?page_size=200",
        "tools": "/api/v1/tools/?page_size=200",
        "tool detail": f"/api/v1/tools/{case.tools.get().pk}/",
        "cases csv": "/api/v1/cases.csv",
        "tools csv": "/api/v1/tools.csv",
        "factors csv": "/api/v1/factors.csv",
        "stakeholders csv": "/api/v1/stakeholders.csv",
        "factors json": "/api/v1/factors/",
        "stakeholders json": "/api/v1/stakeholders/",
        "geojson": "/api/v1/cases.geojson",
        "compare": f"/api/v1/compare/?cases={slug}&cases=collectivite-a",
        "changes": "/api/v1/changes/?since=2000-01-01T00:00:00Z",
    }
    for label, url in {**pages, **api}.items():
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        text = body(response).decode()
        if label in ("profile", "history", "history as of today", "compare", "search"):
            text = text.split("<main", 1)[-1]
        assert not _leaks(text), (label, _leaks(text))
    # The words of the link stay; every other address became the placeholder.
    profile = client.get(pages["profile"]).content.decode()
    assert "la plateforme du budget" in profile and LINK_PLACEHOLDER in profile
    detail = read_json(client.get(api["detail"]))
    assert detail["summary"] == "Les habitants votent sur la plateforme du budget."
    texts = json.dumps([detail["summary"], detail["tools"], detail["stakeholders"], detail["factors"],
                        detail["events"], detail["sources"], detail["website"]], ensure_ascii=False)
    assert "http" not in texts and "www." not in texts and "@" not in texts
    # Full-text search does not find it by its domain.
    for query in ("nantes", "metropole nantes", "budget.metropole.nantes.fr"):
        assert slug not in client.get("/cas/", {"q": query}).content.decode(), query
        assert slug not in body(client.get("/api/v1/cases/", {"q": query})).decode(), query
    # A frozen release: every file.
    settings.STORAGES = {**settings.STORAGES, "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "rel")}}}
    call_command("publish_release", verbosity=0)
    folder = tmp_path / "rel" / Release.objects.get().version
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        assert slug in text or path.name not in ("cases.csv", "tools.csv"), path.name
        assert not _leaks(text), (path.name, _leaks(text))


def test_the_moderator_still_sees_every_link(client, linked, moderator):
    client.force_login(moderator)
    review = client.get(f"/moderation/cas/{linked.pk}/").content.decode()
    found = re.search(r'aria-labelledby="disclosure-title">(.*?)</section>', review, re.S).group(1)
    for link in ("https://budget.metropole.nantes.fr/projets", "www.nantes.fr/budget", "contact@nantes.fr",
                 "metropole.nantes.fr", "https://metropole.nantes.fr/actu", "https://www.nantes.fr/conseil"):
        assert link in found, link


def test_dates_of_a_pseudonymised_case_are_no_finer_than_the_year(client, linked):
    """A launch or deliberation date typed into a web search finds a town like an exact population."""
    detail = read_json(client.get(f"/api/v1/cases/{linked.slug}/"))
    assert detail["launch_date"] is None and detail["launch_year"] == 2021
    assert [(e["date"], e["date_precision"]) for e in detail["events"]] == [("2021-01-01", "year")]
    assert [s["date"] for s in detail["sources"]] == [None]
    [row] = [r for r in read_csv(client.get("/api/v1/cases.csv")) if r["slug"] == linked.slug]
    assert row["launch_date"] == ""
    pages = [client.get(f"/cas/{linked.slug}/"), client.get(f"/cas/{linked.slug}/historique/?date=2099-01-01")]
    for page in pages:
        text = page.content.decode().split("<main", 1)[-1]
        for exact in ("15 mars 2021", "2021-03-15", "1 mars 2021", "1er mars 2021", "2021-03-01", "12 mars 2019",
                      "2019-03-12", "mars 2021"):
            assert exact not in text, exact
