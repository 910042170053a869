"""A case's contributable content as one JSON document: the *payload*.

The contribution form, the working copies kept in ``CaseRevision.data`` and the write API all speak it::

    {"case": {"title": …, "territory": <id>, "carrier": …, "secondary_themes": […], …},
     "tools": [{"id": <id or null>, "name": …, "tool_type": …, "coproduction_mode": …, …}],
     "stakeholders": [{"id": …, "name": …, "helix": …, "role": …}],
     "factors": {"<factor code>": {"assessment": …, "note": …}},
     "sources": [{"id": …, "kind": …, "citation": …, "url": …, "date": "YYYY-MM-DD"}]}

A payload is stored *as typed* (a draft may be incomplete or even invalid: nothing an official typed is
lost) and validated by the forms of ``cases.contributions.submission`` whenever it is submitted, diffed or applied.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Case, DigitalTool, Event, Source, Stakeholder, Territory
from ..vocabularies import Factor

CASE_CONTENT_FIELDS = [
    "title", "territory", "carrier", "population_city", "population_epci", "population_year",
    "seasonal_population_peak", "launch_year", "horizon_year", "dominant_theme", "secondary_themes",
    "management_mode", "summary", "website", "disclosure", "pseudonym",
]
TOOL_FIELDS = [
    "id", "name", "tool_type", "status", "software", "open_source", "url", "launch_year", "end_year",
    "coproduction_mode", "classification_rationale",
]
STAKEHOLDER_FIELDS = ["id", "name", "helix", "role"]
SOURCE_FIELDS = ["id", "kind", "citation", "url", "date"]
EVENT_FIELDS = ["id", "date", "date_precision", "kind", "title", "description"]
ROW_FIELDS = {"tools": TOOL_FIELDS, "stakeholders": STAKEHOLDER_FIELDS, "events": EVENT_FIELDS,
              "sources": SOURCE_FIELDS}
ROW_MODELS = {"tools": DigitalTool, "stakeholders": Stakeholder, "events": Event, "sources": Source}
MAX_ROWS = 50


class PayloadError(ValueError):
    """A payload whose *shape* is wrong (not its values: those are the forms' business)."""


def _plain(value):
    if isinstance(value, Territory):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def case_payload(case: Case) -> dict[str, Any]:
    """The current content of ``case`` as a payload (the starting point of a working copy)."""
    content = {name: _plain(getattr(case, name)) for name in CASE_CONTENT_FIELDS
               if name not in ("territory", "secondary_themes")}
    content["territory"] = case.territory_id
    content["secondary_themes"] = sorted(link.theme for link in case.secondary_theme_links.all())
    factors = {a.factor: {"assessment": a.assessment, "note": a.note} for a in case.factors.all()}
    return {
        "case": content,
        "tools": [{name: _plain(getattr(tool, name)) for name in TOOL_FIELDS}
                  for tool in DigitalTool.objects.filter(case=case).order_by("position", "name", "pk")],
        "stakeholders": [{name: getattr(s, name) for name in STAKEHOLDER_FIELDS}
                         for s in Stakeholder.objects.filter(case=case).order_by("helix", "name", "pk")],
        "events": [{name: _plain(getattr(e, name)) for name in EVENT_FIELDS}
                   for e in Event.objects.filter(case=case).order_by("date", "pk")],
        "factors": factors,
        "sources": [{name: _plain(getattr(s, name)) for name in SOURCE_FIELDS}
                    for s in Source.objects.filter(case=case).order_by("date", "pk")],
    }


def normalise(payload: Any) -> dict[str, Any]:
    """Check a payload's shape (as received from the API) and keep only what it may contain."""
    if not isinstance(payload, dict):
        raise PayloadError(_("Le contenu doit être un objet JSON."))
    case = payload.get("case") or {}
    if not isinstance(case, dict):
        raise PayloadError(_("« case » doit être un objet."))
    result: dict[str, Any] = {"case": {k: v for k, v in case.items() if k in CASE_CONTENT_FIELDS}}
    for key, fields in ROW_FIELDS.items():
        rows = payload.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise PayloadError(_("« %(key)s » doit être une liste d'objets.") % {"key": key})
        if len(rows) > MAX_ROWS:
            raise PayloadError(_("« %(key)s » : %(max)s lignes au plus.") % {"key": key, "max": MAX_ROWS})
        result[key] = [{k: v for k, v in row.items() if k in fields} for row in rows]
    factors = payload.get("factors") or {}
    if not isinstance(factors, dict) or not all(isinstance(v, dict) for v in factors.values()):
        raise PayloadError(_("« factors » doit associer à chaque facteur un objet."))
    result["factors"] = {
        code: {k: v for k, v in row.items() if k in ("assessment", "note")}
        for code, row in factors.items() if code in Factor.values
    }
    return result


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` laid over ``base``: case fields one by one, row lists and factors replaced whole."""
    result = {**base, "case": {**base.get("case", {}), **changes.get("case", {})}}
    for key in ("tools", "stakeholders", "events", "sources", "factors"):
        if key in changes:
            result[key] = changes[key]
    return result


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    kind: str  # added | removed | changed
    label: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class ContentDiff:
    fields: list[FieldChange]
    rows: dict[str, list[RowChange]]

    @property
    def is_empty(self):
        return not self.fields and not any(self.rows.values())


ROW_SECTION_LABELS = {
    "tools": gettext_lazy("Outils numériques"),
    "stakeholders": gettext_lazy("Parties prenantes"),
    "events": gettext_lazy("Chronologie"),
    "sources": gettext_lazy("Sources"),
    "factors": gettext_lazy("Facteurs"),
}


def display(field, value, name: str = "") -> str:
    """A cleaned value as a moderator reads it: choice labels, names, "—" for nothing."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list | tuple):
        return ", ".join(display(field, v, name) for v in value)
    choices = dict(getattr(field, "choices", None) or [])
    if choices and not isinstance(value, Territory):
        return str(choices.get(value, value))
    if isinstance(value, int) and ("population" in name or "peak" in name) and not name.endswith("_year"):
        from django.utils.formats import number_format

        return number_format(value, force_grouping=True)
    return str(value)


def content_diff(before, after) -> ContentDiff:
    """Field by field, row by row: what a revision changes in the published content.

    ``before`` and ``after`` are validated ``CaseSubmission`` objects (see
    ``cases.contributions.submission``), so values are compared once cleaned ("120000" typed equals 120000 stored).
    """
    fields = []
    case_before, case_after = before.cleaned_case(), after.cleaned_case()
    for name, field in after.case_form.fields.items():
        old, new = case_before.get(name), case_after.get(name)
        if _norm(old) != _norm(new):
            fields.append(FieldChange(str(field.label), display(field, old, name), display(field, new, name)))
    rows = {}
    for key in ROW_FIELDS:
        formset = getattr(after, key)
        old_rows = {row.get("id"): row for row in before.cleaned_rows(key) if row.get("id")}
        changes = []
        seen = set()
        for row in after.cleaned_rows(key):
            old = old_rows.get(row.get("id")) if row.get("id") else None
            label = str(row.get("name") or row.get("title") or row.get("citation") or "")[:80]
            if old is None:
                changes.append(RowChange("added", label, [
                    FieldChange(str(f.label), "—", display(f, row.get(n)))
                    for n, f in formset.empty_form.fields.items() if n in ROW_FIELDS[key] and n != "id"
                    and row.get(n) not in (None, "")
                ]))
                continue
            seen.add(row["id"])
            diffs = [
                FieldChange(str(f.label), display(f, old.get(n)), display(f, row.get(n)))
                for n, f in formset.empty_form.fields.items() if n in ROW_FIELDS[key] and n != "id"
                and _norm(old.get(n)) != _norm(row.get(n))
            ]
            if diffs:
                changes.append(RowChange("changed", label, diffs))
        for row_id, old in old_rows.items():
            if row_id not in seen:
                label = str(old.get("name") or old.get("title") or old.get("citation") or "")[:80]
                changes.append(RowChange("removed", label, []))
        rows[key] = changes
    factor_changes = []
    old_factors, new_factors = before.cleaned_factors(), after.cleaned_factors()
    for code, label in Factor.choices:
        old, new = old_factors.get(code, {}), new_factors.get(code, {})
        diffs = []
        assessment_field = after.factors.fields[f"{code}__assessment"]
        if _norm(old.get("assessment") or "unknown") != _norm(new.get("assessment") or "unknown"):
            diffs.append(FieldChange(str(assessment_field.label), display(assessment_field, old.get("assessment")),
                                     display(assessment_field, new.get("assessment"))))
        if _norm(old.get("note")) != _norm(new.get("note")):
            diffs.append(FieldChange(_("Note"), display(None, old.get("note")), display(None, new.get("note"))))
        if diffs:
            factor_changes.append(RowChange("changed", str(label), diffs))
    rows["factors"] = factor_changes
    return ContentDiff(fields, rows)


def _norm(value):
    if value in (None, "", []):
        return None
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if isinstance(value, Territory):
        return value.pk
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


@dataclass(frozen=True)
class Described:
    """A submission laid out for reading: ``(label, value)`` pairs, section by section."""

    fields: list[tuple[str, str]]
    summary: str
    rows: dict[str, list[list[tuple[str, str]]]]
    factors: list[tuple[str, str, str]]


def describe(submission) -> Described:
    """What a validated ``CaseSubmission`` says, as a moderator reads it (identity included)."""
    case = submission.cleaned_case()
    fields = [(str(field.label), display(field, case.get(name), name))
              for name, field in submission.case_form.fields.items() if name != "summary"]
    rows = {}
    for key in ROW_FIELDS:
        form_fields = getattr(submission, key).empty_form.fields
        rows[key] = [
            [(str(form_fields[name].label), display(form_fields[name], row.get(name)))
             for name in ROW_FIELDS[key] if name != "id" and row.get(name) not in (None, "")]
            for row in submission.cleaned_rows(key)
        ]
    factors = []
    for code, label in Factor.choices:
        row = submission.cleaned_factors().get(code) or {}
        field = submission.factors.fields[f"{code}__assessment"]
        if row.get("assessment") not in (None, "", "unknown") or row.get("note"):
            factors.append((str(label), display(field, row.get("assessment")), row.get("note") or ""))
    return Described(fields, case.get("summary") or "", rows, factors)
