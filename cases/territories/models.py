"""Reference territories: every French collectivity from the official geographic code (INSEE COG).

Loaded by ``cases.territories.loading`` (``manage.py load_territories``), never typed by hand.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..vocabularies import EpciType, TerritoryKind

__all__ = ["Territory", "TerritoryQuerySet"]


class TerritoryQuerySet(models.QuerySet):
    def with_parents(self):
        return self.select_related("departement", "region", "epci", "ept")


class Territory(models.Model):
    """A collectivity from the official geographic code (INSEE COG) — loaded, never typed by hand."""

    kind = models.CharField(_("type"), max_length=16, choices=TerritoryKind.choices)
    # Text, never integers: Corsica's "2A004", leading zeros ("01001"), SIREN for EPCI/EPT.
    code = models.CharField(_("code officiel"), max_length=16)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    name = models.CharField(_("nom"), max_length=200)
    # Accent- and case-free form of the name, maintained by the loader, for fast search on any database.
    search_name = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    epci_type = models.CharField(_("type d'EPCI"), max_length=8, choices=EpciType.choices, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de la population"), null=True, blank=True)
    departement = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT}, verbose_name=_("département"),
    )
    region = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        limit_choices_to={"kind": TerritoryKind.REGION}, verbose_name=_("région"),
    )
    epci = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="member_communes",
        limit_choices_to={"kind": TerritoryKind.EPCI}, verbose_name=_("EPCI"),
    )
    ept = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="ept_member_communes",
        limit_choices_to={"kind": TerritoryKind.EPT}, verbose_name=_("EPT"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    cog_year = models.PositiveSmallIntegerField(_("millésime du COG"), null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="territory_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="territory_longitude_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("cases:territory_detail", kwargs={"kind": self.kind, "code": self.code})

