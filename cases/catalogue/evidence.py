"""The evidence behind a case: its digital tools (each classified on the continuum), stakeholders,
factor assessments, events and sources. Part of the catalogue's model (``models`` lists them all).
"""


from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..research.models import Provenanced
from ..validators import (
    free_text_length,
    validate_single_line,
)
from ..vocabularies import (
    FACTOR_GROUP_OF,
    Assessment,
    CoproductionMode,
    EventKind,
    Factor,
    Helix,
    SourceKind,
    ToolStatus,
    ToolType,
)


class PublicCopyGuard:
    """A row coarsened for a public page (``cases.disclosure.redaction.public_copy``) is never saved."""

    def save(self, *args, **kwargs):
        from ..disclosure.redaction import refuse_public_copy

        refuse_public_copy(self)
        super().save(*args, **kwargs)


class Source(PublicCopyGuard, models.Model):
    """A piece of evidence behind a case's facts."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("type"), max_length=32, choices=SourceKind.choices)
    citation = models.TextField(_("référence"), validators=[free_text_length])
    url = models.URLField(_("lien"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[free_text_length])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["case", "pk"]

    def __str__(self):
        return self.citation[:80]


class CaseChild(PublicCopyGuard, models.Model):
    """What every child of a case shares: the evidence behind it (each child declares its ``case``)."""

    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source"),
    )

    class Meta:
        abstract = True

    def clean(self):
        if self.source_id and self.case_id and self.source.case_id != self.case_id:
            raise ValidationError({"source": _("La source doit appartenir au même cas.")})


class DigitalTool(CaseChild, Provenanced):
    """One digital tool of a case: the unit of classification on the continuum."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(_("nom"), max_length=200, validators=[validate_single_line])
    tool_type = models.CharField(_("type d'outil"), max_length=32, choices=ToolType.choices)
    coproduction_mode = models.CharField(
        _("mode de co-production"), max_length=16, choices=CoproductionMode.choices
    )
    classification_rationale = models.TextField(
        _("justification du classement"),
        help_text=_("Pourquoi ce mode sur le continuum : le classement est un jugement argumenté."),
        validators=[free_text_length],
    )
    status = models.CharField(_("statut"), max_length=16, choices=ToolStatus.choices, blank=True)
    launch_year = models.PositiveSmallIntegerField(_("année de lancement"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    software = models.CharField(_("logiciel"), max_length=120, blank=True)
    open_source = models.BooleanField(_("logiciel libre"), null=True, blank=True)
    url = models.URLField(_("lien"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outil numérique")
        verbose_name_plural = _("outils numériques")
        ordering = ["case", "position", "name", "pk"]
        constraints = [
            *Provenanced.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(launch_year__isnull=True) | Q(end_year__gte=F("launch_year")),
                name="tool_end_not_before_launch",
                violation_error_message=_("L'année de fin ne peut précéder le lancement."),
            ),
            models.CheckConstraint(
                condition=~Q(classification_rationale=""), name="tool_has_rationale",
                violation_error_message=_("Le classement doit être justifié."),
            ),
        ]
        indexes = [models.Index(fields=["coproduction_mode", "tool_type"])]

    def __str__(self):
        return self.name


class Stakeholder(CaseChild, Provenanced):
    """An actor of the case, placed on the multi-helix model (Carayannis et al., 2012)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("nom"), max_length=200, validators=[validate_single_line])
    helix = models.CharField(_("hélice"), max_length=16, choices=Helix.choices)
    role = models.CharField(_("rôle"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partie prenante")
        verbose_name_plural = _("parties prenantes")
        ordering = ["case", "helix", "name"]
        constraints = [*Provenanced.Meta.constraints]

    def __str__(self):
        return self.name


class FactorAssessment(CaseChild, Provenanced):
    """One factor of the analysis grid as observed in a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="factors")
    factor = models.CharField(_("facteur"), max_length=32, choices=Factor.choices)
    assessment = models.CharField(
        _("appréciation"), max_length=8, choices=Assessment.choices, default=Assessment.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True, validators=[free_text_length])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facteur observé")
        verbose_name_plural = _("facteurs observés")
        ordering = ["case", "factor"]
        constraints = [
            *Provenanced.Meta.constraints,
            models.UniqueConstraint(fields=["case", "factor"], name="factor_unique_per_case"),
        ]

    def __str__(self):
        return f"{self.get_factor_display()} : {self.get_assessment_display()}"

    @property
    def group(self):
        return FACTOR_GROUP_OF.get(self.factor)


class Event(CaseChild):
    """One dated step of the case's timeline."""

    class Precision(models.TextChoices):
        DAY = "day", _("jour")
        MONTH = "month", _("mois")
        YEAR = "year", _("année")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    # A year-only fact stays a year-only fact: 2017 is not 1 January 2017.
    date_precision = models.CharField(
        _("précision de la date"), max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    kind = models.CharField(_("type"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, validators=[free_text_length])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["case", "date", "pk"]

    def __str__(self):
        return f"{self.date} {self.title}"
