"""Trying to find a pseudonymised case's identity anywhere the public (or another official) can look.

The case was first published *named*, then became pseudonymised through an approved update: its history
holds a named version, which must not give it away either. Every place is probed for the real title,
the commune, its code, its EPCI and département, the exact populations, the website, the point of the
commune and the old slug.
"""

import re

import pytest
from django.urls import Resolver404, resolve

from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.moderation.services import case_publish, revision_publish
from cases.vocabularies import Disclosure
from tests.contributions.utils import complete_payload
from tests.factories import CommuneFactory, ContributorFactory, DepartementFactory, EpciFactory, RegionFactory

pytestmark = pytest.mark.django_db

REAL_TITLE = "Budget participatif de Secretville-sur-Mer"
SECRETS = [
    "Secretville", "secretville", "budget-participatif-de-secretville", "99123", "Communauté Discrète",
    "Département Confidentiel", "48213", "48 213", "48\xa0213", "48\u202f213", "212345", "212 345",
    "212\xa0345", "212\u202f345", "43.123", "5.456",
]


@pytest.fixture
def secret_case(db):
    region = RegionFactory(name="Région Publique", code="R99", latitude=44.0, longitude=4.0)
    departement = DepartementFactory(name="Département Confidentiel", code="9D", region=region)
    epci = EpciFactory(name="Communauté Discrète", departement=departement, region=region, population=212_345)
    commune = CommuneFactory(name="Secretville-sur-Mer", code="99123", epci=epci, departement=departement,
                             region=region, population=48_213, latitude=43.123456, longitude=5.456789)
    official = ContributorFactory()
    moderator = ContributorFactory()
    from django.contrib.auth.models import Group

    from cases.permissions import MODERATORS_GROUP

    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    case = contribution_start(actor=official, title=REAL_TITLE, territory=commune)
    payload = complete_payload(commune, title=REAL_TITLE, population_city=48_213, population_epci=212_345,
                               website="https://secretville.example")
    payload["tools"][0]["name"] = "Plateforme Kappa"
    revision_submit(revision=revision_save(case=case, actor=official, data=payload),
                             actor=official)
    case.refresh_from_db()
    case_publish(case=case, actor=moderator)
    # Later, the collectivity asks to be pseudonymised: an update, approved.
    update = merged(case_payload(case), {"case": {"disclosure": Disclosure.PSEUDONYMISED,
                                                  "pseudonym": "Collectivité Q"}})
    revision = revision_submit(revision=revision_save(case=case, actor=official, data=update),
                                        actor=official)
    revision_publish(revision=revision, actor=moderator)
    case.refresh_from_db()
    assert case.is_pseudonymised and case.slug == "collectivite-q"
    return case


def places(case):
    """(label, URL, whether the case should be visible there) — every public place to search."""
    slug = case.slug
    commune = case.territory
    return [
        ("profile", f"/cas/{slug}/", True),
        ("history", f"/cas/{slug}/historique/", True),
        ("history as of the named era", f"/cas/{slug}/historique/?date={case.published_at:%Y-%m-%d}", True),
        ("old slug", "/cas/budget-participatif-de-secretville-sur-mer/", False),
        ("home", "/", True),
        ("list", "/cas/", True),
        ("search by real name", "/cas/?q=Secretville", False),
        ("search by commune code", "/cas/?q=99123", False),
        ("search by pseudonym", "/cas/?q=Collectivite+Q", True),
        ("filter by département", "/cas/?departement=9D", False),
        ("map", "/carte/", True),
        # Not placed at all: its fictitious région matches no real commune, so it is generalised away.
        ("map data", "/carte/donnees.geojson", False),
        ("compare", f"/comparer/?cas={slug}", True),
        ("statistics", "/statistiques/", False),
        ("commune page", f"/territoires/commune/{commune.code}/", False),
        ("EPCI page", f"/territoires/epci/{commune.epci.code}/", False),
        ("département page", f"/territoires/departement/{commune.departement.code}/", False),
        ("région page", f"/territoires/region/{commune.region.code}/", False),
        ("API list", "/api/v1/cases/", True),
        ("API detail", f"/api/v1/cases/{slug}/", True),
        ("API search", "/api/v1/cases/?q=secretville", False),
        ("API CSV", "/api/v1/cases/?format=csv", True),
        ("API GeoJSON", "/api/v1/cases/?format=geojson", True),
        ("API tools", "/api/v1/tools/", False),
        ("API tools CSV", "/api/v1/tools/?format=csv", False),
        ("API compare", f"/api/v1/compare/?cases={slug}", True),
        ("API stats", "/api/v1/stats/", False),
        ("API territory", f"/api/v1/territories/commune/{commune.code}/", False),
    ]


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _exists(url):
    try:
        resolve(url.split("?")[0])
        return True
    except Resolver404:
        return False


