"""E-mails of the contribution flow, sent through Django's backend (console by default, SMTP by env).

The services call these functions after their transaction commits (``transaction.on_commit``), so a
transition that is rolled back is never announced.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from ``templates/emails/<template>.txt``, whose first line is the subject."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{template}.txt", {"site_url": settings.SITE_URL, **context})
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def moderator_addresses() -> list[str]:
    from .permissions import MODERATORS_GROUP

    users = get_user_model().objects.filter(is_active=True, email__gt="").filter(
        groups__name=MODERATORS_GROUP
    ).values_list("email", flat=True)
    return sorted(set(users))


def notify_transition(*, event_pk: int) -> None:
    """Tell the submitter about one workflow transition; on a submission, tell the moderators too."""
    from .models import ModerationEvent

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
    messages = []
    submitter = case.submitted_by
    if submitter is not None and submitter.email:
        subject, body = _render(f"transition_{event.to_status}", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [submitter.email]))
    if event.to_status == "submitted":
        subject, body = _render("moderators_new_submission", context)
        # One message each: moderators do not see each other's addresses.
        messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in moderator_addresses()
                     if submitter is None or address != submitter.email]
    if messages:
        send_mass_mail(messages, fail_silently=False)


def send_activation(*, user, activation_url: str) -> None:
    subject, body = _render("activation", {"user": user, "activation_url": activation_url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_already_registered(*, user, login_url: str, reset_url: str) -> None:
    subject, body = _render("already_registered", {"user": user, "login_url": login_url, "reset_url": reset_url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
