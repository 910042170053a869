"""The one permission gate: ``abilities(user, obj)`` says what ``user`` may do with ``obj``.

Views, the API and templates all ask this function; no other code decides a permission.
"""

from .models import Case, CaseRevision
from .vocabularies import CaseStatus, RevisionStatus

MODERATORS_GROUP = "moderators"
CONTRIBUTORS_GROUP = "contributors"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_moderator = cached
    return cached


def abilities(user, obj: "Case | CaseRevision | None" = None) -> dict[str, bool]:
    """What ``user`` may do with ``obj`` (a case or a proposed update) — or, with ``obj=None``, in general."""
    authenticated = bool(getattr(user, "is_authenticated", False)) and user.is_active
    moderator = is_moderator(user)
    if obj is None:
        return {
            "create_case": authenticated,
            "contribute": authenticated,
            "moderate": moderator,
            "view_unpublished": moderator,
            "verify_contributors": moderator,
            # Double coding (cases.research): moderators code blind, then settle disagreements.
            "code": moderator,
            "reconcile": moderator,
        }
    if isinstance(obj, CaseRevision):
        return _revision_abilities(user, obj, authenticated=authenticated, moderator=moderator)
    owner = authenticated and obj.submitted_by_id == user.pk
    status = obj.status
    editable_by_owner = owner and status in (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED)
    return {
        "view": status == CaseStatus.PUBLISHED or owner or moderator,
        # Who may see the real identity of a pseudonymised case: its own submitter and moderators.
        "view_identity": not obj.is_pseudonymised or owner or moderator,
        "update": editable_by_owner or moderator,
        "submit": editable_by_owner or (moderator and status in (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED)),
        "publish": moderator and status in (CaseStatus.SUBMITTED, CaseStatus.ARCHIVED),
        "request_changes": moderator and status == CaseStatus.SUBMITTED,
        "reject": moderator and status == CaseStatus.SUBMITTED,
        "archive": moderator and status == CaseStatus.PUBLISHED,
        "view_history": status == CaseStatus.PUBLISHED or owner or moderator,
        # The guided form: a draft is edited in place, a published case gets a pending update.
        "contribute": owner and status in (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED, CaseStatus.PUBLISHED),
        "propose_update": owner and status == CaseStatus.PUBLISHED,
        "withdraw": owner and status == CaseStatus.SUBMITTED,
    }


def _revision_abilities(user, revision: CaseRevision, *, authenticated: bool, moderator: bool) -> dict[str, bool]:
    owner = authenticated and revision.case.submitted_by_id == user.pk
    status = revision.status
    editable = owner and status in (RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED)
    return {
        "view": owner or moderator,
        "update": editable,
        "submit": editable,
        "publish": moderator and status == RevisionStatus.SUBMITTED,
        "request_changes": moderator and status == RevisionStatus.SUBMITTED,
        "reject": moderator and status == RevisionStatus.SUBMITTED,
    }
