"""Every write to cases goes through these functions (views, admin, API, loaders alike).

Each service is keyword-only, atomic, validates with ``full_clean()`` before saving and performs its
side effects (moderation events, snapshots) itself — never in ``save()`` or in signals.
"""

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import (
    Case,
    CaseCollectionMethod,
    CaseSecondaryTheme,
    DigitalTool,
    Event,
    FactorAssessment,
    ModerationEvent,
    Source,
    Stakeholder,
    Territory,
)
from .text import fold
from .vocabularies import CASE_TRANSITIONS, CaseStatus, Disclosure, TerritoryKind

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
    while existing.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _public_slug_source(case: Case) -> str:
    # The slug is public: a pseudonymised case must not carry its real title in its URL.
    return case.pseudonym if case.disclosure == Disclosure.PSEUDONYMISED else case.title


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
    """What full-text search indexes for ``case``: its public name, summary, and ``(name, software)`` of its tools."""
    return fold(" ".join([case.display_name, case.summary, *(f"{name} {software}" for name, software in tools)]))


def case_reindex(*, case: Case) -> None:
    """Re-index the case for full-text search (its public name, summary, tools and their software)."""
    text = search_text_of(case, DigitalTool.objects.filter(case=case).values_list("name", "software"))
    if text != case.search_text:
        # A plain UPDATE: indexing is not an edit, so it writes no history row.
        Case.objects.filter(pk=case.pk).update(search_text=text)
        case.search_text = text


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
    **fields: Any,
) -> Case:
    """Create a case (a draft unless ``status`` says otherwise).

    When a territory is given and no population figure is, the reference populations are snapshotted
    onto the case, where they stay editable.
    """
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"case_create() got unexpected fields: {sorted(unknown)}")
    territory = fields.get("territory")
    if territory is not None and not any(
        fields.get(k) is not None for k in ("population_city", "population_epci", "population_year")
    ):
        fields.update(population_snapshot(territory))
    case = Case(title=title, status=status, submitted_by=actor if status != CaseStatus.PUBLISHED else None,
                **fields)
    case.slug = slug or _unique_slug(_public_slug_source(case))
    if status == CaseStatus.PUBLISHED:
        case.published_at = timezone.now()
    case.full_clean()
    case.save()
    _set_links(case, CaseSecondaryTheme, "theme", secondary_themes)
    _set_links(case, CaseCollectionMethod, "method", collection_methods)
    case_reindex(case=case)
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
    **fields: Any,
) -> Case:
    """Change a case's fields; returns the case. A field left out is left unchanged."""
    unknown = set(fields) - CASE_FIELDS
    if unknown:
        raise TypeError(f"case_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(case, name, value)
    if "disclosure" in fields or "pseudonym" in fields:
        case.slug = _unique_slug(_public_slug_source(case), exclude_pk=case.pk)
    case.full_clean()
    case.save()
    if secondary_themes is not None:
        _set_links(case, CaseSecondaryTheme, "theme", secondary_themes)
    if collection_methods is not None:
        _set_links(case, CaseCollectionMethod, "method", collection_methods)
    case_reindex(case=case)
    return case


def _transition(*, case: Case, to_status: str, actor=None, comment: str = "") -> Case:
    # Lock the row so that two moderators acting at once cannot both apply a transition.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in CASE_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("Transition impossible de « %(from)s » vers « %(to)s ».")
            % {"from": locked.get_status_display(), "to": CaseStatus(to_status).label}
        )
    from_status = locked.status
    locked.status = to_status
    if to_status == CaseStatus.PUBLISHED:
        locked.published_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _record_event(case=locked, actor=actor, from_status=from_status, to_status=to_status, comment=comment)
    case.status, case.published_at = locked.status, locked.published_at
    return case


def _record_event(*, case: Case, actor, from_status: str, to_status: str, comment: str = "",
                  revision=None) -> ModerationEvent:
    """Append the transition to the moderation history and e-mail the people concerned once committed."""
    from . import emails

    event = ModerationEvent.objects.create(case=case, actor=actor, from_status=from_status, to_status=to_status,
                                           comment=comment, revision=revision)
    # After the commit: a transition that is rolled back must not have been announced.
    transaction.on_commit(partial(emails.notify_transition, event_pk=event.pk))
    return event


@transaction.atomic
def case_submit(*, case: Case, actor=None, comment: str = "") -> Case:
    """Send a draft (or a case sent back for changes) to the moderators."""
    case = _transition(case=case, to_status=CaseStatus.SUBMITTED, actor=actor, comment=comment)
    if actor is not None and case.submitted_by_id is None:
        Case.objects.filter(pk=case.pk).update(submitted_by=actor)
        case.submitted_by = actor
    return case


