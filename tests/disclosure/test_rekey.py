"""Re-keying on a disclosure change: every child gets a new id, pending updates follow, and the way back
(named again) is re-keyed too."""

import pytest

from cases.catalogue.services import case_update
from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.models import Case, CaseRevision, DigitalTool, Source, Stakeholder
from cases.moderation.services import case_publish, revision_publish
from cases.research.models import Coding
from cases.vocabularies import CaseStatus, Disclosure, RevisionStatus
from tests.api.support import read_json
from tests.contributions.utils import complete_payload

from .conftest import BIG_CITY, real_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(reference, official, moderator):
    """A named case of Nantes, declared by an official and published: two tools, a stakeholder, a source."""
    territory = real_territory(reference, "commune", BIG_CITY)
    case = contribution_start(actor=official, title="Budget participatif", territory=territory)
    revision_submit(revision=revision_save(case=case, actor=official, data=complete_payload(territory)),
                    actor=official)
    case.refresh_from_db()
    case_publish(case=case, actor=moderator)
    case.refresh_from_db()
    return case


def ids(case):
    return {model.__name__: sorted(model.objects.filter(case=case).values_list("pk", flat=True))
            for model in (DigitalTool, Stakeholder, Source)}


@pytest.mark.parametrize("submitted", [True, False], ids=["pending update", "working copy"])
def test_a_pending_update_follows_the_new_ids(named, official, moderator, submitted):
    payload = case_payload(named)
    payload["tools"][0]["classification_rationale"] = "Justification revue par la collectivité."
    payload["stakeholders"][0]["role"] = "Anime les ateliers et le vote"
    revision = revision_save(case=named, actor=official, data=merged(case_payload(named), {
        "tools": payload["tools"], "stakeholders": payload["stakeholders"]}))
    if submitted:
        revision = revision_submit(revision=revision, actor=official)
    before = ids(named)

    case_update(case=named, actor=moderator, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité K")
    after = ids(named)
    assert all(not set(before[name]) & set(after[name]) for name in before), (before, after)
    data = CaseRevision.objects.get(pk=revision.pk).data
    assert sorted(row["id"] for row in data["tools"]) == after["DigitalTool"]
    assert [row["id"] for row in data["stakeholders"]] == after["Stakeholder"]
    assert [row["id"] for row in data["sources"]] == after["Source"]
    # The copy started when the case was named: approving it must not name it again.
    assert (data["case"]["disclosure"], data["case"]["pseudonym"]) == (Disclosure.PSEUDONYMISED, "Collectivité K")

    if not submitted:
        revision = revision_submit(revision=CaseRevision.objects.get(pk=revision.pk), actor=official)
    revision_publish(revision=revision, actor=moderator)
    named.refresh_from_db()
    assert named.is_pseudonymised and named.status == CaseStatus.PUBLISHED
    assert ids(named) == after  # the same rows, updated: none re-created, none lost
    tool = DigitalTool.objects.get(pk=data["tools"][0]["id"])
    assert tool.classification_rationale == "Justification revue par la collectivité."
    assert Stakeholder.objects.get(case=named).role == "Anime les ateliers et le vote"
    assert CaseRevision.objects.get(pk=revision.pk).status == RevisionStatus.PUBLISHED


def test_every_child_gets_a_new_id_and_keeps_its_links(client, named, moderator):
    tool = named.tools.order_by("pk").first()
    source = named.sources.get()
    DigitalTool.objects.filter(pk=tool.pk).update(source=source)
    Coding.objects.create(vocabulary="continuum", item=f"tool:{tool.pk}", coder=moderator, value="participative")
    old_api = read_json(client.get(f"/api/v1/cases/{named.slug}/"))
    case_update(case=named, actor=moderator, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité K")
    named.refresh_from_db()
    new_api = read_json(client.get(f"/api/v1/cases/{named.slug}/"))
    new_source = Source.objects.get(case=named)
    assert new_source.pk != source.pk and new_source.citation == source.citation
    copy = DigitalTool.objects.get(case=named, name=tool.name)
    assert copy.source_id == new_source.pk and copy.provenance == tool.provenance
    assert Coding.objects.get().item == f"tool:{copy.pk}"  # the researchers' coding follows the tool
    # Nothing the API published before (ids of the case and of each child) is published after.
    assert old_api["public_id"] != new_api["public_id"]
    assert not {t["id"] for t in old_api["tools"]} & {t["id"] for t in new_api["tools"]}
    old_sources = {s["id"] for s in old_api["sources"]} | {t["source"] for t in old_api["tools"]} - {None}
    new_sources = {s["id"] for s in new_api["sources"]} | {t["source"] for t in new_api["tools"]} - {None}
    assert old_sources and new_sources and not old_sources & new_sources
    for tool_id in (t["id"] for t in old_api["tools"]):
        assert client.get(f"/api/v1/tools/{tool_id}/").status_code == 404


def test_named_again_is_rekeyed_and_its_public_history_restarts(client, named, moderator):
    case_update(case=named, actor=moderator, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité K")
    named.refresh_from_db()
    pseudonymous = {"slug": named.slug, "public_id": str(named.public_id), "tools": ids(named)["DigitalTool"]}
    case_update(case=named, actor=moderator, disclosure=Disclosure.NAMED)
    named.refresh_from_db()
    assert named.slug != pseudonymous["slug"] and str(named.public_id) != pseudonymous["public_id"]
    assert not set(ids(named)["DigitalTool"]) & set(pseudonymous["tools"])
    gone = client.get(f"/cas/{pseudonymous['slug']}/")
    assert gone.status_code == 410 and named.slug not in gone.content.decode()
    # The named history starts at the change: the pseudonym's versions are not laid under the name.
    history = client.get(f"/cas/{named.slug}/historique/").content.decode()
    assert "Collectivité K" not in history
    assert len(client.get(f"/cas/{named.slug}/historique/").context["versions"]) == 1
    changes = read_json(client.get("/api/v1/changes/?since=2000-01-01T00:00:00Z"))
    withdrawn = {row["public_id"] for row in changes if row["change"] == "withdrawn"}
    assert pseudonymous["public_id"] in withdrawn
    assert all(row["slug"] is None for row in changes if row["change"] == "withdrawn")  # points nowhere
    assert Case.objects.filter(public_id=pseudonymous["public_id"]).count() == 0


def test_nothing_public_keeps_the_creation_order_or_instant_of_the_named_case(client, named, moderator):
    """Stable internal keys and instants would join the pseudonym to its named past as surely as an id."""
    published = named.published_at
    case_update(case=named, actor=moderator, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité K")
    named.refresh_from_db()
    assert named.published_at > published  # the instant of the pseudonymisation, not of the named publication
    # HTML anchors of the list cards use the slug, never the primary key.
    for url in ("/cas/", "/", f"/cas/?q={named.slug}"):
        assert f"case-{named.pk}-" not in client.get(url).content.decode(), url
    # Orders with ties, and the map data, end on the (public, renewed) slug, not on the creation order.
    features = read_json(client.get("/carte/donnees.geojson"))["features"]
    slugs = [feature["properties"]["slug"] for feature in features]
    assert slugs == sorted(slugs)
    listed = [row["slug"] for row in read_json(client.get("/api/v1/cases/?ordering=launch_year"))["results"]]
    assert listed == sorted(listed, key=lambda slug: (Case.objects.get(slug=slug).launch_year or 0, slug))
