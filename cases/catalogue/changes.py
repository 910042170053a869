"""What changed since an instant, for clients that sync incrementally (``/api/v1/changes/``).

Selectors only. A case is *withdrawn* from the public data when it stops being published (archived,
unpublished, deleted) or when it is re-keyed (``services.case_rekey``: its old ``public_id`` is
withdrawn and the case comes back under a new one). Withdrawn entries carry the identifier and the
instant only: nothing of a case that is no longer public.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from ..models import Case
from ..vocabularies import CaseStatus


@dataclass(frozen=True)
class Change:
    public_id: str
    change: str  # "published" (first published since), "updated" or "withdrawn"
    at: datetime
    slug: str | None


def case_changes(*, since: datetime) -> list[Change]:
    """Every public change at or after ``since``, oldest first (ties broken by identifier)."""
    changes = [
        Change(str(public_id), "published" if published_at and published_at >= since else "updated",
               max(updated_at, published_at or updated_at), slug)
        for public_id, slug, updated_at, published_at in Case.objects.published()
        .filter(updated_at__gte=since).values_list("public_id", "slug", "updated_at", "published_at")
    ]
    touched = Case.history.filter(history_date__gte=since)
    last_touch = dict(touched.values_list("id").annotate(at=Max("history_date")).order_by())
    if last_touch:
        live = dict(Case.objects.published().filter(pk__in=last_touch)
                .values_list("pk", "public_id"))
        once_public = (Case.history.filter(id__in=last_touch, status=CaseStatus.PUBLISHED)
                       .values_list("id", "public_id").distinct().order_by())
        for pk, public_id in once_public:
            if live.get(pk) != public_id:
                changes.append(Change(str(public_id), "withdrawn", last_touch[pk], None))
    return sorted(changes, key=lambda change: (change.at, change.public_id))
