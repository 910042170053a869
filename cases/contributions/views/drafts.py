"""The officials' side: their dashboard, the guided form (drafts and updates) and the public history page.

Views are thin: the form validates, the services write, ``abilities`` decides.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.catalogue.services import population_snapshot
from cases.contributions.services import case_withdraw, contribution_start, revision_save, revision_submit

from ...models import Case, CaseRevision, ModerationEvent, Territory
from ...permissions import abilities
from ...vocabularies import (
    COPRODUCTION_DEFINITIONS,
    REVISION_OPEN_STATUSES,
    SUGGESTED_MODE,
    CaseStatus,
    CoproductionMode,
    RevisionStatus,
    ToolType,
)
from ..forms import NewCaseForm, TerritoryForm
from ..payload import case_payload
from ..ratelimits import limit_posts, limited, too_many
from ..submission import CaseSubmission, InvalidContent


def _message_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@login_required
def dashboard(request):
    """The official's cases, with their status, any pending update and their moderation history."""
    cases = (
        Case.objects.filter(submitted_by=request.user)
        .select_related("territory")
        .prefetch_related(
            # Workflow steps only: a record that is no transition (from == to, a moderator's disclosure
            # override, cases.disclosure.gate) is the moderators' own.
            Prefetch("moderation_events", queryset=ModerationEvent.objects.select_related("revision")
                     .exclude(from_status=F("to_status")).order_by("-created_at", "-pk")),
            Prefetch("revisions", queryset=CaseRevision.objects.filter(status__in=REVISION_OPEN_STATUSES),
                     to_attr="open_revisions"),
        )
        .order_by("-updated_at", "-pk")
    )
    return render(request, "contributions/dashboard.html", {"cases": cases})


@login_required
@limit_posts("submission")
@require_http_methods(["GET", "POST"])
def new_case(request):
    """Step one: name the initiative and pick the collectivity; the draft then opens in the guided form."""
    profile = getattr(request.user, "contributor_profile", None)
    form = NewCaseForm(request.POST or None, initial_territory=profile.territory if profile else None)
    if request.method == "POST" and form.is_valid():
        case = contribution_start(actor=request.user, title=form.cleaned_data["title"],
                                           territory=form.cleaned_data["territory"])
        messages.success(request, _("Brouillon créé. Complétez-le à votre rythme : il est enregistré à chaque étape."))
        return redirect("cases:contrib_edit", pk=case.pk)
    return render(request, "contributions/new_case.html", {"form": form}, status=400 if form.errors else 200)


def _contributable(request, pk) -> tuple[Case, CaseRevision | None]:
    case = get_object_or_404(Case.objects.select_related("territory"), pk=pk)
    if not abilities(request.user, case)["contribute"]:
        # Not "forbidden": whether someone else's draft exists is nobody's business.
        raise Http404
    revision = CaseRevision.objects.filter(case=case, status__in=REVISION_OPEN_STATUSES).first()
    return case, revision


def _reference_figures(territory_id) -> dict:
    """The reference populations of the chosen collectivity, shown beside the editable figures."""
    try:
        territory = Territory.objects.select_related("epci").get(pk=territory_id) if territory_id else None
    except (Territory.DoesNotExist, ValueError, TypeError):
        territory = None
    return {"territory": territory, **population_snapshot(territory)}


