"""The moderators' side: the queue (oldest first), the review page with its diff, the actions, and the
verification of officials. Every action goes through a service, which locks the row and checks the
transition: when two moderators act on the same submission, the second is told, and nothing is applied
twice."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.moderation.services import (
    case_archive,
    case_publish,
    case_reject,
    case_request_changes,
    contributor_verify,
    revision_publish,
    revision_reject,
    revision_request_changes,
)

from ..contributions.payload import case_payload, content_diff, describe
from ..contributions.submission import CaseSubmission
from ..disclosure.selectors import disclosure_review
from ..models import Case, CaseRevision, ContributorProfile
from ..permissions import abilities
from ..vocabularies import RevisionStatus
from .forms import ModerationForm, QueueFilterForm
from .selectors import moderation_queue


def _require_moderator(request):
    if not abilities(request.user)["moderate"]:
        raise PermissionDenied


@login_required
def queue(request):
    _require_moderator(request)
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(request, "moderation/queue.html", {"form": form, "items": moderation_queue(filters),
                                                     "status": filters.get("status") or "submitted"})


def _pending_revision(case):
    return CaseRevision.objects.filter(case=case, status=RevisionStatus.SUBMITTED).first()


@login_required
def review(request, pk):
    """The submission as the moderators see it (identity included) and, for an update, what it changes."""
    _require_moderator(request)
    case = get_object_or_404(Case.objects.with_children().select_related("submitted_by__contributor_profile"), pk=pk)
    revision = _pending_revision(case)
    current = CaseSubmission.from_payload(case_payload(case))
    current.is_valid()
    proposed = diff = None
    # Disclosure control of the case as a pending update would make it (what approving it would publish).
    disclosure = disclosure_review(case)
    if revision is not None:
        proposed = CaseSubmission.from_payload(revision.data)
        if proposed.is_valid(submit=True):
            disclosure = disclosure_review(case, content=proposed.cleaned())
        diff = content_diff(current, proposed)
    since_request = _changes_since_request(case, revision, proposed if proposed is not None else current)
    events = case.moderation_events.select_related("actor", "revision").order_by("-created_at", "-pk")
    last_event = case.moderation_events.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    return render(request, "moderation/review.html", {
        "case": case,
        "can": abilities(request.user, case),
        "revision": revision,
        "revision_can": abilities(request.user, revision) if revision else {},
        "current_content": describe(current),
        "proposed": proposed,
        "proposed_content": describe(proposed) if proposed is not None else None,
        "diff": diff,
        "since_request": since_request,
        "events": events,
        "seen_event": last_event,
        "form": ModerationForm(),
        "disclosure": disclosure,
        "profile": getattr(case.submitted_by, "contributor_profile", None) if case.submitted_by else None,
    })


def _changes_since_request(case, revision, submitted):
    """On a resubmission: what changed since the last request for changes, against the content the
    moderator read then (kept on that event); ``None`` when there was no such request."""
    events = case.moderation_events.filter(to_status=RevisionStatus.CHANGES_REQUESTED, snapshot__isnull=False)
    events = events.filter(revision=revision) if revision is not None else events.filter(revision__isnull=True)
    event = events.order_by("-created_at", "-pk").first()
    if event is None:
        return None
    before = CaseSubmission.from_payload(event.snapshot)
    before.is_valid()
    return {"event": event, "diff": content_diff(before, submitted)}


CASE_ACTIONS = {
    "publish": case_publish,
    "request_changes": case_request_changes,
    "reject": case_reject,
    "archive": case_archive,
}
REVISION_ACTIONS = {
    "publish": revision_publish,
    "request_changes": revision_request_changes,
    "reject": revision_reject,
}
DONE = {
    "publish": gettext_lazy("Publié."),
    "request_changes": gettext_lazy("Modifications demandées ; le contributeur est prévenu par e-mail."),
    "reject": gettext_lazy("Refusé ; le contributeur est prévenu par e-mail."),
    "archive": gettext_lazy("Archivé."),
}


@login_required
@require_POST
def act(request, pk):
    """Apply one moderation action. A stale page (someone acted meanwhile) is refused with a clear message."""
    _require_moderator(request)
    case = get_object_or_404(Case, pk=pk)
    action = request.POST.get("action", "")
    target = request.POST.get("target", "case")
    form = ModerationForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    override = form.cleaned_data["disclosure_override"] if form.is_valid() else ""
    seen = request.POST.get("seen_event", "")
    latest = case.moderation_events.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    if seen and str(latest) != seen:
        messages.error(request, _("Ce dossier a changé depuis que vous l'avez ouvert (un autre modérateur l'a "
                                  "peut-être déjà traité) : rien n'a été appliqué. Relisez-le avant d'agir."))
        return redirect("cases:moderation_review", pk=case.pk)
    try:
        with transaction.atomic():
            if target == "revision":
                revision = get_object_or_404(CaseRevision, pk=request.POST.get("revision"), case=case)
                service = REVISION_ACTIONS.get(action)
                if service is None:
                    raise ValidationError(_("Action inconnue."))
                kwargs = {"comment": comment}
                if action == "publish":
                    kwargs["disclosure_override"] = override
                service(revision=revision, actor=request.user, **kwargs)
            else:
                service = CASE_ACTIONS.get(action)
                if service is None:
                    raise ValidationError(_("Action inconnue."))
                kwargs = {"disclosure_override": override} if action == "publish" else {}
                service(case=case, actor=request.user, comment=comment, **kwargs)
    except ValidationError as error:
        text = " ".join(str(m) for m in (error.message_dict.get("comment") if hasattr(error, "error_dict")
                                         else error.messages))
        case.refresh_from_db(fields=["status"])
        messages.error(request, _("Action non appliquée : %(reason)s (statut actuel du cas : %(status)s).")
                       % {"reason": text, "status": case.get_status_display()})
        return redirect("cases:moderation_review", pk=case.pk)
    messages.success(request, DONE.get(action, ""))
    return redirect("cases:moderation_queue")


@login_required
def contributors(request):
    """Officials who signed up; a moderator vouches for the ones whose collectivity they checked."""
    _require_moderator(request)
    profiles = ContributorProfile.objects.select_related("user", "territory", "verified_by").order_by(
        "verified_at", "-created_at")
    return render(request, "moderation/contributors.html", {"profiles": profiles})


@login_required
@require_POST
def verify_contributor(request, pk):
    if not abilities(request.user)["verify_contributors"]:
        raise PermissionDenied
    profile = get_object_or_404(ContributorProfile, pk=pk)
    verified = request.POST.get("verified", "1") == "1"
    contributor_verify(profile=profile, actor=request.user, verified=verified)
    messages.success(request, _("Contributeur marqué comme vérifié.") if verified
                     else _("Vérification retirée."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/moderation/")
                    else "cases:moderation_contributors")

