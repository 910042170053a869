"""E-mails of the moderation workflow: the submitter hears of each transition, moderators of each submission.

The services call these functions in their transaction: the messages are written to the outbox with the
event and leave after the commit (``cases.outbox``), so a transition that is rolled back is never announced
and a mail server that is down loses nothing.
"""

import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from ..mail import absolute, render_email
from ..outbox.services import queue_mail

logger = logging.getLogger(__name__)


def moderator_addresses() -> list[str]:
    from ..permissions import MODERATORS_GROUP

    # Superusers are moderators too (cases/permissions.py): they hear of new submissions as well.
    users = get_user_model().objects.filter(is_active=True, email__gt="").filter(
        Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)
    ).values_list("email", flat=True)
    return sorted(set(users))


def notify_transition(*, event_pk: int) -> None:
    """Tell the submitter about one workflow transition; on a submission, tell the moderators too."""
    from ..models import ModerationEvent

    event = ModerationEvent.objects.select_related("case", "case__submitted_by", "revision", "actor").get(pk=event_pk)
    case = event.case
    if not event.from_status:  # the creation of a case is not news to anyone
        return
    context = {
        "event": event,
        "case": case,
        "is_update": event.revision_id is not None,
        "dashboard_url": absolute(reverse("cases:contrib_dashboard")),
        "case_url": absolute(case.get_absolute_url()),
        "edit_url": absolute(reverse("cases:contrib_edit", kwargs={"pk": case.pk})),
        "review_url": absolute(reverse("cases:moderation_review", kwargs={"pk": case.pk})),
    }
    submitter = case.submitted_by
    if submitter is not None and submitter.email:
        subject, body = render_email(f"moderation/emails/transition_{event.to_status}.txt", context)
        queue_mail(subject, body, [submitter.email])
    if event.to_status == "submitted":
        subject, body = render_email("moderation/emails/moderators_new_submission.txt", context)
        # One message each: moderators do not see each other's addresses.
        queue_mail(subject, body, [address for address in moderator_addresses()
                                   if submitter is None or address != submitter.email])
