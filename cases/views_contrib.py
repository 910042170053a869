"""The officials' side: their dashboard, the guided form (drafts and updates) and the public history page.

Views are thin: the form validates, the services write, ``abilities`` decides.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import CaseSubmission, InvalidContent, NewCaseForm, TerritoryForm
from .history import CaseHistory
from .models import Case, CaseRevision, ModerationEvent, Territory
from .payload import case_payload
from .permissions import abilities
from .ratelimits import limit_posts, limited, too_many
from .vocabularies import (
    COPRODUCTION_DEFINITIONS,
    REVISION_OPEN_STATUSES,
    SUGGESTED_MODE,
    CaseStatus,
    CoproductionMode,
    RevisionStatus,
    ToolType,
)


def _message_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@login_required
def dashboard(request):
    """The official's cases, with their status, any pending update and their moderation history."""
    cases = (
        Case.objects.filter(submitted_by=request.user)
        .select_related("territory")
        .prefetch_related(
            Prefetch("moderation_events", queryset=ModerationEvent.objects.select_related("revision")
                     .order_by("-created_at", "-pk")),
            Prefetch("revisions", queryset=CaseRevision.objects.filter(status__in=REVISION_OPEN_STATUSES),
                     to_attr="open_revisions"),
        )
        .order_by("-updated_at", "-pk")
    )
    return render(request, "contrib/dashboard.html", {"cases": cases})


@login_required
@limit_posts("submission")
@require_http_methods(["GET", "POST"])
def new_case(request):
    """Step one: name the initiative and pick the collectivity; the draft then opens in the guided form."""
    profile = getattr(request.user, "contributor_profile", None)
    form = NewCaseForm(request.POST or None, initial_territory=profile.territory if profile else None)
    if request.method == "POST" and form.is_valid():
        case = services.contribution_start(actor=request.user, title=form.cleaned_data["title"],
                                           territory=form.cleaned_data["territory"])
        messages.success(request, _("Brouillon créé. Complétez-le à votre rythme : il est enregistré à chaque étape."))
        return redirect("cases:contrib_edit", pk=case.pk)
    return render(request, "contrib/new_case.html", {"form": form}, status=400 if form.errors else 200)


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
    return {"territory": territory, **services.population_snapshot(territory)}


def _edit_context(case, revision, submission):
    territory_id = submission.case_form["territory"].value()
    return {
        "case": case,
        "revision": revision,
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
        submission = CaseSubmission(initial=payload)
        return render(request, "contrib/edit.html", _edit_context(case, revision, submission))

    submission = CaseSubmission(data=request.POST)
    action = request.POST.get("action", "save")
    try:
        revision = services.revision_save(case=case, actor=request.user, data=submission.raw_payload())
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
            services.revision_submit(revision=revision, actor=request.user)
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
    messages.error(request, _("Votre brouillon est enregistré, mais il ne peut pas encore être soumis : "
                              "%(n)s point(s) à compléter, signalé(s) à côté des champs.")
                   % {"n": max(submission.error_count, 1)})
    context = _edit_context(case, revision, submission)
    return render(request, "contrib/edit.html", context, status=400)


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
        content.update(services.population_snapshot(territory))
        try:
            services.revision_save(case=case, actor=request.user, data={**payload, "case": content})
        except ValidationError as error:
            messages.error(request, _message_of(error))
            return redirect("cases:contrib_dashboard")
        messages.success(request, _("Collectivité changée ; les populations de référence ont été reprises."))
        return redirect("cases:contrib_edit", pk=case.pk)
    return render(request, "contrib/territory.html", {"case": case, "form": form},
                  status=400 if form.errors else 200)


class HistoryDateForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Voir le profil tel qu'il était le"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and not dt.date(1990, 1, 1) <= value <= dt.date(2100, 12, 31):
            raise ValidationError(_("Choisissez une date plausible."))
        return value


def case_history(request, slug):
    """Public: the published versions of a case, what each changed, and its profile on a chosen date."""
    case = selectors.case_get(slug=slug, user=request.user)
    can = abilities(request.user, case)
    if not can["view_history"]:
        raise Http404
    history = CaseHistory(case, masked=case.is_pseudonymised and not can["view_identity"])
    form = HistoryDateForm(request.GET or None)
    as_of_version = as_of = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date"):
        as_of_version, as_of = history.as_of(form.cleaned_data["date"])
    return render(request, "cases/case_history.html", {
        "case": case, "can": can, "versions": history.versions(), "form": form,
        "as_of": as_of, "as_of_version": as_of_version, "masked": history.masked,
    }, status=400 if form.errors else 200)
