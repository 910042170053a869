"""The moderators' decisions: publish, request changes, reject or archive a case or a pending update;
vouch for a contributor; grant the moderator role.
"""


from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..contributions.payload import case_payload
from ..contributions.services import case_apply_content, validated_content
from ..disclosure.gate import disclosure_gate, gated_write
from ..models import (
    Case,
    CaseRevision,
)
from ..permissions import MODERATORS_GROUP
from ..vocabularies import (
    CASE_TRANSITIONS,
    REVISION_TRANSITIONS,
    CaseStatus,
    RevisionStatus,
)
from .workflow import record_event, transition


@transaction.atomic
def case_publish(*, case: Case, actor=None, comment: str = "", disclosure_override: str = "") -> Case:
    """Publish a submitted case (or re-publish an archived one), pseudonymised ones after disclosure control.

    A pseudonymised case that fails it is refused (``DisclosureRefused``) unless ``disclosure_override``
    gives a reason, recorded as its own moderation event (``cases.disclosure.gate``).
    """
    if case.is_pseudonymised and CaseStatus.PUBLISHED in CASE_TRANSITIONS.get(case.status, set()):
        disclosure_gate(case=case, override=disclosure_override, actor=actor)
    return transition(case=case, to_status=CaseStatus.PUBLISHED, actor=actor, comment=comment)


@transaction.atomic
def case_request_changes(*, case: Case, actor=None, comment: str) -> Case:
    if not comment.strip():
        raise ValidationError({"comment": _("Expliquez les modifications attendues.")})
    return transition(case=case, to_status=CaseStatus.CHANGES_REQUESTED, actor=actor, comment=comment,
                      snapshot=case_payload(case))


@transaction.atomic
def case_reject(*, case: Case, actor=None, comment: str) -> Case:
    if not comment.strip():
        raise ValidationError({"comment": _("Indiquez le motif du refus.")})
    return transition(case=case, to_status=CaseStatus.REJECTED, actor=actor, comment=comment)


@transaction.atomic
def case_archive(*, case: Case, actor=None, comment: str = "") -> Case:
    return transition(case=case, to_status=CaseStatus.ARCHIVED, actor=actor, comment=comment)


def _revision_transition(revision, to_status: str):

    locked = CaseRevision.objects.select_for_update().get(pk=revision.pk)
    if to_status not in REVISION_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("Cette mise à jour a déjà été traitée (statut : « %(status)s »).")
            % {"status": RevisionStatus(locked.status).label}
        )
    return locked


@transaction.atomic
def revision_publish(*, revision, actor, comment: str = "", disclosure_override: str = ""):
    """Approve a pending update: its content is applied to the published case, and history records it."""

    locked = _revision_transition(revision, RevisionStatus.PUBLISHED)
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if case.status != CaseStatus.PUBLISHED:
        raise ValidationError(_("Le cas n'est plus publié : cette mise à jour ne peut pas être appliquée."))
    # Set before applying: history places the new version's start here (cases.catalogue.history).
    locked.decided_at = timezone.now()
    # The update's content is checked as it will be public, once applied whole, like a publication (every
    # problem counts, even one overridden before); a refusal rolls the whole approval back.
    with gated_write(override=disclosure_override, actor=actor, strict=True) as gate:
        gate.touch(case.pk)
        case_apply_content(case=case, content=validated_content(locked.data), actor=actor)
    locked.status = RevisionStatus.PUBLISHED
    locked.save()
    record_event(case=case, actor=actor, from_status=RevisionStatus.SUBMITTED, to_status=RevisionStatus.PUBLISHED,
                  revision=locked, comment=comment or _("Mise à jour approuvée."))
    revision.status, revision.decided_at = locked.status, locked.decided_at
    return locked


@transaction.atomic
def revision_request_changes(*, revision, actor, comment: str):

    if not comment.strip():
        raise ValidationError({"comment": _("Expliquez les modifications attendues.")})
    locked = _revision_transition(revision, RevisionStatus.CHANGES_REQUESTED)
    locked.status = RevisionStatus.CHANGES_REQUESTED
    locked.save()
    record_event(case=locked.case, actor=actor, from_status=RevisionStatus.SUBMITTED,
                  to_status=RevisionStatus.CHANGES_REQUESTED, revision=locked, comment=comment,
                  snapshot=locked.data)
    revision.status = locked.status
    return locked


@transaction.atomic
def revision_reject(*, revision, actor, comment: str):

    if not comment.strip():
        raise ValidationError({"comment": _("Indiquez le motif du refus.")})
    locked = _revision_transition(revision, RevisionStatus.REJECTED)
    locked.status = RevisionStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.save()
    record_event(case=locked.case, actor=actor, from_status=RevisionStatus.SUBMITTED,
                  to_status=RevisionStatus.REJECTED, revision=locked, comment=comment)
    revision.status = locked.status
    return locked


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
    group = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    (user.groups.add if grant else user.groups.remove)(group)
    user.__dict__.pop("_is_moderator", None)
    return user
