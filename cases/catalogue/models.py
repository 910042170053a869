"""The catalogue's domain model: a case of digital co-creation and its evidence (tools, stakeholders,
factors, events, sources).

Writes go through ``cases.catalogue.services`` and reads through ``cases.catalogue.selectors``; models
hold fields, database constraints and small derived properties only.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..territories.models import Territory
from ..validators import (
    display_text,
    markdown_length,
    validate_single_line,
    validate_unconfusable,
)
from ..vocabularies import (
    PUBLIC_AREAS,
    Carrier,
    CaseStatus,
    CollectionMethod,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    PopulationDisclosure,
    Scope,
    Theme,
    band_label,
    population_band,
)
from .querysets import CaseQuerySet

__all__ = [
    "Case",
    "CaseChild",
    "CaseCollectionMethod",
    "CaseSecondaryTheme",
    "DigitalTool",
    "Event",
    "FactorAssessment",
    "RetiredSlug",
    "Source",
    "Stakeholder",
]


DISCLOSURE_FIELDS = ("public_region_code", "public_area", "public_city_band", "public_epci_band",
                     "public_population_floor", "disclosure_k", "disclosure_steps")


class Case(models.Model):
    """One initiative of digital co-creation carried by a collectivity (or by citizens)."""

    title = models.CharField(_("titre"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    # The stable, opaque identifier of the API and the exports: a slug changes with a rename or a
    # pseudonymisation, this does not (only ``services.case_rekey`` draws a new one, when the
    # disclosure rules ask that a case no longer be linkable to what was published before).
    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("territoire"), help_text=_("Vide seulement pour une initiative de portée nationale."),
    )
    scope = models.CharField(_("échelle"), max_length=16, choices=Scope.choices, blank=True)
    carrier = models.CharField(_("portage du projet"), max_length=24, choices=Carrier.choices, blank=True)

    # The study's "Principales caractéristiques": a snapshot of the reference figures, editable.
    population_city = models.PositiveIntegerField(_("population de la ville centre"), null=True, blank=True)
    population_epci = models.PositiveIntegerField(_("population de l'EPCI"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année des populations"), null=True, blank=True)
    seasonal_population_peak = models.PositiveIntegerField(
        _("population en pointe saisonnière"), null=True, blank=True
    )
    launch_year = models.PositiveSmallIntegerField(_("année de lancement"), null=True, blank=True)
    launch_date = models.DateField(_("date de lancement"), null=True, blank=True)
    horizon_year = models.PositiveSmallIntegerField(_("principale échéance"), null=True, blank=True)
    dominant_theme = models.CharField(_("thématique dominante"), max_length=32, choices=Theme.choices, blank=True)
    management_mode = models.CharField(
        _("mode de gestion du projet"), max_length=32, choices=ManagementMode.choices, blank=True
    )

    summary = models.TextField(_("présentation"), blank=True, help_text=_("Markdown."), validators=[markdown_length])
    website = models.URLField(_("site web"), blank=True)

    observation_start_year = models.PositiveSmallIntegerField(_("début de l'observation"), null=True, blank=True)
    observation_end_year = models.PositiveSmallIntegerField(_("fin de l'observation"), null=True, blank=True)

    disclosure = models.CharField(
        _("divulgation"), max_length=16, choices=Disclosure.choices, default=Disclosure.NAMED
    )
    pseudonym = models.CharField(_("pseudonyme"), max_length=100, blank=True, validators=[validate_single_line])
    population_disclosure = models.CharField(
        _("divulgation des populations"), max_length=8, choices=PopulationDisclosure.choices,
        default=PopulationDisclosure.BAND,
    )

    # What a reader may know of the case's place and size, derived on every save by cases.disclosure
    # (docs/disclosure.md): for a pseudonymised case, the generalised values that leave at least
    # DISCLOSURE_MIN_K real collectivities matching. Filters, sorting, statistics and every public
    # view read these, never the exact figures above.
    public_region_code = models.CharField(max_length=16, blank=True, editable=False)
    public_area = models.CharField(max_length=8, blank=True, editable=False)  # metro / outremer
    public_city_band = models.CharField(max_length=12, blank=True, editable=False)
    public_epci_band = models.CharField(max_length=12, blank=True, editable=False)
    public_population_floor = models.PositiveIntegerField(null=True, blank=True, editable=False)
    disclosure_k = models.PositiveIntegerField(null=True, blank=True, editable=False)
    disclosure_steps = models.JSONField(default=list, blank=True, editable=False)

    # Folded public name, summary and tool names (cases.text.fold), kept by the services, for full-text
    # search on both databases. A pseudonymised case is indexed under its pseudonym only.
    search_text = models.TextField(blank=True, editable=False)

    status = models.CharField(_("statut"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="submitted_cases", verbose_name=_("soumis par"),
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=[
        "updated_at", "search_text", "public_region_code", "public_area", "public_city_band", "public_epci_band",
        "public_population_floor", "disclosure_k", "disclosure_steps",
    ])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("cas")
        verbose_name_plural = _("cas")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_year__isnull=True) | Q(launch_year__isnull=True)
                | Q(horizon_year__gte=F("launch_year")),
                name="case_horizon_not_before_launch",
                violation_error_message=_("La principale échéance ne peut précéder le lancement."),
            ),
            models.CheckConstraint(
                condition=Q(observation_end_year__isnull=True) | Q(observation_start_year__isnull=True)
                | Q(observation_end_year__gte=F("observation_start_year")),
                name="case_observation_end_not_before_start",
                violation_error_message=_("La fin de l'observation ne peut précéder son début."),
            ),
            models.CheckConstraint(
                condition=~Q(disclosure=Disclosure.PSEUDONYMISED) | ~Q(pseudonym=""),
                name="case_pseudonymised_has_pseudonym",
                violation_error_message=_("Un cas pseudonymisé doit avoir un pseudonyme."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "title"]),
            models.Index(fields=["dominant_theme"]),
            models.Index(fields=["launch_year"]),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # Derived here rather than in the services so that no write path (admin, loaders, services,
        # a future one) can store a case whose public values lag behind its exact ones.
        from cases.disclosure.redaction import refuse_public_copy
        from cases.disclosure.selectors import refresh_public_values

        refuse_public_copy(self)
        update_fields = kwargs.get("update_fields")
        if refresh_public_values(self) and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *DISCLOSURE_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:case_detail", kwargs={"slug": self.slug})

    def clean(self):
        # What the public reads as this case's name: stored normalised, refused if it could pass for
        # another name through look-alike letters.
        self.title, self.pseudonym = display_text(self.title), display_text(self.pseudonym)
        for name in ("title", "pseudonym"):
            try:
                validate_unconfusable(getattr(self, name))
            except ValidationError as error:
                raise ValidationError({name: error}) from None
        if self.launch_date and self.launch_year and self.launch_date.year != self.launch_year:
            raise ValidationError({"launch_date": _("La date de lancement doit tomber dans l'année de lancement.")})
        if self.scope == Scope.NATIONAL and self.territory_id:
            raise ValidationError({"territory": _("Une initiative nationale n'a pas de territoire.")})

    @property
    def is_pseudonymised(self):
        return self.disclosure == Disclosure.PSEUDONYMISED

    @property
    def display_name(self):
        """What the public sees: a pseudonymised case is only ever its pseudonym."""
        return self.pseudonym if self.is_pseudonymised else self.title

    @property
    def shows_exact_population(self):
        # Never for a pseudonymised case, whatever ``population_disclosure`` says: exact figures single a
        # collectivity out (issue 10). The field is kept for the record of what the study printed.
        return not self.is_pseudonymised

    @property
    def public_region(self):
        """The région a reader may know: a pseudonymised case's only when disclosure control kept it."""
        territory = self.territory
        if territory is None:
            return None
        region = territory if territory.kind == "region" else territory.region
        if self.is_pseudonymised and (region is None or region.code != self.public_region_code):
            return None
        return region

    @property
    def public_place(self):
        """A pseudonymised case's place in words: its région, "France métropolitaine", "Outre-mer" or ""."""
        region = self.public_region
        if region is not None:
            return region.name
        return str(dict(PUBLIC_AREAS).get(self.public_area, ""))

    @property
    def public_city_band_label(self):
        return band_label(self.public_city_band) if self.is_pseudonymised else (
            self.population_city_band[1] if self.population_city_band else "")

    @property
    def public_epci_band_label(self):
        return band_label(self.public_epci_band) if self.is_pseudonymised else (
            self.population_epci_band[1] if self.population_epci_band else "")

    @property
    def population_city_band(self):
        return population_band(self.population_city)

    @property
    def population_epci_band(self):
        return population_band(self.population_epci)

    @property
    def secondary_themes(self):
        return [link.theme for link in self.secondary_theme_links.all()]

    @property
    def collection_methods(self):
        return [link.method for link in self.collection_method_links.all()]

    @property
    def highest_mode(self):
        """The highest continuum mode among the case's tools (uses the prefetched tools)."""
        modes = {tool.coproduction_mode for tool in self.tools.all()}
        ranked = sorted(modes, key=CoproductionMode.rank)
        return ranked[-1] if ranked else None

    @property
    def joint_tool_count(self) -> int:
        """Tools a study reports jointly for this case and others (uses the prefetched findings)."""
        return sum(1 for finding in self.study_findings.all() if finding.kind == "tool")

    @property
    def highest_mode_label(self):
        mode = self.highest_mode
        return CoproductionMode(mode).label if mode else ""


