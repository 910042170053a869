"""What awaits the moderators: new cases and proposed updates, filtered, oldest first."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q

from ..models import Case, CaseRevision
from ..vocabularies import TerritoryKind


@dataclass
class QueueItem:
    kind: str  # "new" or "update"
    case: Case
    revision: CaseRevision | None
    submitted_at: datetime | None

    @property
    def submitter(self):
        return self.case.submitted_by

    @property
    def profile(self):
        user = self.case.submitted_by
        return getattr(user, "contributor_profile", None) if user else None


def moderation_queue(filters: dict) -> list[QueueItem]:
    """New cases and proposed updates awaiting ``filters["status"]``, oldest first (page and write API)."""
    status = filters.get("status") or "submitted"
    related = ["territory__region", "submitted_by__contributor_profile"]
    cases = Case.objects.filter(status=status).select_related(*related).annotate(
        submitted_on=Max("moderation_events__created_at",
                         filter=Q(moderation_events__to_status=status, moderation_events__revision__isnull=True)),
    )
    revisions = CaseRevision.objects.filter(status=status).select_related(*[f"case__{r}" for r in related])
    case_q, revision_q = Q(), Q()
    if filters.get("region"):
        case_q &= Q(territory__region__code=filters["region"]) | Q(territory__code=filters["region"],
                                                                   territory__kind=TerritoryKind.REGION)
        revision_q &= Q(case__territory__region__code=filters["region"])
    if filters.get("q"):
        case_q &= Q(title__icontains=filters["q"]) | Q(pseudonym__icontains=filters["q"])
        revision_q &= Q(case__title__icontains=filters["q"]) | Q(case__pseudonym__icontains=filters["q"])
    if filters.get("verified") in ("yes", "no"):
        verified = filters["verified"] == "yes"
        case_q &= Q(submitted_by__contributor_profile__verified_at__isnull=not verified)
        revision_q &= Q(case__submitted_by__contributor_profile__verified_at__isnull=not verified)
    items = []
    if filters.get("kind") != "update":
        items += [QueueItem("new", case, None, case.submitted_on) for case in cases.filter(case_q)]
    if filters.get("kind") != "new":
        items += [QueueItem("update", r.case, r, r.submitted_at or r.updated_at) for r in revisions.filter(revision_q)]
    # Oldest first: whoever has waited longest is served first.
    return sorted(items, key=lambda item: (item.submitted_at is None, item.submitted_at or datetime.min, item.case.pk))
