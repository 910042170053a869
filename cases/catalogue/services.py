"""Writes to a case and its children (views, admin, API, loaders alike go through these).

Each service is keyword-only, atomic, validates with ``full_clean()`` before saving and performs its
side effects itself — never in ``save()`` or in signals. Workflow transitions are in
``cases.moderation.workflow`` and ``cases.moderation.services``; contributions in
``cases.contributions.services``.
"""

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..disclosure.gate import gated_write
from ..disclosure.links import strip_links
from ..models import (
    Case,
    CaseCollectionMethod,
    CaseRevision,
    CaseSecondaryTheme,
    DigitalTool,
    Event,
    FactorAssessment,
    ModerationEvent,
    RetiredSlug,
    Source,
    Stakeholder,
    Territory,
)
from ..research.models import Coding, Reconciliation
from ..research.provenance import mark, provenance_of, record_case_fields
from ..research.vocabularies import Provenance
from ..text import fold
from ..vocabularies import (
    REVISION_OPEN_STATUSES,
    CaseStatus,
    Disclosure,
    TerritoryKind,
)
from .freshness import case_is_public, data_changed

CASE_FIELDS = frozenset(
    f.name
    for f in Case._meta.get_fields()
    if getattr(f, "concrete", False) and not f.auto_created and f.editable
    and f.name not in {"slug", "status", "published_at", "created_at", "updated_at", "submitted_by"}
)


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:200] or "cas"
    slug, n = base, 2
    existing = Case.objects.exclude(pk=exclude_pk) if exclude_pk else Case.objects.all()
    # A retired slug (cases.catalogue.models.RetiredSlug) is never given again: its URL stays 410 Gone.
    while existing.filter(slug=slug).exists() or RetiredSlug.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _public_slug_source(case: Case) -> str:
    # The slug is public: a pseudonymised case must not carry its real title in its URL.
    return case.pseudonym if case.disclosure == Disclosure.PSEUDONYMISED else case.title


# A case gets its public slug when it is first published. Until then its slug is opaque: a slug made
# from the title would come back as "titre-2" when an unpublished case had that title already, and so
# tell its author that someone else's draft bears it.
DRAFT_SLUG_PREFIX = "brouillon-"


def draft_slug() -> str:
    return DRAFT_SLUG_PREFIX + secrets.token_hex(8)


def public_slug(case: Case) -> str:
    """The slug ``case`` is published under (unique, from its public name)."""
    return _unique_slug(_public_slug_source(case), exclude_pk=case.pk)


def has_draft_slug(case: Case) -> bool:
    return case.slug.startswith(DRAFT_SLUG_PREFIX)


def _check_public_name(case: Case) -> None:
    """A case may not be shown under another case's pseudonym (accents and case aside)."""
    name = fold(case.display_name)
    taken = Case.objects.exclude(pk=case.pk).filter(disclosure=Disclosure.PSEUDONYMISED).values_list(
        "pseudonym", flat=True)
    if name and any(fold(pseudonym) == name for pseudonym in taken):
        field = "pseudonym" if case.is_pseudonymised else "title"
        raise ValidationError({field: _("Ce nom est le pseudonyme d'un autre cas : choisissez-en un autre.")})


def population_snapshot(territory: Territory | None) -> dict[str, Any]:
    """The reference populations of ``territory`` (and of its EPCI) to copy onto a new case."""
    if territory is None:
        return {}
    snapshot: dict[str, Any] = {"population_year": territory.population_year}
    if territory.kind == TerritoryKind.COMMUNE:
        snapshot["population_city"] = territory.population
        if territory.epci_id:
            snapshot["population_epci"] = territory.epci.population
    elif territory.kind in (TerritoryKind.EPCI, TerritoryKind.EPT):
        snapshot["population_epci"] = territory.population
    return {k: v for k, v in snapshot.items() if v is not None}


def search_text_of(case: Case, tools) -> str:
    """What full-text search indexes for ``case``: its public name, summary, and ``(name, software)`` of its tools.

    A pseudonymised case is indexed on its public texts only: searching a domain written in its summary
    must not find it (``cases.disclosure.links``).
    """
    texts = [case.summary, *(f"{name} {software}" for name, software in tools)]
    if case.is_pseudonymised:
        texts = [strip_links(text) for text in texts]
    return fold(" ".join([case.display_name, *texts]))