class CaseSecondaryTheme(models.Model):
    """One secondary theme of a case: a row per code so that both databases filter and count on it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="secondary_theme_links")
    theme = models.CharField(_("thématique"), max_length=32, choices=Theme.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thématique secondaire")
        verbose_name_plural = _("thématiques secondaires")
        ordering = ["theme"]
        constraints = [models.UniqueConstraint(fields=["case", "theme"], name="case_secondary_theme_unique")]

    def __str__(self):
        return self.get_theme_display()


class CaseCollectionMethod(models.Model):
    """One data-collection method of a case (same storage choice as secondary themes)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="collection_method_links")
    method = models.CharField(_("méthode"), max_length=32, choices=CollectionMethod.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("méthode de collecte")
        verbose_name_plural = _("méthodes de collecte")
        ordering = ["method"]
        constraints = [
            models.UniqueConstraint(fields=["case", "method"], name="case_collection_method_unique")
        ]

    def __str__(self):
        return self.get_method_display()


class RetiredSlug(models.Model):
    """A public slug a case no longer answers to because the case became pseudonymised.

    Its URL answers 410 Gone with a neutral page; the row deliberately holds no link to the case, so
    that nothing — not even a careless join — can lead from the old (named) URL to the pseudonym.
    """

    slug = models.SlugField(max_length=220, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identifiant retiré")
        verbose_name_plural = _("identifiants retirés")

    def __str__(self):
        return self.slug


# The evidence of a case lives in its own module (tools, stakeholders, factors, events, sources); it is
# imported last because its models point back to Case.
from .evidence import CaseChild, DigitalTool, Event, FactorAssessment, Source, Stakeholder  # noqa: E402
