"""The public history page: published versions with what changed, the profile on a chosen date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.models import CaseRevision, ModerationEvent
from cases.moderation.services import case_publish, revision_publish
from tests.contributions.utils import complete_payload
from tests.factories import CommuneFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db


def publish_new(official, moderator, title="Version une"):
    commune = CommuneFactory()
    case = contribution_start(actor=official, title=title, territory=commune)
    revision_submit(revision=revision_save(
        case=case, actor=official, data=complete_payload(commune, title=title)), actor=official)
    case.refresh_from_db()
    case_publish(case=case, actor=moderator)
    return case


def approve(official, moderator, case, changes):
    revision = revision_save(case=case, actor=official, data=merged(case_payload(case), changes))
    revision = revision_submit(revision=revision, actor=official)
    revision_publish(revision=revision, actor=moderator)
    case.refresh_from_db()
    return revision


def test_versions_and_what_they_changed(client):
    official, moderator = ContributorFactory(), UserFactory(moderator=True)
    case = publish_new(official, moderator)
    payload = case_payload(case)
    payload["tools"].append({"name": "Nouvel outil", "tool_type": "maas", "coproduction_mode": "consumer",
                             "classification_rationale": "Application de mobilité.", "status": "pilot"})
    approve(official, moderator, case, {"case": {"title": "Version deux", "horizon_year": 2035},
                                        "tools": payload["tools"]})
    # A pending update never shows in history.
    revision_submit(revision=revision_save(
        case=case, actor=official, data=merged(case_payload(case), {"case": {"title": "Jamais approuvé"}})),
        actor=official)

    response = client.get(reverse("cases:case_history", args=[case.slug]))
    assert response.status_code == 200
    versions = response.context["versions"]
    assert [v.number for v in versions] == [2, 1]
    changes = {(c.label, c.before, c.after) for c in versions[0].changes}
    assert ("Nom", "Version une", "Version deux") in changes
    assert ("Principale échéance", "2030", "2035") in changes
    assert any(c[0] == "Outil" and c[1] == "—" and c[2].startswith("Nouvel outil") for c in changes)
    assert "Jamais approuvé" not in response.content.decode()


def test_profile_as_it_stood_on_a_date(client):
    official, moderator = ContributorFactory(), UserFactory(moderator=True)
    case = publish_new(official, moderator)
    first_day = timezone.localdate()
    # Pretend the first version was published ten days ago, then updated today.
    ModerationEvent.objects.filter(case=case).update(created_at=timezone.now() - dt.timedelta(days=10))
    for model in (case.history.model,):
        model.objects.filter(id=case.pk).update(history_date=timezone.now() - dt.timedelta(days=10))
    for related in ("tools", "stakeholders", "factors", "sources", "secondary_theme_links"):
        manager = getattr(case, related).model.history
        manager.filter(case_id=case.pk).update(history_date=timezone.now() - dt.timedelta(days=10))
    approve(official, moderator, case, {"case": {"title": "Version deux"}})

    url = reverse("cases:case_history", args=[case.slug])
    past = client.get(url, {"date": (first_day - dt.timedelta(days=5)).isoformat()})
    assert past.context["as_of"].name == "Version une"
    assert len(past.context["as_of"].tools) == 2
    today = client.get(url, {"date": first_day.isoformat()})
    assert today.context["as_of"].name == "Version deux"
    before = client.get(url, {"date": (first_day - dt.timedelta(days=30)).isoformat()})
    assert before.context["as_of"] is None and "pas encore publiée" in before.content.decode()
    assert client.get(url, {"date": "pas-une-date"}).status_code == 400
    assert client.get(url, {"date": "1850-01-01"}).status_code == 400


def test_history_of_an_unpublished_case_is_private(client):
    official = ContributorFactory()
    case = contribution_start(actor=official, title="Brouillon", territory=CommuneFactory())
    assert client.get(reverse("cases:case_history", args=[case.slug])).status_code == 404


def test_history_runs_a_constant_number_of_queries(client):
    official, moderator = ContributorFactory(), UserFactory(moderator=True)
    case = publish_new(official, moderator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:case_history", args=[case.slug])).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(3):
        approve(official, moderator, case, {"case": {"title": f"Version {i + 2}"}})
    assert CaseRevision.objects.filter(case=case).count() == 3
    assert count() == few
