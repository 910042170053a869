"""The case life cycle: each status transition, checked against ``CASE_TRANSITIONS``, and the
moderation event it appends (whose e-mails leave once the transaction commits).

``case_submit`` lives here rather than with the moderators' decisions because officials (through
``cases.contributions.services``), the admin and the loaders all send cases to moderation.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..catalogue.services import has_draft_slug, public_slug
from ..models import (
    Case,
    ModerationEvent,
)
from ..vocabularies import (
    CASE_TRANSITIONS,
    CaseStatus,
)
from . import emails


def transition(*, case: Case, to_status: str, actor=None, comment: str = "", snapshot=None) -> Case:
    # Lock the row so that two moderators acting at once cannot both apply a transition.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in CASE_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("Transition impossible de « %(from)s » vers « %(to)s ».")
            % {"from": locked.get_status_display(), "to": CaseStatus(to_status).label}
        )
    from_status = locked.status
    locked.status = to_status
    if to_status == CaseStatus.PUBLISHED:
        locked.published_at = timezone.now()
        if has_draft_slug(locked):
            locked.slug = public_slug(locked)
    locked.full_clean()
    locked.save(update_fields=["status", "published_at", "slug", "updated_at"])
    record_event(case=locked, actor=actor, from_status=from_status, to_status=to_status, comment=comment,
                 snapshot=snapshot)
    case.status, case.published_at, case.slug = locked.status, locked.published_at, locked.slug
    return case


def record_event(*, case: Case, actor, from_status: str, to_status: str, comment: str = "",
                  revision=None, snapshot=None) -> ModerationEvent:
    """Append the transition to the moderation history and e-mail the people concerned once committed."""

    event = ModerationEvent.objects.create(case=case, actor=actor, from_status=from_status, to_status=to_status,
                                           comment=comment, revision=revision, snapshot=snapshot)
    # Written to the outbox in this transaction, sent after the commit: a transition that is rolled back is
    # never announced, and a mail server that is down delays the e-mails without failing the transition.
    # Its links are those of the request that made the transition (cases.mail.RequestRootMiddleware).
    emails.notify_transition(event_pk=event.pk)
    return event


@transaction.atomic
def case_submit(*, case: Case, actor=None, comment: str = "") -> Case:
    """Send a draft (or a case sent back for changes) to the moderators."""
    case = transition(case=case, to_status=CaseStatus.SUBMITTED, actor=actor, comment=comment)
    if actor is not None and case.submitted_by_id is None:
        Case.objects.filter(pk=case.pk).update(submitted_by=actor)
        case.submitted_by = actor
    return case
