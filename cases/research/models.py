"""The source study as a first-class source, the provenance of every coded value, and double coding.

``Provenanced`` is inherited by the catalogue's coded rows (tool classification, factor assessment,
stakeholder helix); a case's own characteristics have one ``CaseFieldProvenance`` row per field, since
one case mixes figures given by the study with facts added later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import free_text_length
from ..vocabularies import Assessment, CoproductionMode, Factor, ToolType
from .vocabularies import CodingVocabulary, FindingKind, Provenance

__all__ = ["CaseFieldProvenance", "Coding", "Provenanced", "Reconciliation", "Study", "StudyFinding"]


class Study(models.Model):
    """A research study the observatory takes facts from. Fields the study does not give stay empty."""

    key = models.SlugField(_("identifiant"), max_length=60, unique=True)
    citation = models.TextField(_("référence"), validators=[free_text_length])
    short_name = models.CharField(_("nom court"), max_length=120)
    authors = models.CharField(_("auteurs"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    method = models.TextField(_("méthode"), blank=True, validators=[free_text_length])
    observation_start_year = models.PositiveSmallIntegerField(_("début de l'observation"), null=True, blank=True)
    observation_end_year = models.PositiveSmallIntegerField(_("fin de l'observation"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=200, blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="studies", blank=True, verbose_name=_("cas"))

    class Meta:
        verbose_name = _("étude")
        verbose_name_plural = _("études")
        ordering = ["key"]

    def __str__(self):
        return self.short_name


class StudyFinding(models.Model):
    """What a study reports once for several cases together (never copied onto each case)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="findings")
    key = models.SlugField(_("identifiant"), max_length=60)
    kind = models.CharField(_("type"), max_length=16, choices=FindingKind.choices)
    cases = models.ManyToManyField("cases.Case", related_name="study_findings", blank=True, verbose_name=_("cas"))
    label = models.CharField(_("intitulé"), max_length=200)
    # The study's classification (its continuum slide) — for a tool finding only.
    coproduction_mode = models.CharField(
        _("mode de co-production"), max_length=16, choices=CoproductionMode.choices, blank=True
    )
    # The observatory's own mapping of the study's wording onto its tool vocabulary (not the study's).
    tool_type = models.CharField(_("type d'outil (codage de l'observatoire)"), max_length=32,
                                 choices=ToolType.choices, blank=True)
    factor = models.CharField(_("facteur"), max_length=32, choices=Factor.choices, blank=True)
    quote = models.TextField(_("texte de l'étude"), validators=[free_text_length])
    reference = models.CharField(_("référence dans l'étude"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("constat de l'étude")
        verbose_name_plural = _("constats de l'étude")
        ordering = ["study", "kind", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["study", "key"], name="study_finding_key_unique")]

    def __str__(self):
        return self.label

    # The same public columns as a provenanced row: a finding is the study's, by definition.
    finding_level = "study"
    provenance = "study"
    validated = False
    validated_at = None

    @property
    def provenance_reference(self):
        return self.reference


class Provenanced(models.Model):
    """Who asserted a coded value, on what evidence, and whether a researcher validated it."""

    provenance = models.CharField(
        _("provenance"), max_length=16, choices=Provenance.choices, default=Provenance.SELF_DECLARED
    )
    provenance_study = models.ForeignKey(
        Study, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("étude"),
    )
    provenance_reference = models.CharField(
        _("référence (diapositive, page)"), max_length=200, blank=True
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            # A value credited to a study names the study.
            models.CheckConstraint(
                condition=~Q(provenance="study") | Q(provenance_study__isnull=False),
                name="%(class)s_study_provenance_names_study",
            ),
        ]

    # A row of one case; what a study reports jointly for several cases is a StudyFinding ("study").
    finding_level = "case"

    @property
    def validated(self) -> bool:
        return self.validated_at is not None


class CaseFieldProvenance(Provenanced):
    """Who asserted one characteristic of a case (its population, launch year, theme…)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="field_provenance")
    field = models.CharField(_("champ"), max_length=40)

    class Meta(Provenanced.Meta):
        verbose_name = _("provenance d'une caractéristique")
        verbose_name_plural = _("provenances des caractéristiques")
        ordering = ["case", "field"]
        constraints = [
            *Provenanced.Meta.constraints,
            models.UniqueConstraint(fields=["case", "field"], name="case_field_provenance_unique"),
        ]

    def __str__(self):
        return f"{self.case_id}.{self.field}: {self.provenance}"


class Coding(models.Model):
    """One coder's independent coding of one item, made blind to the other codings.

    An item is a tool's continuum mode (a case's tool, or a tool the study reports jointly) or one
    factor of a case. ``item`` is its stable key (``tool:12``, ``finding:3``, ``factor:5:resources``):
    the unit of agreement.
    """

    vocabulary = models.CharField(_("vocabulaire"), max_length=16, choices=CodingVocabulary.choices)
    item = models.CharField(_("élément"), max_length=80)
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codings",
                              verbose_name=_("codeur"))
    value = models.CharField(_("valeur"), max_length=32)
    rationale = models.TextField(_("justification"), blank=True, validators=[free_text_length])
    coded_at = models.DateTimeField(_("codé le"), auto_now=True)

    class Meta:
        verbose_name = _("codage")
        verbose_name_plural = _("codages")
        ordering = ["vocabulary", "item", "coded_at"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "item", "coder"], name="coding_one_per_coder_and_item"),
        ]

    def __str__(self):
        return f"{self.item} = {self.value}"


class Reconciliation(models.Model):
    """The value agreed after a disagreement between coders: who decided, and why."""

    vocabulary = models.CharField(_("vocabulaire"), max_length=16, choices=CodingVocabulary.choices)
    item = models.CharField(_("élément"), max_length=80)
    value = models.CharField(_("valeur retenue"), max_length=32)
    reason = models.TextField(_("motif"), validators=[free_text_length])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("décidé par"))
    decided_at = models.DateTimeField(_("décidé le"), auto_now=True)

    class Meta:
        verbose_name = _("arbitrage")
        verbose_name_plural = _("arbitrages")
        ordering = ["vocabulary", "item"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "item"], name="reconciliation_one_per_item"),
            models.CheckConstraint(condition=~Q(reason=""), name="reconciliation_has_reason"),
        ]

    def __str__(self):
        return f"{self.item} → {self.value}"


# Values a coder may give, per vocabulary.
CODING_VALUES = {
    CodingVocabulary.CONTINUUM: CoproductionMode.choices,
    CodingVocabulary.FACTOR: Assessment.choices,
}
