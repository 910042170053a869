"""What officials contribute: proposed versions of a case (working copies, pending updates) and their profile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..catalogue.models import Case
from ..territories.models import Territory
from ..vocabularies import REVISION_OPEN_STATUSES, RevisionStatus

__all__ = ["ApiToken", "CaseRevision", "ContributorProfile"]


class CaseRevision(models.Model):
    """A proposed version of a case's content (the contribution form's or the API's payload, as JSON).

    For a case not yet published it is the working copy of the draft: saved whatever its state, so that
    nothing typed is lost, and applied to the case when the official submits it. For a published case it
    is a pending update: the public pages, the map and the API keep showing the published version until
    a moderator approves the revision, which applies it through the services (so history records it).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("cas"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("auteur"),
    )
    data = models.JSONField(_("contenu proposé"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("mise à jour proposée")
        verbose_name_plural = _("mises à jour proposées")
        ordering = ["case", "-created_at", "-pk"]
        constraints = [
            # One working copy at a time: two open revisions of a case would overwrite each other.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=REVISION_OPEN_STATUSES),
                name="case_revision_one_open_per_case",
            ),
            models.CheckConstraint(condition=Q(status__in=RevisionStatus.values), name="case_revision_status_valid"),
        ]

    def __str__(self):
        return f"{self.case} — {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in REVISION_OPEN_STATUSES


class ContributorProfile(models.Model):
    """What an official declares on sign-up: their organisation and the collectivity they speak for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributor_profile",
        verbose_name=_("compte"),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("collectivité déclarée"),
    )
    email_confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    # A moderator checked that the person does work for the declared collectivity.
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("vérifié par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("profil de contributeur")
        verbose_name_plural = _("profils de contributeurs")
        ordering = ["user__email"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.organisation})"

    @property
    def is_verified(self):
        return self.verified_at is not None


class ApiToken(models.Model):
    """A key for the write API, stored as its SHA-256 only: a database leak gives away no usable key.

    It expires, and it dies with the password it was issued under (``password_fingerprint``): changing
    or resetting the password, by any path, revokes every key of the account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("compte"),
    )
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True, editable=False)
    # The first characters of the key, shown so that its owner can tell which key is which.
    key_prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["user", "-created_at"]

    def __str__(self):
        return f"{self.key_prefix}… ({self.user})"