def case_reindex(*, case: Case) -> None:
    """Re-index the case for full-text search (its public name, summary, tools and their software)."""
    text = search_text_of(case, DigitalTool.objects.filter(case=case).values_list("name", "software"))
    if text != case.search_text:
        # A plain UPDATE: indexing is not an edit, so it writes no history row.
        Case.objects.filter(pk=case.pk).update(search_text=text)
        case.search_text = text
        if case_is_public(case.pk):  # an UPDATE sends no signal, and search results are counted in facets
            data_changed()


def _renew_public_identifiers(case: Case, old_slug: str) -> None:
    """A case that becomes pseudonymised must not be linkable to its named past (issue 10); nor, named
    again, to what it published as a pseudonym (that would name the pseudonym after the fact).

    Its old slug is retired (its URL answers 410 Gone, cases.catalogue.views.profile), every child gets a
    new id — tools, sources, stakeholders, factors and events: the API, the exports and the releases
    publish those ids, and an old file's ``tool_id`` or ``source_id`` must not lead to the pseudonym —,
    and it gets a new ``public_id`` (the changes feed lists the old one as withdrawn). Pending updates and
    research codings follow the new ids. Its publication instant restarts too: ``published_at`` is public
    to the second, and the same instant on both sides would join them.
    """
    if case.published_at is not None:
        case.published_at = timezone.now()
    case_rekey(case=case)
    if old_slug and old_slug != case.slug:
        RetiredSlug.objects.get_or_create(slug=old_slug)
    new_ids = _rekey_children(case)
    _remap_open_revisions(case, new_ids)
    for old, new in new_ids["tools"].items():
        Coding.objects.filter(item=f"tool:{old}").update(item=f"tool:{new}")
        Reconciliation.objects.filter(item=f"tool:{old}").update(item=f"tool:{new}")


# Sources first: the other children point to them.
REKEYED_CHILDREN = {"sources": Source, "tools": DigitalTool, "stakeholders": Stakeholder,
                    "factors": FactorAssessment, "events": Event}


def _rekey_children(case: Case) -> dict[str, dict[int, int]]:
    """Give every child of ``case`` a new id (same values, history kept as a deletion and a creation).

    Each row is deleted before its copy is written (a factor is unique per case), and every row is read
    before any is deleted, so that a child keeps its source (deleting a source empties its children's).
    """
    rows = {key: list(model.objects.filter(case=case).order_by("pk")) for key, model in REKEYED_CHILDREN.items()}
    new_ids: dict[str, dict[int, int]] = {}
    for key in REKEYED_CHILDREN:
        mapping = {}
        for row in rows[key]:
            old_pk = row.pk
            row.delete()
            row.pk = row.id = None
            row._state.adding = True
            if key != "sources" and row.source_id is not None:
                row.source_id = new_ids["sources"].get(row.source_id)
            row.save()
            mapping[old_pk] = row.pk
        new_ids[key] = mapping
    return new_ids


def _remap_open_revisions(case: Case, new_ids: dict[str, dict[int, int]]) -> None:
    """Pending updates of a case just re-keyed speak of its new ids and of its new disclosure.

    A working copy (``CaseRevision.data``, a ``contributions.payload``) names each row it changes by its
    ``id``: with the old ids, approving it would create the rows again and delete the re-keyed ones. It
    also carries the disclosure the case had when the copy was started: approving it must not undo the
    change (make a pseudonymised case named again, or the other way round).
    """
    for revision in CaseRevision.objects.select_for_update().filter(case=case, status__in=REVISION_OPEN_STATUSES):
        data = dict(revision.data or {})
        for key, mapping in new_ids.items():
            wanted = {str(old): new for old, new in mapping.items()}
            if isinstance(data.get(key), list):
                data[key] = [dict(row, id=wanted.get(str(row.get("id")), row.get("id"))) if isinstance(row, dict)
                             else row for row in data[key]]
        content = data.get("case") if isinstance(data.get("case"), dict) else {}
        data["case"] = {**content, "disclosure": case.disclosure, "pseudonym": case.pseudonym}
        if data != revision.data:
            revision.data = data
            revision.save(update_fields=["data", "updated_at"])


def _set_links(case: Case, model, field: str, codes: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(codes))
    current = {getattr(link, field): link for link in model.objects.filter(case=case)}
    for code, link in current.items():
        if code not in wanted:
            link.delete()
    for code in wanted:
        if code not in current:
            link = model(case=case, **{field: code})
            link.full_clean()
            link.save()


