"""The moderators' double-coding screens: blind coding (one's own codings only) and reconciliation.

Permissions come from the one gate (``abilities(user)["code"]`` / ``["reconcile"]``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..permissions import abilities
from . import selectors, services
from .agreement import agreement_report
from .models import CODING_VALUES
from .vocabularies import CodingVocabulary


def _require(request, ability):
    if not abilities(request.user)[ability]:
        raise PermissionDenied


class CodingForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput, max_length=80)
    value = forms.ChoiceField(label=gettext_lazy("Valeur"), choices=())
    rationale = forms.CharField(label=gettext_lazy("Justification"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, vocabulary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", "—"), *CODING_VALUES[vocabulary]]


class ReconciliationForm(CodingForm):
    rationale = None
    reason = forms.CharField(label=gettext_lazy("Motif de la décision"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    vocabulary = forms.ChoiceField(widget=forms.HiddenInput, choices=CodingVocabulary.choices)


def _auto_id(item: str) -> str:
    # One small form per item on the page: distinct ids, same field names.
    return "id_" + item.replace(":", "-") + "_%s"


def _vocabulary(request) -> str:
    value = request.GET.get("vocabulaire") or request.POST.get("vocabulaire")
    return value if value in CodingVocabulary.values else CodingVocabulary.CONTINUUM


@login_required
def coding(request):
    """Code items blind: the page shows the item and one's own coding, never another coder's."""
    _require(request, "code")
    vocabulary = _vocabulary(request)
    if request.method == "POST":
        form = CodingForm(request.POST, vocabulary=vocabulary)
        if form.is_valid():
            try:
                services.coding_record(coder=request.user, vocabulary=vocabulary, item=form.cleaned_data["item"],
                                       value=form.cleaned_data["value"], rationale=form.cleaned_data["rationale"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Codage enregistré."))
        else:
            messages.error(request, _("Choisissez une valeur."))
        return redirect(f"{request.path}?vocabulaire={vocabulary}")
    mine = selectors.my_codings(request.user, vocabulary)
    items = [
        {"key": key, "label": label, "context": context, "mine": mine.get(key),
         "form": CodingForm(vocabulary=vocabulary, initial={
             "item": key, "value": getattr(mine.get(key), "value", ""),
             "rationale": getattr(mine.get(key), "rationale", "")}, auto_id=_auto_id(key))}
        for key, label, context in selectors.coding_items(vocabulary)
    ]
    return render(request, "research/coding.html", {
        "vocabulary": vocabulary, "vocabularies": CodingVocabulary.choices, "items": items,
    })


@login_required
def reconciliation(request):
    """Items the coders disagree on, with each coding, and the decision (who, what, why)."""
    _require(request, "reconcile")
    if request.method == "POST":
        vocabulary = request.POST.get("vocabulary")
        if vocabulary not in CodingVocabulary.values:
            raise PermissionDenied
        form = ReconciliationForm(request.POST, vocabulary=vocabulary)
        if form.is_valid():
            try:
                services.reconcile(actor=request.user, vocabulary=vocabulary, item=form.cleaned_data["item"],
                                   value=form.cleaned_data["value"], reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Décision enregistrée."))
        else:
            messages.error(request, _("Choisissez une valeur et donnez le motif de la décision."))
        return redirect(request.path)
    rows = selectors.disagreements()
    for row in rows:
        decided = row["reconciliation"]
        row["form"] = ReconciliationForm(vocabulary=row["vocabulary"], auto_id=_auto_id(row["item"]), initial={
            "item": row["item"], "vocabulary": row["vocabulary"], "value": getattr(decided, "value", ""),
            "reason": getattr(decided, "reason", "")})
        row["vocabulary_label"] = CodingVocabulary(row["vocabulary"]).label
    return render(request, "research/reconciliation.html", {"rows": rows, "agreements": agreement_report()})
