"""Queue e-mails in the database and send them after the commit; failures are recorded, logged and retried.

Why a table rather than sending at once: a submission must never be lost, nor answered with a 500, because
the mail server is down; and a transition that is rolled back must not be announced. The message is written
in the caller's transaction (so it exists exactly when what it announces exists), sent by an on-commit
callback, and, if the server refuses, kept with its error for ``manage.py send_queued_mail`` (cron, or the
compose ``mailer`` service) to retry. Each failure is logged at ERROR, which is how operators hear of it.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# After this many failures a message is left alone (and still listed by the admin) rather than retried forever.
MAX_ATTEMPTS = 10
# A sender that died mid-send (killed worker) releases its messages after this long.
LEASE = timedelta(minutes=10)


def queue_mail(subject: str, body: str, recipients: list[str]) -> list[OutgoingEmail]:
    """Record one message per recipient and send them once the current transaction commits."""
    messages = OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(subject=subject[:255], body=body, recipient=recipient) for recipient in recipients])
    pks = [message.pk for message in messages]
    # robust: a failure in sending must not break the response of what was just committed.
    transaction.on_commit(partial(send_queued, pks=pks), robust=True)
    return messages


def send_queued(*, pks: list[int] | None = None, limit: int | None = None) -> tuple[int, int]:
    """Send the pending messages (those in ``pks``, or all of them): (sent, failed)."""
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - LEASE)
    pending = OutgoingEmail.objects.filter(free, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if pks is not None:
        pending = pending.filter(pk__in=pks)
    sent = failed = 0
    connection = get_connection()
    for message in pending[:limit] if limit else pending:
        # Claim the message (one conditional UPDATE, atomic in the database): the on-commit sender and the
        # cron job may run at once, and only one of them must send it.
        free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - LEASE)
        claimed = OutgoingEmail.objects.filter(free, pk=message.pk, sent_at__isnull=True)
        if not claimed.update(attempts=F("attempts") + 1, claimed_at=timezone.now()):
            continue
        try:
            EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient],
                         connection=connection).send(fail_silently=False)
        except Exception as error:  # any failure of the backend: record it, keep the message
            failed += 1
            OutgoingEmail.objects.filter(pk=message.pk).update(last_error=repr(error), claimed_at=None)
            logger.error("e-mail %s to %s not sent (attempt %s): %r", message.pk, message.recipient,
                         message.attempts + 1, error)
        else:
            sent += 1
            OutgoingEmail.objects.filter(pk=message.pk).update(sent_at=timezone.now(), body="", last_error="")
    return sent, failed