@transaction.atomic
def case_publish(*, case: Case, actor=None, comment: str = "") -> Case:
    """Publish a submitted case (or re-publish an archived one)."""
    return _transition(case=case, to_status=CaseStatus.PUBLISHED, actor=actor, comment=comment)


@transaction.atomic
def case_request_changes(*, case: Case, actor=None, comment: str) -> Case:
    if not comment.strip():
        raise ValidationError({"comment": _("Expliquez les modifications attendues.")})
    return _transition(case=case, to_status=CaseStatus.CHANGES_REQUESTED, actor=actor, comment=comment)


@transaction.atomic
def case_reject(*, case: Case, actor=None, comment: str) -> Case:
    if not comment.strip():
        raise ValidationError({"comment": _("Indiquez le motif du refus.")})
    return _transition(case=case, to_status=CaseStatus.REJECTED, actor=actor, comment=comment)


@transaction.atomic
def case_archive(*, case: Case, actor=None, comment: str = "") -> Case:
    return _transition(case=case, to_status=CaseStatus.ARCHIVED, actor=actor, comment=comment)


def _save_child(instance):
    instance.full_clean()
    instance.save()
    if isinstance(instance, DigitalTool):
        case_reindex(case=instance.case)
    return instance


@transaction.atomic
def case_child_save(*, instance):
    """Validate and save a tool, stakeholder, factor, event or source already bound to its case."""
    return _save_child(instance)


@transaction.atomic
def case_child_delete(*, instance) -> None:
    instance.delete()
    if isinstance(instance, DigitalTool):
        case_reindex(case=instance.case)


@transaction.atomic
def source_add(*, case: Case, **fields: Any) -> Source:
    return _save_child(Source(case=case, **fields))


@transaction.atomic
def tool_add(*, case: Case, **fields: Any) -> DigitalTool:
    """Add a digital tool; its continuum mode and the rationale for it are required."""
    return _save_child(DigitalTool(case=case, **fields))


@transaction.atomic
def tool_classify(*, tool: DigitalTool, coproduction_mode: str, classification_rationale: str) -> DigitalTool:
    """Re-classify a tool on the continuum; a new rationale is required with the new mode."""
    tool.coproduction_mode = coproduction_mode
    tool.classification_rationale = classification_rationale
    return _save_child(tool)


@transaction.atomic
def stakeholder_add(*, case: Case, **fields: Any) -> Stakeholder:
    return _save_child(Stakeholder(case=case, **fields))


@transaction.atomic
def factor_assess(*, case: Case, factor: str, **fields: Any) -> FactorAssessment:
    """Record (or revise) how one factor of the grid was observed in a case."""
    assessment = FactorAssessment.objects.filter(case=case, factor=factor).first() or FactorAssessment(
        case=case, factor=factor
    )
    for name, value in fields.items():
        setattr(assessment, name, value)
    return _save_child(assessment)


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


# --- Contributions: working copies, pending updates and their moderation ---------------------------
# An official's content travels as a payload (cases.payload). For a case not yet published, the working
# copy (a CaseRevision) is applied to the case when submitted; for a published case it waits, as a
# pending update, until a moderator approves it — the public keeps seeing the published version.

SCOPE_OF_KIND = {
    TerritoryKind.COMMUNE: "commune",
    TerritoryKind.EPCI: "epci",
    TerritoryKind.EPT: "epci",
    TerritoryKind.DEPARTEMENT: "departement",
    TerritoryKind.REGION: "region",
}
CONTRIBUTABLE_STATUSES = (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED, CaseStatus.PUBLISHED)


def _open_revision(case: Case, *, lock: bool = False):
    from .models import CaseRevision
    from .vocabularies import REVISION_OPEN_STATUSES

    queryset = CaseRevision.objects.filter(case=case, status__in=REVISION_OPEN_STATUSES)
    return (queryset.select_for_update() if lock else queryset).first()


@transaction.atomic
def contribution_start(*, actor, title: str, territory: Territory | None) -> Case:
    """Create the draft of a new initiative for ``actor`` (reference populations snapshotted)."""
    from .vocabularies import Carrier

    carrier = {TerritoryKind.COMMUNE: Carrier.COMMUNE, TerritoryKind.EPCI: Carrier.EPCI,
               TerritoryKind.EPT: Carrier.EPCI, TerritoryKind.DEPARTEMENT: Carrier.DEPARTEMENT,
               TerritoryKind.REGION: Carrier.REGION}.get(territory.kind if territory else None, "")
    return case_create(title=title, actor=actor, territory=territory, carrier=carrier,
                       scope=SCOPE_OF_KIND.get(territory.kind, "") if territory else "",
                       comment=_("Brouillon ouvert par le contributeur."))


