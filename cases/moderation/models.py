"""The moderation log: one append-only row per workflow transition of a case or of a proposed update."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..catalogue.models import Case
from ..vocabularies import CaseStatus

__all__ = ["ModerationEvent"]


class ModerationEvent(models.Model):
    """One workflow transition of a case. Append-only: rows are written once and never changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moderation_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("auteur"),
    )
    from_status = models.CharField(_("statut de départ"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=20, choices=CaseStatus.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    # Set when the transition is that of a proposed update (a CaseRevision), not of the case itself.
    revision = models.ForeignKey(
        "CaseRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="moderation_events",
        verbose_name=_("mise à jour"),
    )
    # On a request for changes: the content the moderator read (a guided-form payload), so that the
    # resubmission shows "what changed since my request".
    snapshot = models.JSONField(_("contenu relu"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement de modération")
        verbose_name_plural = _("événements de modération")
        ordering = ["case", "created_at", "pk"]

    def __str__(self):
        return f"{self.case} : {self.from_status or '∅'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("L'historique de modération ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("L'historique de modération ne se supprime pas."))