@pytest.mark.parametrize("viewer", ["anonymous", "other official"])
def test_no_place_reveals_a_pseudonymised_case(client, secret_case, viewer):
    if viewer == "other official":
        client.force_login(ContributorFactory())
    missing, leaks, absent = [], [], []
    for label, url, visible in places(secret_case):
        if not _exists(url) and label != "old slug":
            missing.append(label)
            continue
        response = client.get(url)
        # Reference-data menus (every département of France) are not about the case; the query a visitor
        # typed is echoed back to them.
        text = re.sub(r"<option[^>]*>.*?</option>", "", body(response))
        # The territories a search names are reference data too (issue 14: one search for cases and
        # territories); their case counts leave pseudonymised cases out.
        matches = re.search(r'<section class="territory-matches".*?</section>', text, re.S)
        if matches:
            assert "0 cas documenté" in matches.group(0), label
            text = text.replace(matches.group(0), "")
        for typed in re.findall(r"[?&](?:q|departement)=([^&]+)", url):
            text = text.replace(typed, "")
        # The 404 page's language switch carries the path the visitor typed (to come back to it).
        text = text.replace(f'name="next" type="hidden" value="{url}"', "")
        if label == "old slug":
            text = text.replace(url, "")  # the visitor's own address, echoed by the language switch
        found = [s for s in SECRETS if s in text]
        if label.startswith("filter"):
            found = []  # the page names the filter the visitor chose; what matters is that nothing is found
        # The territory's own page naturally names the territory; it must just not list the case there.
        if label in ("commune page", "EPCI page", "département page", "région page", "API territory"):
            found = [] if "Collectivité Q" not in text and "collectivite-q" not in text else ["the case"]
        if found:
            leaks.append((label, found))
        if visible and response.status_code == 200 and "Collectivité Q" not in text and "collectivite-q" not in text:
            absent.append(label)
        if not visible and label.startswith(("search", "filter", "API search")) and (
                "Collectivité Q" in text or "collectivite-q" in text):
            leaks.append((label, ["found by what identifies it"]))
        if label == "old slug":
            assert response.status_code == 410  # Gone, with a neutral page (cases.disclosure)
    assert leaks == [], "\n".join(map(str, leaks))
    # Not vacuous: the case is there, under its pseudonym, where it should be.
    assert absent == []
    # Places not built yet would show up here; all are built at the time of writing.
    assert missing == []


def test_the_map_places_it_at_region_level_at_most(client, secret_case):
    data = client.get("/carte/donnees.geojson").json()
    feature = next((f for f in data["features"] if f["properties"]["slug"] == secret_case.slug), None)
    # Its (fictitious) région matches no real collectivity: disclosure control generalised it away.
    assert secret_case.public_region_code == ""
    assert feature is None or feature["geometry"] is None


def test_submitter_and_moderators_still_see_the_identity(client, secret_case):
    client.force_login(secret_case.submitted_by)
    assert "Secretville-sur-Mer" in client.get(f"/cas/{secret_case.slug}/").content.decode()
    history = client.get(f"/cas/{secret_case.slug}/historique/?date={secret_case.published_at:%Y-%m-%d}")
    assert REAL_TITLE in history.content.decode()