@transaction.atomic
def revision_save(*, case: Case, actor, data: Mapping[str, Any]):
    """Keep ``data`` (a payload, valid or not) as the working copy of ``case``: nothing typed is lost."""
    from .models import CaseRevision
    from .vocabularies import RevisionStatus

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in CONTRIBUTABLE_STATUSES:
        raise ValidationError(_("Ce cas ne peut pas être modifié tant qu'il est « %(status)s ».")
                              % {"status": locked.get_status_display()})
    revision = _open_revision(locked, lock=True)
    if revision is not None and revision.status == RevisionStatus.SUBMITTED:
        raise ValidationError(_("Une mise à jour de ce cas attend déjà la modération : elle ne peut plus être "
                                "modifiée avant la décision."))
    if revision is None:
        revision = CaseRevision(case=locked)
    revision.author = actor
    revision.data = dict(data)
    revision.full_clean()
    revision.save()
    return revision


def _derived_scope(case_fields: dict, case: Case) -> str:
    territory = case_fields.get("territory")
    return SCOPE_OF_KIND.get(territory.kind, case.scope) if territory is not None else case.scope


def _sync_rows(case: Case, model, rows: list[dict], *, positioned: bool = False) -> None:
    existing = {obj.pk: obj for obj in model.objects.filter(case=case)}
    kept = set()
    for position, row in enumerate(rows):
        values = {k: v for k, v in row.items() if k != "id"}
        if positioned:
            values["position"] = position
        # An id that is not one of this case's rows is a new row, never someone else's.
        obj = existing.get(row.get("id")) or model(case=case)
        if obj.pk is None:
            update_fields(obj, values)
            _save_child(obj)
        elif update_fields(obj, values):
            obj.case = case
            _save_child(obj)
        kept.add(obj.pk)
    for pk, obj in existing.items():
        if pk not in kept:
            case_child_delete(instance=obj)


@transaction.atomic
def case_apply_content(*, case: Case, content: Mapping[str, Any], actor=None) -> Case:
    """Make ``case`` say what ``content`` says (a validated payload: ``CaseSubmission.cleaned()``).

    Rows keep their identity (and so their history) through their ``id``; rows left out are deleted.
    Fields the contribution form does not carry (events, collection methods, observation years,
    population disclosure, sources of tools) are left as they are.
    """
    from .vocabularies import Assessment

    fields = dict(content["case"])
    secondary_themes = fields.pop("secondary_themes", None)
    fields["scope"] = _derived_scope(fields, case)
    changed = {name: value for name, value in fields.items() if getattr(case, name) != value}
    case_update(case=case, actor=actor, secondary_themes=secondary_themes, **changed)
    _sync_rows(case, DigitalTool, content.get("tools", []), positioned=True)
    _sync_rows(case, Stakeholder, content.get("stakeholders", []))
    _sync_rows(case, Source, content.get("sources", []))
    existing = {a.factor: a for a in FactorAssessment.objects.filter(case=case)}
    for factor, row in (content.get("factors") or {}).items():
        assessment, note = row.get("assessment") or Assessment.UNKNOWN, row.get("note") or ""
        current = existing.get(factor)
        if current is None and assessment == Assessment.UNKNOWN and not note:
            continue
        if current is None or (current.assessment, current.note) != (assessment, note):
            factor_assess(case=case, factor=factor, assessment=assessment, note=note)
    return case


def _validated(data):
    from .forms import parse_payload

    return parse_payload(data, submit=True).cleaned()


@transaction.atomic
def revision_submit(*, revision, actor):
    """Send a working copy to the moderators; raises ``forms.InvalidContent`` when it is incomplete.

    A case not yet published takes the content at once and goes to the moderation queue; a published
    case does not change: its pending update waits for a moderator.
    """
    from .models import CaseRevision
    from .vocabularies import REVISION_TRANSITIONS, RevisionStatus

    locked = CaseRevision.objects.select_for_update().get(pk=revision.pk)
    if RevisionStatus.SUBMITTED not in REVISION_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(_("Cette contribution a déjà été soumise."))
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    content = _validated(locked.data)
    if case.status == CaseStatus.PUBLISHED:
        from_status = locked.status
        locked.status = RevisionStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.author = actor
        locked.save()
        _record_event(case=case, actor=actor, from_status=from_status, to_status=RevisionStatus.SUBMITTED,
                      revision=locked, comment=_("Mise à jour proposée."))
        return locked
    case_apply_content(case=case, content=content, actor=actor)
    case_submit(case=case, actor=actor)
    # The working copy of an unpublished case has done its job: the case and its history hold it now.
    locked.delete()
    revision.pk = None
    return case


