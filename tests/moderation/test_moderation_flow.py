"""Moderation through the HTTP client: queue (filters, oldest first), review with a diff, the actions and
their e-mails, concurrency between two moderators, verification of officials."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.models import Case, CaseRevision, ModerationEvent
from cases.moderation.services import case_publish, case_request_changes, revision_publish, revision_reject
from cases.vocabularies import CaseStatus, RevisionStatus
from tests.contributions.utils import complete_payload
from tests.factories import CaseFactory, CommuneFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db


def submitted_case(official, *, title="Initiative soumise", territory=None, tools=2):
    territory = territory or CommuneFactory()
    case = contribution_start(actor=official, title=title, territory=territory)
    revision = revision_save(case=case, actor=official,
                                      data=complete_payload(territory, tools=tools, title=title))
    revision_submit(revision=revision, actor=official)
    case.refresh_from_db()
    return case


def pending_update(official, case, **case_fields):
    from cases.contributions.payload import case_payload, merged

    data = merged(case_payload(case), {"case": case_fields})
    revision = revision_save(case=case, actor=official, data=data)
    return revision_submit(revision=revision, actor=official)


def test_queue_is_for_moderators_only(client, official, moderator):
    assert client.get(reverse("cases:moderation_queue")).status_code == 302
    client.force_login(official)
    assert client.get(reverse("cases:moderation_queue")).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("cases:moderation_queue")).status_code == 200


def test_queue_lists_new_cases_and_updates_oldest_first_with_filters(client, official, moderator):
    older = submitted_case(official, title="Le plus ancien")
    ModerationEvent.objects.filter(case=older, to_status=CaseStatus.SUBMITTED).update(
        created_at=timezone.now() - dt.timedelta(days=3))
    newer = submitted_case(official, title="Le plus récent")
    published = CaseFactory(submitted_by=official, title="Déjà publié", tools=1)
    update = pending_update(official, published, title="Déjà publié, mis à jour")
    CaseRevision.objects.filter(pk=update.pk).update(submitted_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(moderator)
    items = client.get(reverse("cases:moderation_queue")).context["items"]
    assert [(i.kind, i.case.pk) for i in items] == [("new", older.pk), ("update", published.pk), ("new", newer.pk)]
    assert [i.case.pk for i in client.get(reverse("cases:moderation_queue"), {"kind": "update"}).context["items"]] \
        == [published.pk]
    assert [i.case.pk for i in client.get(reverse("cases:moderation_queue"), {"q": "récent"}).context["items"]] \
        == [newer.pk]
    region = newer.territory.region
    assert [i.case.pk for i in client.get(reverse("cases:moderation_queue"),
                                          {"region": region.code}).context["items"]] == [newer.pk]
    assert client.get(reverse("cases:moderation_queue"), {"verified": "yes"}).context["items"] == []
    assert client.get(reverse("cases:moderation_queue"), {"region": "nope"}).status_code == 200


def test_queue_runs_a_constant_number_of_queries(client, moderator):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:moderation_queue")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(moderator)
    official = ContributorFactory()
    submitted_case(official)
    few = count()
    for i in range(4):
        submitted_case(ContributorFactory(), title=f"Cas {i}")
        pending_update(official, CaseFactory(submitted_by=official, tools=1), title=f"Maj {i}")
    assert count() == few


def test_review_shows_a_field_by_field_diff_for_an_update(client, official, moderator):
    case = CaseFactory(submitted_by=official, title="Titre publié", launch_year=2019, tools=1)
    pending_update(official, case, title="Titre proposé", launch_year=2018)
    client.force_login(moderator)
    response = client.get(reverse("cases:moderation_review", args=[case.pk]))
    diff = response.context["diff"]
    changes = {c.label: (c.before, c.after) for c in diff.fields}
    assert changes["Titre"] == ("Titre publié", "Titre proposé")
    assert changes["Année de lancement"] == ("2019", "2018")
    assert "Approuver et publier la mise à jour" in response.content.decode()


def test_request_changes_needs_a_comment_and_mails_it(client, official, moderator, django_capture_on_commit_callbacks):
    case = submitted_case(official)
    client.force_login(moderator)
    url = reverse("cases:moderation_act", args=[case.pk])
    response = client.post(url, {"action": "request_changes", "comment": "  "}, follow=True)
    assert "Expliquez les modifications attendues." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "request_changes", "comment": "Précisez le logiciel du 2e outil."})
    case.refresh_from_db()
    assert case.status == CaseStatus.CHANGES_REQUESTED
    assert [m.to for m in mail.outbox] == [[official.email]]
    assert "Précisez le logiciel du 2e outil." in mail.outbox[0].body
    assert reverse("cases:contrib_edit", args=[case.pk]) in mail.outbox[0].body


def test_reject_with_a_reason(client, official, moderator, django_capture_on_commit_callbacks):
    case = submitted_case(official)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:moderation_act", args=[case.pk]), {"action": "reject", "comment": "Hors sujet."})
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert "Hors sujet." in mail.outbox[-1].body and mail.outbox[-1].to == [official.email]


def test_every_transition_is_an_append_only_event(official, moderator):
    case = submitted_case(official)
    case_request_changes(case=case, actor=moderator, comment="Plus de détails.")
    revision = revision_save(case=case, actor=official, data=complete_payload(case.territory))
    revision_submit(revision=revision, actor=official)
    case_publish(case=case, actor=moderator)
    transitions = list(case.moderation_events.values_list("from_status", "to_status"))
    assert transitions == [("", "draft"), ("draft", "submitted"), ("submitted", "changes_requested"),
                           ("changes_requested", "submitted"), ("submitted", "published")]
    event = case.moderation_events.last()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_approving_an_update_applies_it_and_records_history(official, moderator):
    case = CaseFactory(submitted_by=official, title="Avant", tools=1)
    revision = pending_update(official, case, title="Après")
    assert Case.objects.get(pk=case.pk).title == "Avant"
    history_rows = case.history.count()
    revision_publish(revision=revision, actor=moderator)
    case.refresh_from_db()
    assert case.title == "Après" and case.status == CaseStatus.PUBLISHED
    assert case.history.count() > history_rows
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PUBLISHED and revision.decided_at is not None
    assert case.moderation_events.filter(revision=revision, to_status="published").exists()


def test_rejected_update_leaves_the_published_case_alone(official, moderator):
    case = CaseFactory(submitted_by=official, title="Avant", tools=1)
    revision = pending_update(official, case, title="Après")
    revision_reject(revision=revision, actor=moderator, comment="Non.")
    case.refresh_from_db()
    assert case.title == "Avant"
    # The official may propose another update afterwards.
    assert pending_update(official, case, title="Encore").status == RevisionStatus.SUBMITTED


def test_second_moderator_gets_a_clear_message_and_nothing_is_applied_twice(client, official):
    first, second = UserFactory(moderator=True), UserFactory(moderator=True)
    case = submitted_case(official)
    client.force_login(second)
    page = client.get(reverse("cases:moderation_review", args=[case.pk]))
    seen = page.context["seen_event"]
    case_publish(case=Case.objects.get(pk=case.pk), actor=first)  # the first one is quicker
    response = client.post(reverse("cases:moderation_act", args=[case.pk]),
                           {"action": "reject", "comment": "Non.", "seen_event": seen}, follow=True)
    assert "Ce dossier a changé depuis que vous l&#x27;avez ouvert" in response.content.decode()
    # Without the page's marker the service itself refuses: the transition is checked on the locked row.
    response = client.post(reverse("cases:moderation_act", args=[case.pk]), {"action": "publish"}, follow=True)
    assert "Action non appliquée" in response.content.decode()
    assert case.moderation_events.filter(to_status=CaseStatus.PUBLISHED).count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.PUBLISHED


def test_an_update_approved_twice_is_applied_once(official):
    first, second = UserFactory(moderator=True), UserFactory(moderator=True)
    case = CaseFactory(submitted_by=official, title="Avant", tools=1)
    revision = pending_update(official, case, title="Après")
    stale = CaseRevision.objects.get(pk=revision.pk)
    revision_publish(revision=revision, actor=first)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        revision_publish(revision=stale, actor=second)
    assert case.moderation_events.filter(revision=revision, to_status="published").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_moderators_at_the_same_instant(official):
    """Real concurrency: both threads try to publish; the row lock lets exactly one through."""
    moderators = [UserFactory(moderator=True), UserFactory(moderator=True)]
    case = submitted_case(official)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(moderator):
        from django.db import connections

        try:
            barrier.wait()
            case_publish(case=Case.objects.get(pk=case.pk), actor=moderator)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert ModerationEvent.objects.filter(case=case, to_status=CaseStatus.PUBLISHED).count() == 1


def test_exact_populations_of_a_pseudonymised_case_cannot_be_allowed(client, official, moderator):
    territory = CommuneFactory()
    case = contribution_start(actor=official, title="Secret", territory=territory)
    revision = revision_save(case=case, actor=official, data=complete_payload(
        territory, disclosure="pseudonymised", pseudonym="Collectivité Z"))
    revision_submit(revision=revision, actor=official)
    client.force_login(moderator)
    client.post(reverse("cases:moderation_act", args=[case.pk]), {"action": "publish", "exact_populations": "on"})
    case.refresh_from_db()
    assert (case.status, case.population_disclosure) == (CaseStatus.PUBLISHED, "band")
    assert not case.shows_exact_population


def test_moderator_verifies_an_official(client, official, moderator):
    client.force_login(moderator)
    html = client.get(reverse("cases:moderation_contributors")).content.decode()
    assert official.email in html
    client.post(reverse("cases:moderation_verify", args=[official.contributor_profile.pk]), {"verified": "1"})
    official.contributor_profile.refresh_from_db()
    assert official.contributor_profile.is_verified and official.contributor_profile.verified_by == moderator
    client.force_login(official)
    assert client.post(reverse("cases:moderation_verify", args=[official.contributor_profile.pk]),
                       {"verified": "0"}).status_code == 403
