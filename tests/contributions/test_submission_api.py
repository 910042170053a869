"""The write API: officials create, update and submit drafts with a token; moderators act on the queue.
Same forms, same services, same answers as the pages."""

import pytest
from rest_framework.test import APIClient

from cases.contributions.tokens import token_issue
from cases.models import Case, CaseRevision
from cases.vocabularies import CaseStatus
from tests.contributions.utils import complete_payload
from tests.factories import CaseFactory, CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db


def token_client(user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user)[1]}")
    return api


def test_official_creates_completes_and_submits_a_draft(official):
    api = token_client(official)
    commune = CommuneFactory(population=31_000)
    created = api.post("/api/v1/contributions/", {"case": {"title": "Par l'API", "territory": commune.pk}},
                       format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["content"]["case"]["population_city"] == 31_000
    assert "summary" in body["errors"]["case"]  # what still stops a submission
    pk = body["id"]

    refused = api.post(f"/api/v1/contributions/{pk}/submit/")
    assert refused.status_code == 400 and "tools_errors" in refused.json()["errors"]

    bad = api.patch(f"/api/v1/contributions/{pk}/", {"tools": "pas une liste"}, format="json")
    assert bad.status_code == 400

    saved = api.put(f"/api/v1/contributions/{pk}/", complete_payload(commune), format="json")
    assert saved.status_code == 200 and saved.json()["errors"] == {}
    submitted = api.post(f"/api/v1/contributions/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert Case.objects.get(pk=pk).tools.count() == 2
    assert api.post(f"/api/v1/contributions/{pk}/submit/").status_code == 404  # not editable any more


def test_field_errors_come_back_by_place(official):
    api = token_client(official)
    commune = CommuneFactory()
    payload = complete_payload(commune, launch_year="abc")
    payload["tools"][1]["coproduction_mode"] = "magic"
    created = api.post("/api/v1/contributions/", {"case": {"title": "X", "territory": commune.pk}}, format="json")
    pk = created.json()["id"]
    api.put(f"/api/v1/contributions/{pk}/", payload, format="json")
    errors = api.post(f"/api/v1/contributions/{pk}/submit/").json()["errors"]
    assert "launch_year" in errors["case"]
    assert errors["tools"][0] == {} and "coproduction_mode" in errors["tools"][1]


def test_moderator_acts_on_the_queue_and_conflicts_are_409(official, moderator):
    api = token_client(official)
    commune = CommuneFactory()
    pk = api.post("/api/v1/contributions/", complete_payload(commune), format="json").json()["id"]
    assert api.post(f"/api/v1/contributions/{pk}/submit/").status_code == 200

    mod = token_client(moderator)
    queue = mod.get("/api/v1/moderation/queue/").json()["results"]
    assert [(item["kind"], item["case"]) for item in queue] == [("new", pk)]
    assert mod.post(f"/api/v1/moderation/cases/{pk}/request-changes/", {}, format="json").status_code == 400
    assert mod.post(f"/api/v1/moderation/cases/{pk}/publish/", {}, format="json").status_code == 200
    second = token_client(UserFactory(moderator=True))
    conflict = second.post(f"/api/v1/moderation/cases/{pk}/reject/", {"comment": "Non."}, format="json")
    assert conflict.status_code == 409 and "Transition impossible" in conflict.json()["detail"]
    assert Case.objects.get(pk=pk).status == CaseStatus.PUBLISHED


def test_updates_of_published_cases_wait_for_a_moderator(official, moderator):
    case = CaseFactory(submitted_by=official, title="Publié", tools=1)
    api = token_client(official)
    assert api.patch(f"/api/v1/contributions/{case.pk}/", {"case": {"title": "Nouveau titre"}},
                     format="json").status_code == 200
    response = api.post(f"/api/v1/contributions/{case.pk}/submit/")
    assert response.status_code == 200, response.json()
    assert APIClient().get(f"/api/v1/cases/{case.slug}/").json()["name"] == "Publié"
    revision = CaseRevision.objects.get(case=case)
    assert token_client(moderator).post(f"/api/v1/moderation/revisions/{revision.pk}/publish/", {},
                                        format="json").status_code == 200
    assert APIClient().get(f"/api/v1/cases/{case.slug}/").json()["name"] == "Nouveau titre"
