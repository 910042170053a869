"""The landing page, a case's profile and its public history (its published versions, "as of" a date).

Views are thin: they ask selectors for data and the gate for permissions.
"""

import datetime as dt
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...permissions import abilities
from ...research import selectors as research
from .. import layout, selectors
from ..citation import case_citation
from ..history import CaseHistory


def home(request):
    return render(request, "catalogue/home.html", {
        "figures": selectors.public_figures(),
        "latest": selectors.latest_cases(user=request.user),
    })


def _gone_if_retired(view):
    """An old slug of a case that became pseudonymised answers 410 with a page that points nowhere."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        try:
            return view(request, slug, *args, **kwargs)
        except selectors.CaseGone:
            return render(request, "catalogue/gone.html", status=410)

    return wrapper


@_gone_if_retired
def case_detail(request, slug):
    case = selectors.case_get(slug=slug, user=request.user)
    permalink = request.build_absolute_uri(case.get_absolute_url())
    findings = research.case_findings(case)
    return render(
        request,
        "catalogue/case_detail.html",
        {
            "case": case,
            "can": abilities(request.user, case),
            "characteristics": layout.characteristics(case, research.case_field_provenance(case)),
            "mode_columns": layout.tools_by_mode(case, findings),
            "factor_grid": layout.factor_grid(case, findings),
            "mentions": [f for f in findings if f.kind == "mention"],
            "stakeholder_groups": layout.stakeholders_by_helix(case),
            "permalink": permalink,
            "citation": case_citation(case, url=permalink, accessed=timezone.localdate()),
        },
    )


class HistoryDateForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Voir le profil tel qu'il était le"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and not dt.date(1990, 1, 1) <= value <= dt.date(2100, 12, 31):
            raise ValidationError(_("Choisissez une date plausible."))
        return value


@_gone_if_retired
def case_history(request, slug):
    """Public: the published versions of a case, what each changed, and its profile on a chosen date."""
    case = selectors.case_get(slug=slug, user=request.user)
    can = abilities(request.user, case)
    if not can["view_history"]:
        raise Http404
    history = CaseHistory(case, public=not can["view_identity"])
    form = HistoryDateForm(request.GET or None)
    as_of_version = as_of = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date"):
        as_of_version, as_of = history.as_of(form.cleaned_data["date"])
    return render(request, "catalogue/case_history.html", {
        "case": case, "can": can, "versions": history.versions(), "form": form,
        "as_of": as_of, "as_of_version": as_of_version, "masked": history.masked,
    }, status=400 if form.errors else 200)
