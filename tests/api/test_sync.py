"""Stable identifiers and incremental sync: ``public_id``, ``/api/v1/changes/``, ``services.case_rekey``."""

import datetime

import pytest
from django.utils import timezone

from cases.catalogue.services import case_rekey, case_update
from cases.moderation.services import case_archive
from tests.api.support import api_client, fresh_throttle, read_json  # noqa: F401
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def since(delta=datetime.timedelta(minutes=1)):
    return (timezone.now() - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_case_keeps_its_public_id_when_its_slug_changes(api):
    case = CaseFactory()
    public_id = str(case.public_id)
    listed = read_json(api.get("/api/v1/cases/"))["results"][0]
    assert listed["public_id"] == public_id
    case.slug = "nouveau-nom"
    case.save()
    detail = read_json(api.get(f"/api/v1/cases/{public_id}/"))
    assert detail["slug"] == "nouveau-nom" and detail["public_id"] == public_id
    assert api.get("/api/v1/cases/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_changes_lists_updates_and_withdrawals_without_what_is_no_longer_public(api):
    start = since()
    kept = CaseFactory(title="Gardé")
    gone = CaseFactory(title="Retiré")
    gone.refresh_from_db()
    case_update(case=kept, title="Gardé et renommé")
    case_archive(case=gone)
    changes = read_json(api.get("/api/v1/changes/", {"since": start}))
    by_id = {row["public_id"]: row for row in changes}
    assert by_id[str(kept.public_id)]["change"] in ("published", "updated")
    assert by_id[str(gone.public_id)] == {"public_id": str(gone.public_id), "change": "withdrawn",
                                          "at": by_id[str(gone.public_id)]["at"], "slug": None}
    assert [row["at"] for row in changes] == sorted(row["at"] for row in changes)
    assert read_json(api.get("/api/v1/changes/", {"since": since(-datetime.timedelta(days=1))})) == []


def test_rekeying_withdraws_the_old_identifier(api):
    case = CaseFactory()
    old = str(case.public_id)
    start = since()
    case_rekey(case=case)
    changes = {row["public_id"]: row["change"] for row in read_json(api.get("/api/v1/changes/", {"since": start}))}
    assert changes[old] == "withdrawn"
    assert changes[str(case.public_id)] in ("updated", "published")
    assert api.get(f"/api/v1/cases/{old}/").status_code == 404


@pytest.mark.parametrize("query", ["", "since=hier", "since=2026-01-01T00:00:00Z&page=2"])
def test_changes_needs_a_valid_since_and_nothing_else(api, query):
    response = api.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    assert read_json(response)["errors"]
