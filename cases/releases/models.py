"""A release: one frozen, versioned Data Package of the public data, written once and never changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Release"]


class ReleaseIsFrozen(Exception):
    """A published release was about to change (its row or one of its files)."""


class ReleaseQuerySet(models.QuerySet):
    """Bulk writes would bypass ``Release.save``/``delete``: they are refused too."""

    def update(self, **kwargs):
        raise ReleaseIsFrozen("published releases cannot change")

    def delete(self):
        raise ReleaseIsFrozen("published releases cannot be deleted")


class Release(models.Model):
    """The record of a published release; its files live in ``storages["releases"]`` under ``version/``.

    ``files`` is the manifest (name, size in bytes, SHA-256, media type) written when the release is
    published; ``fingerprint`` is the SHA-256 of the data files only, so that re-publishing unchanged data
    finds the previous release instead of making a new one. Rows are insert-only: ``save`` refuses an
    update and ``delete`` refuses outright (a cited release must stay where the citation points).
    """

    version = models.CharField(_("version"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("publiée le"))
    fingerprint = models.CharField(_("empreinte des données"), max_length=64, db_index=True)
    files = models.JSONField(_("fichiers"), default=list)
    # Counts per table, e.g. {"cases": 5, "tools": 23}.
    counts = models.JSONField(_("effectifs"), default=dict)
    # {"previous": "2026.12.1" | None, "added": [key…], "updated": [key…], "withdrawn": [key…]}, where a
    # key is the case's stable public identifier, or its slug (``tables.case_key``).
    notes = models.JSONField(_("notes de version"), default=dict)
    # {slug: SHA-256 of everything the release says about the case}: what the next release's notes compare.
    case_digests = models.JSONField(default=dict, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication des données")
        verbose_name_plural = _("publications des données")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.version

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReleaseIsFrozen(f"release {self.version} is published and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReleaseIsFrozen(f"release {self.version} is published and cannot be deleted")

    @property
    def size(self) -> int:
        return sum(item["size"] for item in self.files)

    def file(self, name: str) -> dict | None:
        return next((item for item in self.files if item["name"] == name), None)

    def path(self, name: str) -> str:
        """The file's name in the releases storage."""
        return f"{self.version}/{name}"