def _edit_context(case, revision, submission):
    territory_id = submission.case_form["territory"].value()
    # The moderator's last request for changes (of the pending update, or of the case): not simply the last
    # event, which may be a moderators' record (a disclosure override, cases.disclosure.gate).
    requests = case.moderation_events.filter(to_status=CaseStatus.CHANGES_REQUESTED).order_by("created_at", "pk")
    if revision is not None and revision.status == RevisionStatus.CHANGES_REQUESTED:
        requests = requests.filter(revision=revision)
    else:
        requests = requests.filter(revision__isnull=True)
    return {
        "case": case,
        "revision": revision,
        "changes_request": requests.last(),
        "submission": submission,
        "is_update": case.status == CaseStatus.PUBLISHED,
        "reference": _reference_figures(territory_id),
        "modes": [(mode.value, mode.label, COPRODUCTION_DEFINITIONS[mode]) for mode in CoproductionMode],
        "suggested_modes": {str(tool_type): str(mode) for tool_type, mode in SUGGESTED_MODE.items()},
        "suggested_rows": [(ToolType(t).label, CoproductionMode(m).label) for t, m in SUGGESTED_MODE.items()],
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The guided form. Every POST first saves what was typed as the draft, then does what was asked."""
    case, revision = _contributable(request, pk)
    if revision is not None and revision.status == RevisionStatus.SUBMITTED:
        messages.info(request, _("Votre mise à jour attend la décision d'un modérateur : elle ne peut plus être "
                                 "modifiée d'ici là."))
        return redirect("cases:contrib_dashboard")
    if request.method == "GET":
        payload = revision.data if revision is not None else case_payload(case)
        if "events" not in payload:  # a working copy saved before the form had a timeline
            payload = {**payload, "events": case_payload(case)["events"]}
        submission = CaseSubmission(initial=payload)
        return render(request, "contributions/edit.html", _edit_context(case, revision, submission))

    submission = CaseSubmission(data=request.POST)
    action = request.POST.get("action", "save")
    try:
        revision = revision_save(case=case, actor=request.user, data=submission.raw_payload())
    except ValidationError as error:
        messages.error(request, _message_of(error))
        return redirect("cases:contrib_dashboard")
    if action == "territory":
        return redirect("cases:contrib_territory", pk=case.pk)
    if action != "submit":
        messages.success(request, _("Brouillon enregistré."))
        return redirect("cases:contrib_edit", pk=case.pk)
    if limited(request, "submission"):
        return too_many(request)
    if submission.is_valid(submit=True):
        try:
            revision_submit(revision=revision, actor=request.user)
        except InvalidContent:
            pass  # the form said yes and the service no: show the form's own errors below
        except ValidationError as error:
            messages.error(request, _message_of(error))
            return redirect("cases:contrib_dashboard")
        else:
            if case.status == CaseStatus.PUBLISHED:
                messages.success(request, _("Mise à jour envoyée aux modérateurs. La version publiée reste en "
                                            "ligne jusqu'à leur décision."))
            else:
                messages.success(request, _("Initiative envoyée aux modérateurs. Vous serez prévenu par e-mail."))
            return redirect("cases:contrib_dashboard")
    # No flash message here: the page itself opens on the list of errors (contributions/edit.html).
    context = _edit_context(case, revision, submission)
    context["error_links"] = submission.error_links()
    return render(request, "contributions/edit.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def change_territory(request, pk):
    """Choose another collectivity for a draft; its reference populations come with it."""
    case, revision = _contributable(request, pk)
    payload = revision.data if revision is not None else case_payload(case)
    current = _reference_figures(payload.get("case", {}).get("territory"))["territory"]
    form = TerritoryForm(request.POST or None, initial_territory=current)
    if request.method == "POST" and form.is_valid():
        territory = form.cleaned_data["territory"]
        content = dict(payload.get("case", {}))
        content["territory"] = territory.pk if territory else None
        for name in ("population_city", "population_epci", "population_year"):
            content[name] = None
        content.update(population_snapshot(territory))
        try:
            revision_save(case=case, actor=request.user, data={**payload, "case": content})
        except ValidationError as error:
            messages.error(request, _message_of(error))
            return redirect("cases:contrib_dashboard")
        messages.success(request, _("Collectivité changée ; les populations de référence ont été reprises."))
        return redirect("cases:contrib_edit", pk=case.pk)
    return render(request, "contributions/territory.html", {"case": case, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def withdraw(request, pk):
    """Withdraw a submitted case from moderation (the contributor's right): it becomes a draft again."""
    case = get_object_or_404(Case, pk=pk)
    if not abilities(request.user, case).get("withdraw"):
        raise Http404
    case_withdraw(case=case, actor=request.user)
    messages.success(request, _("Initiative retirée de la modération : elle redevient un brouillon."))
    return redirect("cases:contrib_dashboard")
