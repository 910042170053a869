"""Officials' writes: their account, their drafts (working copies saved whatever their state) and
their proposed updates.

An official's content travels as a payload (``cases.contributions.payload``). For a case not yet
published, the working copy (a ``CaseRevision``) is applied to the case when submitted; for a
published case it waits, as a pending update, until a moderator approves it — the public keeps
seeing the published version.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..catalogue.services import (
    case_child_delete,
    case_child_save,
    case_create,
    case_update,
    factor_assess,
    update_fields,
)
from ..models import (
    ApiToken,
    Case,
    CaseRevision,
    ContributorProfile,
    DigitalTool,
    Event,
    FactorAssessment,
    Source,
    Stakeholder,
    Territory,
)
from ..moderation.workflow import case_submit, record_event, transition
from ..permissions import CONTRIBUTORS_GROUP
from ..research.vocabularies import Provenance
from ..vocabularies import (
    REVISION_OPEN_STATUSES,
    REVISION_TRANSITIONS,
    Assessment,
    Carrier,
    CaseStatus,
    RevisionStatus,
    TerritoryKind,
)
from .tokens import token_issue

SCOPE_OF_KIND = {
    TerritoryKind.COMMUNE: "commune",
    TerritoryKind.EPCI: "epci",
    TerritoryKind.EPT: "epci",
    TerritoryKind.DEPARTEMENT: "departement",
    TerritoryKind.REGION: "region",
}


CONTRIBUTABLE_STATUSES = (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED, CaseStatus.PUBLISHED)


def _open_revision(case: Case, *, lock: bool = False):

    queryset = CaseRevision.objects.filter(case=case, status__in=REVISION_OPEN_STATUSES)
    return (queryset.select_for_update() if lock else queryset).first()


@transaction.atomic
def contribution_start(*, actor, title: str, territory: Territory | None) -> Case:
    """Create the draft of a new initiative for ``actor`` (reference populations snapshotted)."""

    carrier = {TerritoryKind.COMMUNE: Carrier.COMMUNE, TerritoryKind.EPCI: Carrier.EPCI,
               TerritoryKind.EPT: Carrier.EPCI, TerritoryKind.DEPARTEMENT: Carrier.DEPARTEMENT,
               TerritoryKind.REGION: Carrier.REGION}.get(territory.kind if territory else None, "")
    return case_create(title=title, actor=actor, territory=territory, carrier=carrier,
                       scope=SCOPE_OF_KIND.get(territory.kind, "") if territory else "",
                       comment=_("Brouillon ouvert par le contributeur."))


@transaction.atomic
def revision_save(*, case: Case, actor, data: Mapping[str, Any]):
    """Keep ``data`` (a payload, valid or not) as the working copy of ``case``: nothing typed is lost."""

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
        # What an official's contribution says is the official's self-declaration, whoever publishes it.
        if obj.pk is None:
            update_fields(obj, values)
            case_child_save(instance=obj, provenance=Provenance.SELF_DECLARED)
        elif update_fields(obj, values):
            obj.case = case
            case_child_save(instance=obj, provenance=Provenance.SELF_DECLARED)
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

    # Rows first, then the case's fields: a content that pseudonymises a published case re-keys its tools
    # (catalogue.services._renew_public_identifiers), which must find the rows this content names by id
    # already written, not re-create them under new ids.
    _sync_rows(case, DigitalTool, content.get("tools", []), positioned=True)
    _sync_rows(case, Stakeholder, content.get("stakeholders", []))
    if "events" in content:  # payloads written before the form had a timeline leave it as it is
        _sync_rows(case, Event, content["events"])
    _sync_rows(case, Source, content.get("sources", []))
    existing = {a.factor: a for a in FactorAssessment.objects.filter(case=case)}
    for factor, row in (content.get("factors") or {}).items():
        assessment, note = row.get("assessment") or Assessment.UNKNOWN, row.get("note") or ""
        current = existing.get(factor)
        if current is None and assessment == Assessment.UNKNOWN and not note:
            continue
        if current is None or (current.assessment, current.note) != (assessment, note):
            factor_assess(case=case, factor=factor, assessment=assessment, note=note,
                          provenance=Provenance.SELF_DECLARED)
    fields = dict(content["case"])
    secondary_themes = fields.pop("secondary_themes", None)
    fields["scope"] = _derived_scope(fields, case)
    changed = {name: value for name, value in fields.items() if getattr(case, name) != value}
    case_update(case=case, actor=actor, secondary_themes=secondary_themes, provenance=Provenance.SELF_DECLARED,
                **changed)
    return case


def validated_content(data):
    from .submission import parse_payload  # the submission module imports this one


    return parse_payload(data, submit=True).cleaned()


@transaction.atomic
def revision_submit(*, revision, actor):
    """Send a working copy to the moderators; raises ``submission.InvalidContent`` when it is incomplete.

    A case not yet published takes the content at once and goes to the moderation queue; a published
    case does not change: its pending update waits for a moderator.
    """

    locked = CaseRevision.objects.select_for_update().get(pk=revision.pk)
    if RevisionStatus.SUBMITTED not in REVISION_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(_("Cette contribution a déjà été soumise."))
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    content = validated_content(locked.data)
    if case.status == CaseStatus.PUBLISHED:
        from_status = locked.status
        locked.status = RevisionStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.author = actor
        locked.save()
        record_event(case=case, actor=actor, from_status=from_status, to_status=RevisionStatus.SUBMITTED,
                      revision=locked, comment=_("Mise à jour proposée."))
        return locked
    case_apply_content(case=case, content=content, actor=actor)
    case_submit(case=case, actor=actor)
    # The working copy of an unpublished case has done its job: the case and its history hold it now.
    locked.delete()
    revision.pk = None
    return case


@transaction.atomic
def account_register(*, email: str, first_name: str, last_name: str, organisation: str, job_title: str = "",
                     territory: Territory | None = None):
    """Open (or re-open) the sign-up of an official; returns the account to confirm, or ``None`` when the
    address already belongs to a confirmed account.

    No password is taken here: the person who follows the link sent to the address chooses it
    (``account_activate``). So nobody can bind a password to an address they do not read, and a
    sign-up never left unconfirmed locks the address: the next sign-up takes it over.
    """
    user = get_user_model().objects.filter(email__iexact=email).select_related("contributor_profile").first()
    profile = getattr(user, "contributor_profile", None) if user else None
    if user is not None and (user.is_active or (profile and profile.email_confirmed_at)):
        return None
    if user is None:
        user = get_user_model()(username=email, email=email, is_active=False)
    user.first_name, user.last_name = first_name, last_name
    user.set_unusable_password()
    user.full_clean()
    user.save()
    profile = profile or ContributorProfile(user=user)
    profile.organisation, profile.job_title, profile.territory = organisation, job_title, territory
    profile.full_clean()
    profile.save()
    return user


@transaction.atomic
def account_activate(*, user, password: str | None = None):
    """Confirm the e-mail address: the account opens, with the password chosen by whoever read the link,
    and joins the contributors."""
    if password is not None:
        user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name=CONTRIBUTORS_GROUP)[0])
    profile, _created = ContributorProfile.objects.get_or_create(user=user, defaults={"organisation": ""})
    if profile.email_confirmed_at is None:
        profile.email_confirmed_at = timezone.now()
        profile.save(update_fields=["email_confirmed_at"])
    return user


@transaction.atomic
def accounts_purge_unconfirmed(*, older_than) -> int:
    """Delete the sign-ups never confirmed since ``older_than`` (a datetime); returns how many."""
    stale = get_user_model().objects.filter(
        is_active=False, last_login__isnull=True, date_joined__lt=older_than,
        contributor_profile__email_confirmed_at__isnull=True,
    )
    return stale.delete()[1].get(get_user_model()._meta.label, 0)


@transaction.atomic
def api_token_renew(*, user):
    """Replace the account's API keys with a new one; returns ``(token, key)``, the key shown once."""
    ApiToken.objects.filter(user=user).delete()
    return token_issue(user)


@transaction.atomic
def case_withdraw(*, case: Case, actor) -> Case:
    """The submitter takes a submitted case back before the decision: it is a draft again, theirs to edit,
    delete or submit later; the moderators' queue no longer shows it."""
    return transition(case=case, to_status=CaseStatus.DRAFT, actor=actor,
                      comment=_("Retirée de la modération par le contributeur."))
