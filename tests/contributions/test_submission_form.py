"""The guided form through the HTTP client: drafts, errors next to fields, nothing lost, submission."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.contributions.services import contribution_start
from cases.models import Case, CaseRevision, DigitalTool
from cases.vocabularies import CaseStatus, CoproductionMode, RevisionStatus
from tests.contributions.utils import complete_payload, form_data
from tests.factories import CaseFactory, CommuneFactory, DigitalToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return CommuneFactory(name="Villeneuve-sur-Essai", population=48_213, population_year=2023,
                          epci__population=212_345)


@pytest.fixture
def draft(official, commune):
    return contribution_start(actor=official, title="Plateforme citoyenne", territory=commune)


def test_start_snapshots_reference_populations(client, official, commune):
    client.force_login(official)
    response = client.post(reverse("cases:contrib_new"), {"title": "Plateforme citoyenne",
                                                          "territory_query": "Villeneuve-sur-Essai"})
    case = Case.objects.get(submitted_by=official)
    assert response.status_code == 302 and response["Location"] == reverse("cases:contrib_edit", args=[case.pk])
    assert (case.status, case.territory, case.population_city, case.population_epci, case.scope) == (
        CaseStatus.DRAFT, commune, 48_213, 212_345, "commune")
    page = client.get(response["Location"])
    assert page.status_code == 200
    # The reference figure is shown beside the editable one.
    assert "Référence INSEE 2023 : 48" in page.content.decode()
    assert 'value="48213"' in page.content.decode()


def test_start_without_javascript_lists_homonyms_as_radio_buttons(client, official):
    a = CommuneFactory(name="Saint-Martin", population=5_000)
    b = CommuneFactory(name="Saint-Martin", population=3_000)
    client.force_login(official)
    response = client.post(reverse("cases:contrib_new"), {"title": "Carte participative",
                                                          "territory_query": "Saint-Martin"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'type="radio"' in html and f'value="{a.pk}"' in html and f'value="{b.pk}"' in html
    assert "Plusieurs collectivités correspondent" in html
    response = client.post(reverse("cases:contrib_new"), {"title": "Carte participative",
                                                          "territory_query": "Saint-Martin",
                                                          "territory_choice": str(b.pk)})
    assert response.status_code == 302
    assert Case.objects.get(submitted_by=official).territory == b


def test_start_with_unknown_collectivity_says_so_next_to_the_field(client, official):
    client.force_login(official)
    response = client.post(reverse("cases:contrib_new"), {"title": "X", "territory_query": "Zzyzx"})
    assert response.status_code == 400
    assert "Aucune collectivité ne correspond" in response.content.decode()
    assert not Case.objects.exists()


def test_an_invalid_draft_is_saved_as_typed_and_comes_back(client, official, draft, commune):
    client.force_login(official)
    payload = complete_payload(commune)
    payload["case"]["launch_year"] = "deux mille"
    payload["tools"][1]["classification_rationale"] = ""
    response = client.post(reverse("cases:contrib_edit", args=[draft.pk]), form_data(payload))
    assert response.status_code == 302
    revision = CaseRevision.objects.get(case=draft)
    assert revision.data["case"]["launch_year"] == "deux mille"
    assert [t["name"] for t in revision.data["tools"]] == ["Outil numéro 1", "Outil numéro 2"]
    page = client.get(reverse("cases:contrib_edit", args=[draft.pk])).content.decode()
    assert 'value="deux mille"' in page and 'value="Outil numéro 2"' in page
    draft.refresh_from_db()
    assert draft.launch_year is None  # the case itself only changes on submission


def test_a_failed_submission_loses_nothing_and_shows_errors_next_to_fields(client, official, draft, commune):
    client.force_login(official)
    payload = complete_payload(commune)
    payload["case"]["horizon_year"] = 2010  # before launch
    payload["case"]["summary"] = ""
    payload["tools"][1]["classification_rationale"] = ""
    response = client.post(reverse("cases:contrib_edit", args=[draft.pk]), form_data(payload, "submit"))
    assert response.status_code == 400
    form = response.context["submission"]
    assert "horizon_year" in form.case_form.errors and "summary" in form.case_form.errors
    assert "classification_rationale" in form.tools.forms[1].errors
    html = response.content.decode()
    assert "La principale échéance ne peut précéder le lancement." in html
    assert 'value="Outil numéro 2"' in html  # the rows are kept
    assert CaseRevision.objects.get(case=draft).data["tools"][1]["name"] == "Outil numéro 2"
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT


def test_submission_needs_at_least_one_tool(client, official, draft, commune):
    client.force_login(official)
    response = client.post(reverse("cases:contrib_edit", args=[draft.pk]),
                           form_data(complete_payload(commune, tools=0), "submit"))
    assert response.status_code == 400
    assert "Décrivez au moins un outil numérique." in response.content.decode()


def test_submission_applies_the_content_and_tells_submitter_and_moderators(
    client, official, draft, commune, moderator, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:contrib_edit", args=[draft.pk]),
                               form_data(complete_payload(commune), "submit"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CaseStatus.SUBMITTED and draft.submitted_by == official
    assert [(t.name, t.coproduction_mode, t.position) for t in draft.tools.order_by("position")] == [
        ("Outil numéro 1", CoproductionMode.CONSUMER, 0), ("Outil numéro 2", CoproductionMode.PARTICIPATIVE, 1)]
    assert draft.secondary_themes == ["digital_inclusion", "mobility"]
    assert draft.stakeholders.get().helix == "civil_society"
    assert draft.factors.get(factor="resources").assessment == "partial"
    assert draft.sources.get().citation == "Délibération du conseil municipal"
    assert not CaseRevision.objects.filter(case=draft).exists()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([official.email, moderator.email])
    assert any("Initiative reçue" in m.subject for m in mail.outbox)


def test_removing_a_row_deletes_it_and_unknown_ids_never_touch_other_cases(client, official, commune):
    case = contribution_start(actor=official, title="X", territory=commune)
    kept = DigitalToolFactory(case=case, name="Gardé")
    dropped = DigitalToolFactory(case=case, name="Retiré")
    foreign = DigitalToolFactory(name="Outil d'un autre cas")
    payload = complete_payload(commune, tools=0)
    payload["tools"] = [
        {"id": kept.pk, "name": "Gardé et renommé", "tool_type": "ideation", "coproduction_mode": "participative",
         "classification_rationale": "Idées des habitants."},
        {"id": foreign.pk, "name": "Tentative", "tool_type": "ideation", "coproduction_mode": "consumer",
         "classification_rationale": "Essai."},
    ]
    client.force_login(official)
    assert client.post(reverse("cases:contrib_edit", args=[case.pk]), form_data(payload, "submit")).status_code == 302
    names = set(case.tools.values_list("name", flat=True))
    assert names == {"Gardé et renommé", "Tentative"}
    assert not DigitalTool.objects.filter(pk=dropped.pk).exists()
    foreign.refresh_from_db()
    assert foreign.name == "Outil d'un autre cas"
    assert DigitalTool.objects.get(name="Gardé et renommé").pk == kept.pk


def test_changing_collectivity_brings_its_reference_populations(client, official, draft):
    other = CommuneFactory(name="Autreville", population=7_654, epci__population=65_432)
    client.force_login(official)
    response = client.post(reverse("cases:contrib_territory", args=[draft.pk]), {"territory_query": "Autreville"})
    assert response.status_code == 302
    data = CaseRevision.objects.get(case=draft).data["case"]
    assert (data["territory"], data["population_city"], data["population_epci"]) == (other.pk, 7_654, 65_432)


def test_editing_a_published_case_makes_a_pending_update_and_the_public_keeps_the_published_version(
    client, official, moderator, django_capture_on_commit_callbacks
):
    case = CaseFactory(submitted_by=official, title="Version publiée", tools=1)
    client.force_login(official)
    page = client.get(reverse("cases:contrib_edit", args=[case.pk]))
    assert page.status_code == 200 and "La fiche est publiée" in page.content.decode()
    payload = complete_payload(case.territory, tools=1, title="Titre mis à jour")
    payload["tools"][0]["id"] = case.tools.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:contrib_edit", args=[case.pk]), form_data(payload, "submit"))
    assert response.status_code == 302
    revision = CaseRevision.objects.get(case=case)
    assert revision.status == RevisionStatus.SUBMITTED
    case.refresh_from_db()
    assert case.title == "Version publiée" and case.status == CaseStatus.PUBLISHED
    client.logout()
    assert "Version publiée" in client.get(case.get_absolute_url()).content.decode()
    # While the update waits, the official cannot change it.
    client.force_login(official)
    assert client.get(reverse("cases:contrib_edit", args=[case.pk])).status_code == 302


def test_other_peoples_drafts_are_not_found(client, official, other_official, draft):
    client.force_login(other_official)
    assert client.get(reverse("cases:contrib_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("cases:contrib_edit", args=[draft.pk]), {"action": "save"}).status_code == 404


def test_dashboard_lists_own_cases_with_status_and_history(client, official, draft, other_official):
    CaseFactory(submitted_by=other_official, title="Pas à moi")
    client.force_login(official)
    html = client.get(reverse("cases:contrib_dashboard")).content.decode()
    assert "Plateforme citoyenne" in html and "Pas à moi" not in html
    assert "Brouillon" in html and "1 étape" in html


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(reverse("cases:contrib_edit", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_tampered_formset_gives_errors_not_a_crash(client, official, draft):
    client.force_login(official)
    response = client.post(reverse("cases:contrib_edit", args=[draft.pk]),
                           {"action": "submit", "case-title": "X", "tools-TOTAL_FORMS": "abc"})
    assert response.status_code == 400


def test_dashboard_runs_a_constant_number_of_queries(client, official, commune):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext


    client.force_login(official)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:contrib_dashboard")).status_code == 200
        return len(ctx.captured_queries)

    contribution_start(actor=official, title="Un", territory=commune)
    few = count()
    for i in range(4):
        contribution_start(actor=official, title=f"Cas {i}", territory=commune)
        CaseFactory(submitted_by=official, tools=1)
    assert count() == few