def _revision_transition(revision, to_status: str):
    from .models import CaseRevision
    from .vocabularies import REVISION_TRANSITIONS, RevisionStatus

    locked = CaseRevision.objects.select_for_update().get(pk=revision.pk)
    if to_status not in REVISION_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("Cette mise à jour a déjà été traitée (statut : « %(status)s »).")
            % {"status": RevisionStatus(locked.status).label}
        )
    return locked


@transaction.atomic
def revision_publish(*, revision, actor, comment: str = ""):
    """Approve a pending update: its content is applied to the published case, and history records it."""
    from .vocabularies import RevisionStatus

    locked = _revision_transition(revision, RevisionStatus.PUBLISHED)
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if case.status != CaseStatus.PUBLISHED:
        raise ValidationError(_("Le cas n'est plus publié : cette mise à jour ne peut pas être appliquée."))
    # Set before applying: history places the new version's start here (cases.history).
    locked.decided_at = timezone.now()
    case_apply_content(case=case, content=_validated(locked.data), actor=actor)
    locked.status = RevisionStatus.PUBLISHED
    locked.save()
    _record_event(case=case, actor=actor, from_status=RevisionStatus.SUBMITTED, to_status=RevisionStatus.PUBLISHED,
                  revision=locked, comment=comment or _("Mise à jour approuvée."))
    revision.status, revision.decided_at = locked.status, locked.decided_at
    return locked


@transaction.atomic
def revision_request_changes(*, revision, actor, comment: str):
    from .vocabularies import RevisionStatus

    if not comment.strip():
        raise ValidationError({"comment": _("Expliquez les modifications attendues.")})
    locked = _revision_transition(revision, RevisionStatus.CHANGES_REQUESTED)
    locked.status = RevisionStatus.CHANGES_REQUESTED
    locked.save()
    _record_event(case=locked.case, actor=actor, from_status=RevisionStatus.SUBMITTED,
                  to_status=RevisionStatus.CHANGES_REQUESTED, revision=locked, comment=comment)
    revision.status = locked.status
    return locked


@transaction.atomic
def revision_reject(*, revision, actor, comment: str):
    from .vocabularies import RevisionStatus

    if not comment.strip():
        raise ValidationError({"comment": _("Indiquez le motif du refus.")})
    locked = _revision_transition(revision, RevisionStatus.REJECTED)
    locked.status = RevisionStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.save()
    _record_event(case=locked.case, actor=actor, from_status=RevisionStatus.SUBMITTED,
                  to_status=RevisionStatus.REJECTED, revision=locked, comment=comment)
    revision.status = locked.status
    return locked


# --- Accounts -------------------------------------------------------------------------------------


@transaction.atomic
def account_register(*, email: str, password: str, first_name: str, last_name: str, organisation: str,
                     job_title: str = "", territory: Territory | None = None):
    """Create an official's account, inactive until the e-mail address is confirmed."""
    from django.contrib.auth import get_user_model

    from .models import ContributorProfile

    user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name,
                            is_active=False)
    user.set_password(password)
    user.full_clean()
    user.save()
    profile = ContributorProfile(user=user, organisation=organisation, job_title=job_title, territory=territory)
    profile.full_clean()
    profile.save()
    return user


@transaction.atomic
def account_activate(*, user):
    """Confirm the e-mail address: the account opens and joins the contributors."""
    from django.contrib.auth.models import Group

    from .models import ContributorProfile
    from .permissions import CONTRIBUTORS_GROUP

    user.is_active = True
    user.save(update_fields=["is_active"])
    user.groups.add(Group.objects.get_or_create(name=CONTRIBUTORS_GROUP)[0])
    profile, _created = ContributorProfile.objects.get_or_create(user=user, defaults={"organisation": ""})
    if profile.email_confirmed_at is None:
        profile.email_confirmed_at = timezone.now()
        profile.save(update_fields=["email_confirmed_at"])
    return user


@transaction.atomic
def contributor_verify(*, profile, actor, verified: bool = True):
    """A moderator vouches (or stops vouching) that the official works for the declared collectivity."""
    profile.verified_at = timezone.now() if verified else None
    profile.verified_by = actor if verified else None
    profile.save(update_fields=["verified_at", "verified_by"])
    return profile


@transaction.atomic
def moderator_grant(*, user, grant: bool = True):
    """Add ``user`` to (or remove them from) the moderators."""
    from django.contrib.auth.models import Group

    from .permissions import MODERATORS_GROUP

    group = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    (user.groups.add if grant else user.groups.remove)(group)
    user.__dict__.pop("_is_moderator", None)
    return user


@transaction.atomic
def api_token_renew(*, user):
    """Replace the account's API token (DRF TokenAuthentication) with a new one."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
