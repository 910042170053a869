"""Reads of the research context: a case's joint findings, the provenance of its characteristics,
the study-level rows that statistics and exports count once, the coding worklists."""

from django.db.models import Prefetch, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ..models import Case, CaseFieldProvenance, Coding, DigitalTool, FactorAssessment, Reconciliation, StudyFinding
from ..vocabularies import CaseStatus
from .vocabularies import CodingVocabulary, FindingKind


def _with_cases():
    return StudyFinding.objects.select_related("study").prefetch_related(
        Prefetch("cases", queryset=Case.objects.published().order_by("title", "pk"), to_attr="published_cases"))


def jointly(finding: StudyFinding) -> str:
    """'Rapporté conjointement pour A, B et C par l'étude source (diap. 9)' — the case-profile wording."""
    cases = getattr(finding, "published_cases", None)
    if cases is None:
        cases = sorted((c for c in finding.cases.all() if c.status == CaseStatus.PUBLISHED),
                       key=lambda c: (c.title, c.pk))
    names = get_text_list([c.display_name for c in cases], _("et"))
    return _("Rapporté conjointement pour %(cases)s par %(study)s (%(reference)s)") % {
        "cases": names, "study": finding.study.short_name, "reference": finding.reference}


def case_findings(case: Case) -> list[StudyFinding]:
    """The study-level findings linked to ``case`` (each carries ``joint_label``)."""
    findings = list(_with_cases().filter(cases=case))
    for finding in findings:
        finding.joint_label = jointly(finding)
    return findings


def case_findings_prefetched(case: Case) -> list[StudyFinding]:
    """``case_findings`` from the prefetched ``study_findings`` (``CaseQuerySet.with_profile``)."""
    findings = list(case.study_findings.all())
    for finding in findings:
        finding.joint_label = jointly(finding)
    return findings


def case_field_provenance(case: Case) -> dict[str, CaseFieldProvenance]:
    return {row.field: row for row in CaseFieldProvenance.objects.filter(case=case).select_related("provenance_study")}


def study_tools(cases):
    """Tools the studies report for any of ``cases``: one row per finding, however many cases share it."""
    return StudyFinding.objects.filter(kind=FindingKind.TOOL, cases__in=cases).distinct()


def study_findings_for_export(cases):
    """The study-level findings of any of ``cases``, each once (a release's study_findings table)."""
    return _with_cases().filter(cases__in=cases).distinct().order_by("study", "kind", "position", "pk")


# --- double coding --------------------------------------------------------------------------------

def coding_items(vocabulary: str):
    """``(item key, label, context)`` of every item a moderator may code in ``vocabulary``."""
    if vocabulary == CodingVocabulary.CONTINUUM:
        for finding in StudyFinding.objects.filter(kind=FindingKind.TOOL).select_related("study"):
            yield f"finding:{finding.pk}", finding.label, finding.quote
        for tool in DigitalTool.objects.select_related("case").filter(case__in=Case.objects.published()):
            yield f"tool:{tool.pk}", tool.name, tool.case.display_name
    else:
        for finding in StudyFinding.objects.filter(kind=FindingKind.DIFFICULTY).select_related("study"):
            yield f"finding:{finding.pk}", finding.label, finding.quote
        for row in FactorAssessment.objects.select_related("case").filter(case__in=Case.objects.published()):
            yield f"factor:{row.case_id}:{row.factor}", row.get_factor_display(), row.case.display_name


def my_codings(user, vocabulary: str) -> dict[str, Coding]:
    """The user's own codings — never anyone else's (the coding is blind)."""
    return {c.item: c for c in Coding.objects.filter(coder=user, vocabulary=vocabulary)}


def disagreements():
    """Items coded by two coders or more who did not all give the same value, with their reconciliation."""
    by_item: dict[tuple[str, str], list[Coding]] = {}
    for coding in Coding.objects.select_related("coder").order_by("vocabulary", "item", "coder_id"):
        by_item.setdefault((coding.vocabulary, coding.item), []).append(coding)
    decided = {(r.vocabulary, r.item): r for r in Reconciliation.objects.select_related("decided_by")}
    return [
        {"vocabulary": vocabulary, "item": item, "codings": codings, "reconciliation": decided.get((vocabulary, item))}
        for (vocabulary, item), codings in by_item.items()
        if len(codings) >= 2 and len({c.value for c in codings}) > 1
    ]


def provenance_q(values, prefix: str = "") -> Q:
    """Rows whose provenance is one of ``values`` (for the shared FilterSet)."""
    return Q(**{f"{prefix}provenance__in": values})


def study_tool_rows(filters):
    """Tools studies report jointly for the cases ``filters`` select, each once (for the tool CSV).

    The tool-level filters (mode, tool type) select the finding itself, as they select a tool.
    """
    from ..catalogue.selectors import case_list

    cases = case_list(filters=filters)
    findings = study_tools(cases.order_by().values("pk"))
    modes, types = filters.getlist("mode"), filters.getlist("tool_type")
    if filters.getlist("tool_status"):
        return []  # the studies give no tool status
    if modes:
        findings = findings.filter(coproduction_mode__in=modes)
    if types:
        findings = findings.filter(tool_type__in=types)
    return findings.select_related("study").prefetch_related("cases").order_by("study", "position", "pk")
