"""Codes of the research context (French labels, English in the .po file)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    """Who asserted a coded value."""

    STUDY = "study", _("Étude source")
    SELF_DECLARED = "self_declared", _("Déclaration de la collectivité")
    EDITORS = "editors", _("Éditeurs de l'observatoire")


class FindingKind(models.TextChoices):
    TOOL = "tool", _("Outil numérique")
    DIFFICULTY = "difficulty", _("Difficulté de mise en œuvre")
    MENTION = "mention", _("Mention")


class FindingLevel(models.TextChoices):
    """In exports: a row about one case, or a finding the study reports once for several cases."""

    CASE = "case", _("Cas")
    STUDY = "study", _("Étude")


class CodingVocabulary(models.TextChoices):
    """What a double coding codes; the level of measurement follows (ordinal for the continuum)."""

    CONTINUUM = "continuum", _("Mode de co-production (continuum)")
    FACTOR = "factor", _("Appréciation d'un facteur")


LEVEL_OF_MEASUREMENT = {CodingVocabulary.CONTINUUM: "ordinal", CodingVocabulary.FACTOR: "nominal"}
