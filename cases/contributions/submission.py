"""The guided form as one object (``CaseSubmission``), with two uses. Bound to a POST it validates
what an official typed; built from a payload (``cases.contributions.payload``: a stored working copy,
or a body sent to the write API) it validates the same content the same way — the HTML form and the
API accept and refuse the same things.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import payload as payloads
from .forms import CaseContentForm, EventFormSet, FactorsForm, SourceFormSet, StakeholderFormSet, ToolFormSet


class CaseSubmission:
    """The whole guided form: the case's fields, its tools, stakeholders, factors and sources.

    Build it from a POST (``CaseSubmission(data=request.POST)``), from a stored or received payload
    (``CaseSubmission.from_payload(payload)``) or, unbound, to display a payload
    (``CaseSubmission(initial=payload)``).
    """

    ROW_FORMSETS = {"tools": ToolFormSet, "stakeholders": StakeholderFormSet, "events": EventFormSet,
                    "sources": SourceFormSet}

    def __init__(self, *, data=None, initial: dict | None = None):
        initial = initial or {}
        self.is_bound = data is not None
        case_initial = dict(initial.get("case", {}))
        self.case_form = CaseContentForm(data, prefix="case", initial=case_initial)
        for key, formset_class in self.ROW_FORMSETS.items():
            setattr(self, key, formset_class(data, prefix=key, initial=None if data is not None else initial.get(key)))
        factor_initial = {}
        for code, row in (initial.get("factors") or {}).items():
            factor_initial[f"{code}__assessment"] = row.get("assessment")
            factor_initial[f"{code}__note"] = row.get("note")
        self.factors = FactorsForm(data, prefix="factors", initial=factor_initial)
        self._submit_errors: dict[str, Any] = {}

    @classmethod
    def from_payload(cls, payload: dict) -> "CaseSubmission":
        payload = payloads.normalise(payload)
        data: dict[str, Any] = {}
        for name, value in payload["case"].items():
            data[f"case-{name}"] = value
        for key in cls.ROW_FORMSETS:
            rows = payload.get(key) or []
            data[f"{key}-TOTAL_FORMS"] = str(len(rows))
            data[f"{key}-INITIAL_FORMS"] = "0"
            for i, row in enumerate(rows):
                for name, value in row.items():
                    data[f"{key}-{i}-{name}"] = value
        for code, row in payload["factors"].items():
            data[f"factors-{code}__assessment"] = row.get("assessment")
            data[f"factors-{code}__note"] = row.get("note")
        return cls(data=data)

    # -- reading what was typed ---------------------------------------------------------------------

    def raw_payload(self) -> dict:
        """What was typed, as a payload: stored as the draft even when it is not valid."""
        case = {name: self.case_form[name].data for name in self.case_form.fields}
        return {
            "case": case,
            "tools": self.tools.raw_rows(),
            "stakeholders": self.stakeholders.raw_rows(),
            "events": self.events.raw_rows(),
            "factors": self.factors.raw(),
            "sources": self.sources.raw_rows(),
        }

    # -- validation -----------------------------------------------------------------------------------

    def is_valid(self, *, submit: bool = False) -> bool:
        valid = all([self.case_form.is_valid(), self.tools.is_valid(), self.stakeholders.is_valid(),
                     self.events.is_valid(), self.sources.is_valid(), self.factors.is_valid()])
        if submit:
            for name in CaseContentForm.required_to_submit:
                if name not in self.case_form.errors and self.case_form.cleaned_data.get(name) in (None, ""):
                    message = (_("Choisissez votre collectivité.") if name == "territory"
                               else _("Ce champ est nécessaire pour soumettre."))
                    self.case_form.add_error(name, message)
                    valid = False
            if not any(self.tools.errors) and not self.cleaned_rows("tools"):
                self._submit_errors["tools"] = [str(_("Décrivez au moins un outil numérique."))]
                valid = False
        return valid

    @property
    def tools_errors(self):
        return self._submit_errors.get("tools", [])

    def cleaned_case(self) -> dict:
        return dict(self.case_form.cleaned_data) if hasattr(self.case_form, "cleaned_data") else {}

    def cleaned_rows(self, key: str) -> list[dict]:
        formset = getattr(self, key)
        rows = []
        for form in formset.kept_forms():
            data = getattr(form, "cleaned_data", None) or {}
            rows.append({name: data.get(name) for name in payloads.ROW_FIELDS[key]})
        return rows

    def cleaned_factors(self) -> dict:
        return self.factors.cleaned() if hasattr(self.factors, "cleaned_data") else {}

    def cleaned(self) -> dict:
        """The validated content, with Python values, as ``services.case_apply_content`` takes it."""
        return {
            "case": self.cleaned_case(),
            "tools": self.cleaned_rows("tools"),
            "stakeholders": self.cleaned_rows("stakeholders"),
            "events": self.cleaned_rows("events"),
            "factors": self.cleaned_factors(),
            "sources": self.cleaned_rows("sources"),
        }

    def errors(self) -> dict:
        """Errors by place, for the API: ``{"case": {field: [...]}, "tools": [{field: [...]}, …], …}``."""
        result: dict[str, Any] = {}
        if self.case_form.errors:
            result["case"] = {k: [str(m) for m in v] for k, v in self.case_form.errors.items()}
        for key in self.ROW_FORMSETS:
            formset = getattr(self, key)
            rows = [{k: [str(m) for m in v] for k, v in e.items()} for e in formset.errors]
            if any(rows):
                result[key] = rows
            non_form = [str(m) for m in formset.non_form_errors()] + self._submit_errors.get(key, [])
            if non_form:
                result[f"{key}_errors"] = non_form
        if self.factors.errors:
            result["factors"] = {k: [str(m) for m in v] for k, v in self.factors.errors.items()}
        return result

    def error_links(self) -> list[tuple[str, str, str]]:
        """``(where, message, element id)`` for each error, in page order: the banner above the form lists
        them and links each one to its field."""
        links = []

        def add(form, where_prefix=""):
            for name, messages in form.errors.items():
                if name == "__all__":
                    links.extend((where_prefix.strip(" —") or str(_("Formulaire")), str(m), "") for m in messages)
                    continue
                field = form[name]
                links.extend((f"{where_prefix}{field.label}", str(m), field.auto_id) for m in messages)

        add(self.case_form)
        for key, title in (("tools", _("Outil")), ("stakeholders", _("Partie prenante")),
                           ("events", _("Étape")), ("sources", _("Source"))):
            formset = getattr(self, key)
            for number, form in enumerate(formset.forms, start=1):
                if form.errors:
                    add(form, f"{title} {number} — ")
            for message in [*formset.non_form_errors(), *self._submit_errors.get(key, [])]:
                links.append((str(title), str(message), f"s-{key}"))
        add(self.factors, f"{_('Facteurs')} — ")
        return links

    @property
    def error_count(self) -> int:
        errors = self.errors()
        count = 0
        for value in errors.values():
            if isinstance(value, dict):
                count += len(value)
            elif value and isinstance(value[0], dict):
                count += sum(len(row) for row in value)
            else:
                count += len(value)
        return count


def parse_payload(payload: dict, *, submit: bool = False) -> CaseSubmission:
    """Validate a payload; raises ``InvalidContent`` (with the errors by place) when it does not pass."""
    try:
        submission = CaseSubmission.from_payload(payload)
    except payloads.PayloadError as error:
        raise InvalidContent({"payload": [str(error)]}) from error
    if not submission.is_valid(submit=submit):
        raise InvalidContent(submission.errors())
    return submission


class InvalidContent(ValidationError):
    """A payload that does not validate; ``errors`` says where, as ``CaseSubmission.errors()`` does."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(_("Le contenu proposé n'est pas valide."), code="invalid_content")