@transaction.atomic
def case_create(
    *,
    title: str,
    actor=None,
    secondary_themes: Iterable[str] = (),
    collection_methods: Iterable[str] = (),
    status: str = CaseStatus.DRAFT,
    slug: str | None = None,
    comment: str = "",
    provenance: str | None = None,
    disclosure_override: str = "",
    **fields: Any,
) -> Case:
    """Create a case (a draft unless ``status`` says otherwise).

    When a territory is given and no population figure is, the reference populations are snapshotted
    onto the case, where they stay editable. A pseudonymised case created published passes the
    disclosure gate (``cases.disclosure.gate``) like any publication.
    """
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"case_create() got unexpected fields: {sorted(unknown)}")
    with gated_write(override=disclosure_override, actor=actor) as gate:
        case = _create(title=title, actor=actor, secondary_themes=secondary_themes,
                       collection_methods=collection_methods, status=status, slug=slug, comment=comment,
                       provenance=provenance, fields=fields)
        gate.created(case.pk)
    return case


def _create(*, title, actor, secondary_themes, collection_methods, status, slug, comment, provenance,
            fields) -> Case:
    territory = fields.get("territory")
    snapshot = {}
    if territory is not None and not any(
        fields.get(k) is not None for k in ("population_city", "population_epci", "population_year")
    ):
        snapshot = population_snapshot(territory)
        fields.update(snapshot)
    case = Case(title=title, status=status, submitted_by=actor if status != CaseStatus.PUBLISHED else None,
                **fields)
    if status == CaseStatus.PUBLISHED:
        case.published_at = timezone.now()
        case.slug = slug or public_slug(case)
    else:
        case.slug = slug or draft_slug()
    case.full_clean()
    _check_public_name(case)
    case.save()
    _set_links(case, CaseSecondaryTheme, "theme", secondary_themes)
    _set_links(case, CaseCollectionMethod, "method", collection_methods)
    case_reindex(case=case)
    _record_provenance(case, [name for name in fields if name not in snapshot], actor, provenance)
    if snapshot and (actor is not None or provenance is not None):
        # The populations come from the observatory's reference data (INSEE), not from the official.
        record_case_fields(case, snapshot, Provenance.EDITORS)
    ModerationEvent.objects.create(case=case, actor=actor, from_status="", to_status=status,
                                   comment=comment or _("Création du cas."))
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor=None,
    secondary_themes: Iterable[str] | None = None,
    collection_methods: Iterable[str] | None = None,
    provenance: str | None = None,
    disclosure_override: str = "",
    **fields: Any,
) -> Case:
    """Change a case's fields; returns the case. A field left out is left unchanged.

    The fields that change are recorded as asserted by ``provenance`` (by default: the editors when
    ``actor`` is a moderator, the official otherwise; nobody when there is no actor). A change to a
    published pseudonymised case (or one that pseudonymises a published case) passes the disclosure
    gate: refused, unless ``disclosure_override`` gives a reason, if it brings an identifying name, an
    address or a too small *k* (``cases.disclosure.gate``).
    """
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"case_update() got unexpected fields: {sorted(unknown)}")
    with gated_write(override=disclosure_override, actor=actor) as gate:
        gate.touch(case.pk)
        return _update(case=case, actor=actor, secondary_themes=secondary_themes,
                       collection_methods=collection_methods, provenance=provenance, fields=fields)


