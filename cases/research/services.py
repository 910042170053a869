"""Writes of the research context: a coder's blind coding, a reconciliation, a validation.

Keyword-only, atomic, validated before saving. Who may call them is decided by the one gate
(``cases.permissions.abilities``: ``code`` and ``reconcile``), asked by the views.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..catalogue.services import factor_assess, tool_classify
from ..models import Case, Coding, DigitalTool, Reconciliation, StudyFinding
from .models import CODING_VALUES
from .provenance import validate
from .vocabularies import CodingVocabulary, FindingKind

FINDING_KIND_OF = {CodingVocabulary.CONTINUUM: FindingKind.TOOL, CodingVocabulary.FACTOR: FindingKind.DIFFICULTY}


def _check(vocabulary: str, item: str, value: str) -> None:
    if value not in dict(CODING_VALUES[vocabulary]):
        raise ValidationError({"value": _("Valeur inconnue pour ce vocabulaire.")})
    kind, _sep, rest = item.partition(":")
    exists = {
        "finding": lambda: StudyFinding.objects.filter(pk=rest, kind=FINDING_KIND_OF[vocabulary]).exists(),
        "tool": lambda: vocabulary == CodingVocabulary.CONTINUUM and DigitalTool.objects.filter(pk=rest).exists(),
        "factor": lambda: vocabulary == CodingVocabulary.FACTOR
        and Case.objects.filter(pk=rest.partition(":")[0], factors__factor=rest.partition(":")[2]).exists(),
    }.get(kind)
    if exists is None or not rest or not all(part.isdigit() for part in rest.split(":")[:1]) or not exists():
        raise ValidationError({"item": _("Élément à coder inconnu.")})


@transaction.atomic
def coding_record(*, coder, vocabulary: str, item: str, value: str, rationale: str = "") -> Coding:
    """Record (or revise) ``coder``'s own coding of ``item``; other coders' codings are never read."""
    _check(vocabulary, item, value)
    coding = Coding.objects.filter(coder=coder, vocabulary=vocabulary, item=item).first() or Coding(
        coder=coder, vocabulary=vocabulary, item=item)
    coding.value, coding.rationale = value, rationale
    coding.full_clean()
    coding.save()
    return coding


@transaction.atomic
def reconcile(*, actor, vocabulary: str, item: str, value: str, reason: str) -> Reconciliation:
    """Settle a disagreement: record who decided what and why, and apply it to a case's own row.

    A case's tool or factor takes the reconciled value as the editors' coding, validated by ``actor``;
    a study's finding keeps the study's coding (the reconciliation is the observatory's reading of it).
    """
    _check(vocabulary, item, value)
    if not reason.strip():
        raise ValidationError({"reason": _("Dites pourquoi cette valeur a été retenue.")})
    row = Reconciliation.objects.filter(vocabulary=vocabulary, item=item).first() or Reconciliation(
        vocabulary=vocabulary, item=item)
    row.value, row.reason, row.decided_by = value, reason, actor
    row.full_clean()
    row.save()
    kind, _sep, rest = item.partition(":")
    if kind == "tool":
        tool = DigitalTool.objects.get(pk=rest)
        if tool.coproduction_mode != value:
            tool_classify(tool=tool, coproduction_mode=value, classification_rationale=reason, actor=actor)
        validate(tool, actor=actor)
    elif kind == "factor":
        case_pk, _sep, factor = rest.partition(":")
        assessment = factor_assess(case=Case.objects.get(pk=case_pk), factor=factor, assessment=value, actor=actor)
        validate(assessment, actor=actor)
    return row



@transaction.atomic
def case_values_validate(*, case: Case, actor) -> int:
    """A researcher vouches for every coded value of ``case`` as it stands; returns how many."""
    from ..models import CaseFieldProvenance, FactorAssessment, Stakeholder

    rows = [*CaseFieldProvenance.objects.filter(case=case), *DigitalTool.objects.filter(case=case),
            *FactorAssessment.objects.filter(case=case), *Stakeholder.objects.filter(case=case)]
    for row in rows:
        validate(row, actor=actor)
    return len(rows)
