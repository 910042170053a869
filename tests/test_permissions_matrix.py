"""Who may do what: every actor × every action, through the pages and the API, and through the gate.

Actors: anonymous, the official on their own case, an official on someone else's, a moderator and an
administrator (superuser). A refusal on someone else's draft is a 404, never a 403: whether a draft
exists is nobody else's business.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.contributions.tokens import token_issue
from cases.models import Case
from cases.permissions import abilities
from cases.vocabularies import CaseStatus
from tests.contributions.utils import complete_payload, form_data
from tests.factories import CaseFactory, CommuneFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db
ACTORS = ["anonymous", "owner", "other_official", "moderator", "admin"]


@pytest.fixture
def world(db):
    owner = ContributorFactory()
    territory = CommuneFactory()
    draft = contribution_start(actor=owner, title="Brouillon", territory=territory)
    submitted = contribution_start(actor=owner, title="Soumis", territory=territory)
    revision = revision_save(case=submitted, actor=owner, data=complete_payload(territory))
    revision_submit(revision=revision, actor=owner)
    published = CaseFactory(submitted_by=owner, title="Publié", tools=1)
    updated = CaseFactory(submitted_by=owner, title="Publié avec mise à jour", tools=1)
    pending = revision_save(case=updated, actor=owner,
                                     data=merged(case_payload(updated), {"case": {"title": "Proposé"}}))
    pending = revision_submit(revision=pending, actor=owner)
    users = {
        "anonymous": None,
        "owner": owner,
        "other_official": ContributorFactory(),
        "moderator": UserFactory(moderator=True),
        "admin": UserFactory(superuser=True),
    }
    return {"users": users, "draft": draft, "submitted": Case.objects.get(pk=submitted.pk),
            "published": published, "updated": updated, "pending": pending, "territory": territory}


def by_actor(**expected):
    """What each actor gets; naming every actor keeps the matrix complete."""
    assert set(expected) == set(ACTORS)
    return expected


def page_client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def api_client(user):
    api = APIClient()
    if user is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user)[1]}")
    return api


# action: (how, expected status by actor)
PAGE_ACTIONS = {
    "view_published": (lambda w: ("get", w["published"].get_absolute_url(), None),
                       by_actor(anonymous=200, owner=200, other_official=200, moderator=200, admin=200)),
    "view_draft": (lambda w: ("get", w["draft"].get_absolute_url(), None),
                   by_actor(anonymous=404, owner=200, other_official=404, moderator=200, admin=200)),
    "history_published": (lambda w: ("get", reverse("cases:case_history", args=[w["published"].slug]), None),
                          by_actor(anonymous=200, owner=200, other_official=200, moderator=200, admin=200)),
    "history_draft": (lambda w: ("get", reverse("cases:case_history", args=[w["draft"].slug]), None),
                      by_actor(anonymous=404, owner=200, other_official=404, moderator=200, admin=200)),
    "dashboard": (lambda w: ("get", reverse("cases:contrib_dashboard"), None),
                  by_actor(anonymous=302, owner=200, other_official=200, moderator=200, admin=200)),
    "start_case": (lambda w: ("post", reverse("cases:contrib_new"),
                              {"title": "Nouveau", "territory_query": w["territory"].name}),
                   by_actor(anonymous=302, owner=302, other_official=302, moderator=302, admin=302)),
    "edit_draft_form": (lambda w: ("get", reverse("cases:contrib_edit", args=[w["draft"].pk]), None),
                        by_actor(anonymous=302, owner=200, other_official=404, moderator=404, admin=404)),
    "save_draft": (lambda w: ("post", reverse("cases:contrib_edit", args=[w["draft"].pk]),
                              form_data(complete_payload(w["territory"]))),
                   by_actor(anonymous=302, owner=302, other_official=404, moderator=404, admin=404)),
    "submit_draft": (lambda w: ("post", reverse("cases:contrib_edit", args=[w["draft"].pk]),
                                form_data(complete_payload(w["territory"]), "submit")),
                     by_actor(anonymous=302, owner=302, other_official=404, moderator=404, admin=404)),
    "edit_submitted": (lambda w: ("get", reverse("cases:contrib_edit", args=[w["submitted"].pk]), None),
                       by_actor(anonymous=302, owner=404, other_official=404, moderator=404, admin=404)),
    "propose_update": (lambda w: ("get", reverse("cases:contrib_edit", args=[w["published"].pk]), None),
                       by_actor(anonymous=302, owner=200, other_official=404, moderator=404, admin=404)),
    "moderation_queue": (lambda w: ("get", reverse("cases:moderation_queue"), None),
                         by_actor(anonymous=302, owner=403, other_official=403, moderator=200, admin=200)),
    "review": (lambda w: ("get", reverse("cases:moderation_review", args=[w["submitted"].pk]), None),
               by_actor(anonymous=302, owner=403, other_official=403, moderator=200, admin=200)),
    "publish": (lambda w: ("post", reverse("cases:moderation_act", args=[w["submitted"].pk]), {"action": "publish"}),
                by_actor(anonymous=302, owner=403, other_official=403, moderator=302, admin=302)),
    "request_changes": (lambda w: ("post", reverse("cases:moderation_act", args=[w["submitted"].pk]),
                                   {"action": "request_changes", "comment": "Précisez."}),
                        by_actor(anonymous=302, owner=403, other_official=403, moderator=302, admin=302)),
    "reject": (lambda w: ("post", reverse("cases:moderation_act", args=[w["submitted"].pk]),
                          {"action": "reject", "comment": "Non."}),
               by_actor(anonymous=302, owner=403, other_official=403, moderator=302, admin=302)),
    "approve_update": (lambda w: ("post", reverse("cases:moderation_act", args=[w["updated"].pk]),
                                  {"action": "publish", "target": "revision", "revision": w["pending"].pk}),
                       by_actor(anonymous=302, owner=403, other_official=403, moderator=302, admin=302)),
    "contributors": (lambda w: ("get", reverse("cases:moderation_contributors"), None),
                     by_actor(anonymous=302, owner=403, other_official=403, moderator=200, admin=200)),
    "verify_official": (lambda w: ("post", reverse("cases:moderation_verify",
                                                   args=[w["users"]["owner"].contributor_profile.pk]), {}),
                        by_actor(anonymous=302, owner=403, other_official=403, moderator=302, admin=302)),
}

# The effect each successful moderation action must have had (and must not have had otherwise).
EFFECTS = {
    "publish": lambda w: Case.objects.get(pk=w["submitted"].pk).status == CaseStatus.PUBLISHED,
    "request_changes": lambda w: Case.objects.get(pk=w["submitted"].pk).status == CaseStatus.CHANGES_REQUESTED,
    "reject": lambda w: Case.objects.get(pk=w["submitted"].pk).status == CaseStatus.REJECTED,
    "approve_update": lambda w: Case.objects.get(pk=w["updated"].pk).title == "Proposé",
    "submit_draft": lambda w: Case.objects.get(pk=w["draft"].pk).status == CaseStatus.SUBMITTED,
}


def each_actor(world, check):
    """Run ``check(actor)`` for every actor, each on the same untouched world (a savepoint is rolled back)."""
    from django.db import transaction

    failures = []
    for actor in ACTORS:
        savepoint = transaction.savepoint()
        try:
            problem = check(actor)
        finally:
            transaction.savepoint_rollback(savepoint)
        if problem:
            failures.append((actor, problem))
    return failures


@pytest.mark.parametrize("action", list(PAGE_ACTIONS))
def test_pages(world, action):
    from django.test import Client

    how, expected = PAGE_ACTIONS[action]

    def check(actor):
        method, url, data = how(world)
        response = getattr(page_client(Client(), world["users"][actor]), method)(url, data or {})
        if response.status_code != expected[actor]:
            return f"status {response.status_code}, expected {expected[actor]}"
        if response.status_code == 302 and actor == "anonymous" and not response["Location"].startswith(
                reverse("login")):
            return "anonymous not sent to log in"
        if action in EFFECTS:
            allowed = expected[actor] == 302 and actor != "anonymous"
            if EFFECTS[action](world) is not allowed:
                return "effect applied" if not allowed else "effect missing"
        return None

    assert each_actor(world, check) == []


API_ACTIONS = {
    "list_contributions": (lambda w: ("get", "/api/v1/contributions/", None),
                           by_actor(anonymous=401, owner=200, other_official=200, moderator=200, admin=200)),
    "create_contribution": (lambda w: ("post", "/api/v1/contributions/",
                                       {"case": {"title": "Par l'API", "territory": w["territory"].pk}}),
                            by_actor(anonymous=401, owner=201, other_official=201, moderator=201, admin=201)),
    "read_draft": (lambda w: ("get", f"/api/v1/contributions/{w['draft'].pk}/", None),
                   by_actor(anonymous=401, owner=200, other_official=404, moderator=404, admin=404)),
    "update_draft": (lambda w: ("patch", f"/api/v1/contributions/{w['draft'].pk}/", {"case": {"title": "Changé"}}),
                     by_actor(anonymous=401, owner=200, other_official=404, moderator=404, admin=404)),
    "submit_draft": (lambda w: ("post", f"/api/v1/contributions/{w['draft'].pk}/submit/", None),
                     by_actor(anonymous=401, owner=400, other_official=404, moderator=404, admin=404)),
    "queue": (lambda w: ("get", "/api/v1/moderation/queue/", None),
              by_actor(anonymous=401, owner=403, other_official=403, moderator=200, admin=200)),
    "publish": (lambda w: ("post", f"/api/v1/moderation/cases/{w['submitted'].pk}/publish/", {}),
                by_actor(anonymous=401, owner=403, other_official=403, moderator=200, admin=200)),
    "approve_update": (lambda w: ("post", f"/api/v1/moderation/revisions/{w['pending'].pk}/publish/", {}),
                       by_actor(anonymous=401, owner=403, other_official=403, moderator=200, admin=200)),
    "reject_update": (lambda w: ("post", f"/api/v1/moderation/revisions/{w['pending'].pk}/reject/",
                                 {"comment": "Non."}),
                      by_actor(anonymous=401, owner=403, other_official=403, moderator=200, admin=200)),
}


@pytest.mark.parametrize("action", list(API_ACTIONS))
def test_api(world, action):
    how, expected = API_ACTIONS[action]

    def check(actor):
        method, url, data = how(world)
        response = getattr(api_client(world["users"][actor]), method)(url, data, format="json")
        if response.status_code != expected[actor]:
            return f"status {response.status_code}, expected {expected[actor]}: {response.content[:200]!r}"
        return None

    assert each_actor(world, check) == []


# The gate itself, for each actor on each object: what views, API and templates all ask.
GATE = {
    # (object, ability): {actor: allowed}
    ("draft", "view"): by_actor(anonymous=False, owner=True, other_official=False, moderator=True, admin=True),
    ("draft", "view_identity"): by_actor(anonymous=True, owner=True, other_official=True, moderator=True, admin=True),
    ("draft", "contribute"): by_actor(anonymous=False, owner=True, other_official=False, moderator=False, admin=False),
    ("draft", "submit"): by_actor(anonymous=False, owner=True, other_official=False, moderator=True, admin=True),
    ("draft", "publish"): by_actor(anonymous=False, owner=False, other_official=False, moderator=False, admin=False),
    ("submitted", "contribute"): by_actor(anonymous=False, owner=False, other_official=False, moderator=False,
                                      admin=False),
    ("submitted", "publish"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True, admin=True),
    ("submitted", "reject"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True, admin=True),
    ("published", "view"): by_actor(anonymous=True, owner=True, other_official=True, moderator=True, admin=True),
    ("published", "propose_update"): by_actor(anonymous=False, owner=True, other_official=False, moderator=False,
                                          admin=False),
    ("published", "archive"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True, admin=True),
    ("pending", "view"): by_actor(anonymous=False, owner=True, other_official=False, moderator=True, admin=True),
    ("pending", "update"): by_actor(anonymous=False, owner=False, other_official=False, moderator=False, admin=False),
    ("pending", "publish"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True, admin=True),
    (None, "moderate"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True, admin=True),
    (None, "contribute"): by_actor(anonymous=False, owner=True, other_official=True, moderator=True, admin=True),
    (None, "verify_contributors"): by_actor(anonymous=False, owner=False, other_official=False, moderator=True,
                                        admin=True),
}


def test_gate(world):
    from django.contrib.auth.models import AnonymousUser

    wrong = []
    for (target, ability), expected in GATE.items():
        obj = world[target] if target else None
        for actor, allowed in expected.items():
            user = world["users"][actor] or AnonymousUser()
            if abilities(user, obj)[ability] is not allowed:
                wrong.append((target, ability, actor))
    assert wrong == []


def test_csrf_on_every_contribution_and_moderation_form(world):
    from django.test import Client

    for actor, names in [("owner", [("cases:contrib_new", []), ("cases:contrib_edit", [world["draft"].pk]),
                                    ("cases:contrib_territory", [world["draft"].pk])]),
                         ("moderator", [("cases:moderation_act", [world["submitted"].pk]),
                                        ("cases:moderation_verify",
                                         [world["users"]["owner"].contributor_profile.pk])])]:
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(world["users"][actor])
        for name, args in names:
            assert strict.post(reverse(name, args=args), {"action": "publish"}).status_code == 403, name
            assert 'name="csrfmiddlewaretoken"' in strict.get(reverse(name, args=args)).content.decode() \
                if name in ("cases:contrib_new", "cases:contrib_edit", "cases:contrib_territory") else True
    assert Case.objects.get(pk=world["submitted"].pk).status == CaseStatus.SUBMITTED


def test_api_session_writes_need_csrf(world):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(world["users"]["owner"])
    response = api.post("/api/v1/contributions/", {"case": {"title": "X"}}, format="json")
    assert response.status_code == 403
