"""Loading the source study's cases from the committed data file, through the services.

Idempotent: each record is matched on a natural key (case slug; tool name, factor code and source
citation within a case) and written only when something differs, so a second run writes nothing —
no new row, no new history entry, no new moderation event.
"""

import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from cases.catalogue.services import case_child_save, case_create, case_update, update_fields

from ..models import Case, DigitalTool, FactorAssessment, Source
from ..vocabularies import CaseStatus

CHILD_KEYS = {"tools", "factors", "include", "slug", "title", "collection_methods", "secondary_themes"}


def _upsert_child(model, *, case, key: dict, values: dict, stats: Counter, label: str):
    instance = model.objects.filter(case=case, **key).first()
    if instance is None:
        instance = model(case=case, **key, **values)
        case_child_save(instance=instance)
        stats[f"{label} created"] += 1
    elif update_fields(instance, values):
        case_child_save(instance=instance)
        stats[f"{label} updated"] += 1
    return instance


@transaction.atomic
def load_study_cases(path: Path) -> Counter:
    """Create or update the study's cases from ``path``; returns counts of what was written."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    stats: Counter = Counter()
    source_spec = data["source"]
    for spec in data["cases"]:
        group = data["groups"].get(spec.get("include"), {}) if spec.get("include") else {}
        fields = {k: v for k, v in spec.items() if k not in CHILD_KEYS}
        for key in ("observation_start_year", "observation_end_year"):
            if key in group:
                fields.setdefault(key, group[key])
        collection_methods = spec.get("collection_methods", group.get("collection_methods", []))
        secondary_themes = spec.get("secondary_themes", [])

        case = Case.objects.filter(slug=spec["slug"]).first()
        if case is None:
            case = case_create(
                title=spec["title"], slug=spec["slug"], status=CaseStatus.PUBLISHED,
                comment="Chargé depuis l'étude source (load_study_cases).",
                secondary_themes=secondary_themes, collection_methods=collection_methods, **fields,
            )
            stats["cases created"] += 1
        else:
            changed = update_fields(case, {"title": spec["title"], **fields})
            if changed or sorted(case.collection_methods) != sorted(collection_methods) or sorted(
                case.secondary_themes
            ) != sorted(secondary_themes):
                case_update(
                    case=case, title=spec["title"], secondary_themes=secondary_themes,
                    collection_methods=collection_methods, **fields,
                )
                stats["cases updated"] += 1

        source = _upsert_child(
            Source, case=case, key={"citation": source_spec["citation"]},
            values={"kind": source_spec["kind"], "note": source_spec.get("note", "")},
            stats=stats, label="sources",
        )
        rationales = group.get("rationales", {})
        tools = spec.get("tools", group.get("tools", []))
        for position, tool in enumerate(tools):
            values = {
                "tool_type": tool["tool_type"],
                "coproduction_mode": tool["coproduction_mode"],
                "classification_rationale": tool.get("classification_rationale")
                or rationales[tool["coproduction_mode"]],
                "position": position,
                "source": source,
            }
            _upsert_child(DigitalTool, case=case, key={"name": tool["name"]}, values=values, stats=stats,
                          label="tools")
        for factor in spec.get("factors", group.get("factors", [])):
            values = {"assessment": factor["assessment"], "note": factor.get("note", ""), "source": source}
            _upsert_child(FactorAssessment, case=case, key={"factor": factor["factor"]}, values=values,
                          stats=stats, label="factors")
    return stats
