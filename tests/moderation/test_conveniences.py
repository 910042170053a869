"""Issue 14, moderation and contribution conveniences: superusers hear of submissions, e-mail links use the
request's host, a resubmission shows what changed since the request, a case can be withdrawn, the guided
form lists its errors, and it has a timeline section."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.contributions.payload import case_payload, merged
from cases.contributions.services import revision_save, revision_submit
from cases.models import Case, Event
from cases.moderation.services import case_request_changes
from cases.vocabularies import CaseStatus
from tests.contributions.utils import complete_payload, form_data
from tests.factories import CommuneFactory, UserFactory
from tests.moderation.test_moderation_flow import submitted_case

pytestmark = pytest.mark.django_db


def test_superusers_are_told_of_a_submission_and_links_use_the_request_host(
        client, official, moderator, django_capture_on_commit_callbacks, settings):
    settings.ALLOWED_HOSTS = ["observatoire.example.org"]
    boss = UserFactory(is_superuser=True, email="direction@observatoire.example")
    territory = CommuneFactory()
    client.force_login(official)
    client.post(reverse("cases:contrib_new"), {"title": "Atlas", "territory": territory.pk},
                HTTP_HOST="observatoire.example.org")
    case = Case.objects.get(submitted_by=official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:contrib_edit", args=[case.pk]), form_data(complete_payload(territory), "submit"),
                    HTTP_HOST="observatoire.example.org")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert boss.email in recipients and moderator.email in recipients
    for message in mail.outbox:
        assert "http://observatoire.example.org/" in message.body and "localhost" not in message.body, message.body


def test_resubmission_shows_what_changed_since_the_request(client, official, moderator):
    case = submitted_case(official, title="Carte des fraîcheurs")
    case_request_changes(case=case, actor=moderator, comment="Précisez le logiciel.")
    case.refresh_from_db()
    data = merged(case_payload(case), {"case": {"website": "https://fraicheur.example.fr"}})
    revision = revision_save(case=case, actor=official, data=data)
    revision_submit(revision=revision, actor=official)
    client.force_login(moderator)
    page = client.get(reverse("cases:moderation_review", args=[case.pk])).content.decode()
    assert "Ce qui a changé depuis la demande de modifications" in page
    assert "https://fraicheur.example.fr" in page and "Précisez le logiciel." in page
    assert "Aperçu de la fiche publique" in page


def test_moderation_filter_label(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("cases:moderation_queue")).content.decode()
    assert "File d&#x27;attente" in page and "Fichier" not in page


def test_official_withdraws_a_submitted_case(client, official, moderator):
    case = submitted_case(official)
    client.force_login(official)
    assert "Retirer de la modération" in client.get(reverse("cases:contrib_dashboard")).content.decode()
    client.post(reverse("cases:contrib_withdraw", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    # Someone else cannot.
    other = submitted_case(moderator)
    assert client.post(reverse("cases:contrib_withdraw", args=[other.pk])).status_code == 404


def test_error_summary_lists_and_links_errors_with_real_plurals(client, official):
    territory = CommuneFactory()
    client.force_login(official)
    client.post(reverse("cases:contrib_new"), {"title": "Atlas", "territory": territory.pk})
    case = Case.objects.get(submitted_by=official)
    payload = complete_payload(territory, carrier="", launch_year=None)
    page = client.post(reverse("cases:contrib_edit", args=[case.pk]), form_data(payload, "submit")).content.decode()
    assert 'id="error-summary"' in page and "points sont à compléter" in page and "(s)" not in page
    assert 'href="#id_case-carrier"' in page and 'href="#id_case-launch_year"' in page
    assert "{#" not in page and "#}" not in page


def test_timeline_in_the_guided_form_reaches_the_case(client, official, moderator):
    territory = CommuneFactory()
    client.force_login(official)
    client.post(reverse("cases:contrib_new"), {"title": "Atlas", "territory": territory.pk})
    case = Case.objects.get(submitted_by=official)
    assert "Chronologie" in client.get(reverse("cases:contrib_edit", args=[case.pk])).content.decode()
    payload = complete_payload(territory)
    payload["events"] = [{"date": "2019-03-12", "date_precision": "day", "kind": "launch",
                          "title": "Délibération de lancement", "description": ""}]
    client.post(reverse("cases:contrib_edit", args=[case.pk]), form_data(payload, "submit"))
    assert list(Event.objects.filter(case=case).values_list("title", flat=True)) == ["Délibération de lancement"]