def _update(*, case, actor, secondary_themes, collection_methods, provenance, fields) -> Case:
    # Compared with the stored row, not with ``case``: the admin hands over an instance its form has
    # already changed.
    stored = Case.objects.select_related("territory").get(pk=case.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    was_public = not has_draft_slug(stored)  # published at least once: its slug and ids have been seen
    for name, value in fields.items():
        setattr(case, name, value)
    old_slug = stored.slug
    if ("disclosure" in fields or "pseudonym" in fields) and not has_draft_slug(case):
        case.slug = public_slug(case)
    case.full_clean()
    _check_public_name(case)
    case.save()
    if was_public and stored.disclosure != case.disclosure:
        _renew_public_identifiers(case, old_slug)
    if secondary_themes is not None:
        _set_links(case, CaseSecondaryTheme, "theme", secondary_themes)
    if collection_methods is not None:
        _set_links(case, CaseCollectionMethod, "method", collection_methods)
    case_reindex(case=case)
    _record_provenance(case, changed, actor, provenance)
    return case


def _touch(case_id) -> None:
    """A child changed: so did the public record of its case (``updated_since``, ``/api/v1/changes/``).

    A plain UPDATE: ``updated_at`` is not part of the history, and the child wrote its own history row.
    """
    Case.objects.filter(pk=case_id).update(updated_at=timezone.now())


def _record_provenance(case: Case, fields: Iterable[str], actor, provenance: str | None) -> None:
    if provenance is None and actor is not None:
        provenance = provenance_of(actor)
    if provenance is not None:
        record_case_fields(case, fields, provenance)


# The coded part of each provenanced child: changing one of these is a new assertion.
CODED_FIELDS = {
    DigitalTool: ("coproduction_mode", "tool_type", "classification_rationale"),
    Stakeholder: ("name", "helix", "role"),
    FactorAssessment: ("assessment", "note"),
}


def _mark_child(instance, actor, provenance: str | None) -> None:
    coded = CODED_FIELDS.get(type(instance))
    if coded is None or (provenance is None and actor is None):
        return
    before = type(instance).objects.filter(pk=instance.pk).values(*coded).first() if instance.pk else None
    if before is None or any(before[name] != getattr(instance, name) for name in coded):
        mark(instance, provenance or provenance_of(actor))


def _save_child(instance, *, override: str = "", actor=None):
    # The texts of a child are public texts of its case: the disclosure gate judges the case once written
    # (both cases when a row moves from one to another, as the admin allows).
    with gated_write(override=override, actor=actor) as gate:
        if instance.pk is not None:
            gate.touch(type(instance).objects.filter(pk=instance.pk).values_list("case_id", flat=True).first())
        gate.touch(instance.case_id)
        instance.full_clean()
        instance.save()
        if isinstance(instance, DigitalTool):
            case_reindex(case=instance.case)
        _touch(instance.case_id)
    return instance


@transaction.atomic
def case_child_save(*, instance, actor=None, provenance: str | None = None, disclosure_override: str = ""):
    """Validate and save a tool, stakeholder, factor, event or source already bound to its case.

    A new or changed coded value is recorded as asserted by ``provenance`` (or as ``actor``'s, see
    ``case_update``). The disclosure gate applies as in ``case_update``.
    """
    _mark_child(instance, actor, provenance)
    return _save_child(instance, override=disclosure_override, actor=actor)


@transaction.atomic
def case_child_delete(*, instance) -> None:
    instance.delete()
    if isinstance(instance, DigitalTool):
        case_reindex(case=instance.case)
    _touch(instance.case_id)


@transaction.atomic
def source_add(*, case: Case, **fields: Any) -> Source:
    return _save_child(Source(case=case, **fields))


@transaction.atomic
def tool_add(*, case: Case, **fields: Any) -> DigitalTool:
    """Add a digital tool; its continuum mode and the rationale for it are required."""
    return _save_child(DigitalTool(case=case, **fields))


@transaction.atomic
def tool_classify(*, tool: DigitalTool, coproduction_mode: str, classification_rationale: str,
                  actor=None) -> DigitalTool:
    """Re-classify a tool on the continuum; a new rationale is required with the new mode."""
    tool.coproduction_mode = coproduction_mode
    tool.classification_rationale = classification_rationale
    _mark_child(tool, actor, None)
    return _save_child(tool, actor=actor)


@transaction.atomic
def stakeholder_add(*, case: Case, **fields: Any) -> Stakeholder:
    return _save_child(Stakeholder(case=case, **fields))


@transaction.atomic
def factor_assess(*, case: Case, factor: str, actor=None, provenance: str | None = None,
                  **fields: Any) -> FactorAssessment:
    """Record (or revise) how one factor of the grid was observed in a case."""
    assessment = FactorAssessment.objects.filter(case=case, factor=factor).first() or FactorAssessment(
        case=case, factor=factor
    )
    for name, value in fields.items():
        setattr(assessment, name, value)
    _mark_child(assessment, actor, provenance)
    return _save_child(assessment, actor=actor)


@transaction.atomic
def event_add(*, case: Case, **fields: Any) -> Event:
    return _save_child(Event(case=case, **fields))


def update_fields(instance, values: Mapping[str, Any]) -> bool:
    """Set ``values`` on ``instance``; True when anything changed (loaders use it to stay idempotent)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


@transaction.atomic
def case_rekey(*, case: Case) -> Case:
    """Give ``case`` a new ``public_id``, so that it can no longer be linked to what was published before.

    The disclosure rules decide when (e.g. on pseudonymisation); the changes feed then lists the old
    identifier as withdrawn and the case under its new one. Saved with a history row, like any edit.
    """
    import uuid

    case.public_id = uuid.uuid4()
    case.save()
    return case
