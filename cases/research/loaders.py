"""``load_study_cases``: what the source study says, and nothing else (cases/data/study_cases.json).

- the study itself (a ``Study``), linked to the cases it observed;
- each case's characteristics that the study gives, credited to it with their slide; a field the study
  does not give is emptied, unless the editors or the official asserted it since;
- findings the study reports jointly for several cases (its tool list for "Collectivités A, B & C",
  its three difficulties, its two Covid-19 citizen initiatives) recorded once, as ``StudyFinding``s;
- rows an earlier version of this loader made up are retired: the tools and factors it copied onto
  each case, its source citation, the names, themes and modes it gave the Covid-19 initiatives.

Idempotent: a second run writes nothing (no row, no history entry, no moderation event).

The cases are published, and A, B and C pseudonymised: every one must pass the disclosure gate
(``cases.disclosure.gate``), checked at the end of every run, whether it wrote anything or not. The loader
has no override: a case that fails raises ``DisclosureRefused`` and the whole load is rolled back.
"""

import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from ..catalogue.services import case_child_delete, case_child_save, case_create, case_update, update_fields
from ..disclosure.gate import disclosure_gate, gated_write, is_public_pseudonymised
from ..models import Case, CaseFieldProvenance, DigitalTool, FactorAssessment, Source, Stakeholder, Study, StudyFinding
from ..vocabularies import CaseStatus, Disclosure
from .provenance import CASE_PROVENANCE_FIELDS, record_case_fields
from .vocabularies import Provenance

STUDY_KEYS = ("short_name", "citation", "authors", "year", "method", "observation_start_year",
              "observation_end_year", "document")
EMPTY = {"territory": None, "launch_date": None, "population_year": None}


def _empty(field: str):
    if field in EMPTY:
        return EMPTY[field]
    return "" if Case._meta.get_field(field).get_internal_type() == "CharField" else None


def _asserted_by_others(case: Case) -> set[str]:
    """Fields of ``case`` the editors or the official asserted: the loader leaves those alone."""
    if case.pk is None:
        return set()
    return set(CaseFieldProvenance.objects.filter(case=case).exclude(provenance=Provenance.STUDY)
               .values_list("field", flat=True))


def _case_fields(spec: dict, case: Case | None) -> dict:
    keep = _asserted_by_others(case) if case else set()
    fields = {name: _empty(name) for name in CASE_PROVENANCE_FIELDS if name not in keep}
    fields.update(spec["study_fields"])
    fields.update(disclosure=Disclosure.PSEUDONYMISED, pseudonym=spec["pseudonym"],
                  population_disclosure=spec.get("population_disclosure", "exact"), summary=spec["summary"],
                  website="")
    return fields


def _upsert_case(spec: dict, stats: Counter) -> Case:
    case = Case.objects.filter(slug=spec["slug"]).first()
    if case is None and spec.get("replaces"):
        case = Case.objects.filter(slug=spec["replaces"]).first()
    fields = _case_fields(spec, case)
    methods = spec.get("collection_methods", [])
    if case is None:
        case = case_create(title=spec["title"], slug=spec["slug"], status=CaseStatus.PUBLISHED,
                           comment="Chargé depuis l'étude source (load_study_cases).",
                           collection_methods=methods, **fields)
        stats["cases created"] += 1
    else:
        changed = {name: value for name, value in {"title": spec["title"], **fields}.items()
                   if getattr(case, name) != value}
        if changed or sorted(case.collection_methods) != sorted(methods) or case.secondary_themes:
            case_update(case=case, collection_methods=methods, secondary_themes=[], **changed)
            stats["cases updated"] += 1
    if case.slug != spec["slug"]:
        raise ValueError(f"{spec['slug']}: the case was published as {case.slug}")
    return case


def _retire_made_up_rows(case: Case, retired_sources: list[str], stats: Counter) -> None:
    """Tools, factors and stakeholders an earlier loader credited to the study, which it never said of this case."""
    old = list(Source.objects.filter(case=case, citation__in=retired_sources).values_list("pk", flat=True))
    for model in (DigitalTool, FactorAssessment, Stakeholder):
        made_up = model.objects.filter(case=case).filter(source_id__in=old) if old else model.objects.none()
        made_up = made_up | model.objects.filter(case=case, provenance=Provenance.STUDY)
        for row in made_up.distinct():
            case_child_delete(instance=row)
            stats[f"{model._meta.model_name} retired"] += 1
    for source in Source.objects.filter(pk__in=old):
        case_child_delete(instance=source)
        stats["sources retired"] += 1


@transaction.atomic
def load_study_cases(path: Path) -> Counter:
    """Create or update the study, its cases and its findings from ``path``; returns what was written."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    # Strict: what the loader publishes is judged whole, like a publication, not against what it replaces.
    with gated_write(strict=True):
        stats = _load(data)
    for case in Case.objects.filter(slug__in=[spec["slug"] for spec in data["cases"]]).select_related("territory"):
        if is_public_pseudonymised(case):
            disclosure_gate(case=case)
    return stats


def _load(data: dict) -> Counter:
    stats: Counter = Counter()
    spec = data["study"]
    study = Study.objects.filter(key=spec["key"]).first() or Study(key=spec["key"])
    if update_fields(study, {k: spec[k] for k in STUDY_KEYS}) or study.pk is None:
        study.full_clean()
        study.save()
        stats["studies written"] += 1

    cases = {}
    for case_spec in data["cases"]:
        case = _upsert_case(case_spec, stats)
        cases[case.slug] = case
        _retire_made_up_rows(case, data.get("retired_source_citations", []), stats)
        record_case_fields(case, case_spec["study_fields"], Provenance.STUDY, study=study,
                           reference=case_spec["reference"])
        if not Source.objects.filter(case=case, citation=study.citation).exists():
            case_child_save(instance=Source(case=case, citation=study.citation, **data["source"]))
            stats["sources created"] += 1
    if set(study.cases.values_list("pk", flat=True)) != {c.pk for c in cases.values()}:
        study.cases.set(cases.values())

    wanted = set()
    for position, finding_spec in enumerate(data["findings"]):
        wanted.add(finding_spec["key"])
        values = {k: finding_spec.get(k, "") for k in ("kind", "label", "coproduction_mode", "tool_type", "factor",
                                                        "quote", "reference")}
        values["position"] = position
        finding = StudyFinding.objects.filter(study=study, key=finding_spec["key"]).first()
        if finding is None:
            finding = StudyFinding(study=study, key=finding_spec["key"], **values)
        if finding.pk is None or update_fields(finding, values):
            finding.full_clean()
            finding.save()
            stats["findings written"] += 1
        linked = {cases[slug].pk for slug in finding_spec["cases"]}
        if set(finding.cases.values_list("pk", flat=True)) != linked:
            finding.cases.set(linked)
    deleted, _ = StudyFinding.objects.filter(study=study).exclude(key__in=wanted).delete()
    if deleted:
        stats["findings retired"] += deleted
    return stats
