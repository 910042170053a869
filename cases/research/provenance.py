"""Who asserted a coded value: the rules the services apply.

A value loaded from the study is the study's (with its slide); a contribution is the official's
self-declaration; a change made by a moderator is the observatory editors'. Changing a value clears
its validation: a researcher validated the old value, not the new one.
"""

from django.utils import timezone

from ..permissions import is_moderator
from .models import CaseFieldProvenance
from .vocabularies import Provenance

# The characteristics of a case that are assertions about it (one provenance row each when filled).
CASE_PROVENANCE_FIELDS = (
    "scope", "carrier", "territory", "population_city", "population_epci", "population_year",
    "seasonal_population_peak", "launch_year", "launch_date", "horizon_year", "dominant_theme",
    "management_mode", "observation_start_year", "observation_end_year",
)


def provenance_of(actor) -> str:
    """The provenance of a change made by ``actor`` outside a contribution."""
    return Provenance.EDITORS if is_moderator(actor) else Provenance.SELF_DECLARED


def mark(instance, provenance: str, *, study=None, reference: str = "") -> None:
    """Set who asserted ``instance``'s value (not saved); a new assertion is not validated yet."""
    instance.provenance = provenance
    instance.provenance_study = study if provenance == Provenance.STUDY else None
    instance.provenance_reference = reference if provenance == Provenance.STUDY else ""
    instance.validated_by, instance.validated_at = None, None


def record_case_fields(case, fields, provenance: str, *, study=None, reference: str = "") -> None:
    """Record that ``provenance`` asserted each of ``fields`` of ``case`` (blank fields: forget)."""
    for name in fields:
        if name not in CASE_PROVENANCE_FIELDS:
            continue
        value = getattr(case, name)
        existing = CaseFieldProvenance.objects.filter(case=case, field=name).first()
        if value in (None, ""):
            if existing is not None:
                existing.delete()
            continue
        row = existing or CaseFieldProvenance(case=case, field=name)
        wanted = (provenance, study.pk if study else None, reference if provenance == Provenance.STUDY else "")
        if existing is not None and (row.provenance, row.provenance_study_id, row.provenance_reference) == wanted:
            continue
        mark(row, provenance, study=study, reference=reference)
        row.full_clean()
        row.save()


def validate(instance, *, actor) -> None:
    """A researcher (a moderator) vouches for ``instance``'s value as it stands."""
    instance.validated_by, instance.validated_at = actor, timezone.now()
    instance.save(update_fields=["validated_by", "validated_at"])
