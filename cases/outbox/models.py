"""E-mails the site has to send, recorded before they leave: a mail server that is down loses nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OutgoingEmail"]


class OutgoingEmail(models.Model):
    """One message to one recipient. Written in the transaction of what it announces (a submission, a
    decision, a sign-up), sent after the commit; on failure it stays pending with its error, and
    ``manage.py send_queued_mail`` retries it. Once sent, the body is blanked: it may hold a one-time link,
    which has no business in backups."""

    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("texte"), blank=True)
    recipient = models.EmailField(_("destinataire"), max_length=254)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # Set by the sender that is sending it (a lease): another sender leaves it alone meanwhile.
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
