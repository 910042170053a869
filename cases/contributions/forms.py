"""Forms of the guided case form: choosing a collectivity (autocomplete with JavaScript, a plain
search then radio buttons without it), the case's content, its tools, stakeholders and sources
(formsets) and the factor grid. ``cases.contributions.submission`` puts them together.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Case, DigitalTool, Event, Source, Stakeholder, Territory
from ..vocabularies import (
    FACTOR_GROUPS,
    Assessment,
    CoproductionMode,
    Disclosure,
    Factor,
    FactorGroup,
    Theme,
)
from . import payload as payloads


def territory_label(territory: Territory) -> str:
    parts = [f"{territory.name} ({territory.get_kind_display()}, {territory.code})"]
    if territory.departement_id and territory.departement_id != territory.pk:
        parts.append(territory.departement.name)
    if territory.population:
        from django.utils.formats import number_format

        parts.append(_("%(pop)s hab.") % {"pop": number_format(territory.population, force_grouping=True)})
    return " — ".join(parts)


class TerritoryPickerMixin:
    """Adds ``territory_query`` (what the person types) and ``territory`` (the chosen row).

    The JavaScript widget fills ``territory`` (a hidden id) from ``/territoires/recherche/``. Without
    JavaScript the query is searched on submit: one match is taken, several are offered as radio
    buttons next to the field, none gives an error there.
    """

    territory_required = True
    territory_matches_limit = 12

    def add_territory_fields(self, *, initial_territory: Territory | None = None):
        self.fields["territory_query"] = forms.CharField(
            label=_("Collectivité"), max_length=200, required=False,
            help_text=_("Nom ou code officiel (INSEE pour une commune, SIREN pour une intercommunalité)."),
            initial=initial_territory.name if initial_territory else "",
        )
        self.fields["territory"] = forms.ModelChoiceField(
            queryset=Territory.objects.all(), required=False, widget=forms.HiddenInput,
            initial=initial_territory.pk if initial_territory else None,
        )
        self.fields["territory_choice"] = forms.ChoiceField(
            label=_("Précisez la collectivité"), required=False, widget=forms.RadioSelect, choices=[],
        )
        self.territory_matches = []
        if self.is_bound:
            from ..territories.selectors import territory_search

            query = (self.data.get(self.add_prefix("territory_query")) or "").strip()
            if query:
                self.territory_matches = list(territory_search(query=query, limit=self.territory_matches_limit))
                self.fields["territory_choice"].choices = [(t.pk, territory_label(t)) for t in self.territory_matches]

    def clean_territory_pick(self, cleaned: dict[str, Any]) -> Territory | None:
        choice = cleaned.get("territory_choice")
        if choice:
            return next(t for t in self.territory_matches if str(t.pk) == str(choice))
        picked = cleaned.get("territory")
        query = (cleaned.get("territory_query") or "").strip()
        if picked is not None and (not query or query in (picked.name, territory_label(picked), picked.code)
                                   or picked in self.territory_matches):
            return picked
        if not query:
            if self.territory_required:
                self.add_error("territory_query", _("Indiquez votre collectivité."))
            return None
        matches = self.territory_matches
        exact = [t for t in matches if t.code.lower() == query.lower() or t.siren == query
                 or t.name.lower() == query.lower()]
        if len(matches) == 1 or len(exact) == 1:
            return (exact or matches)[0]
        if not matches:
            self.add_error("territory_query", _("Aucune collectivité ne correspond à « %(q)s ».") % {"q": query})
        else:
            self.add_error("territory_choice", _("Plusieurs collectivités correspondent : choisissez la vôtre."))
        return None


class TerritoryForm(TerritoryPickerMixin, forms.Form):
    """Changing the collectivity of a draft."""

    def __init__(self, *args, initial_territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_territory_fields(initial_territory=initial_territory)

    def clean(self):
        cleaned = super().clean()
        cleaned["territory"] = self.clean_territory_pick(cleaned)
        return cleaned


class NewCaseForm(TerritoryForm):
    """Step one of a new contribution: what the initiative is called and where it happens."""

    title = forms.CharField(
        label=_("Nom de l'initiative"), max_length=200,
        help_text=_("Par exemple : « Budget participatif et plateforme de concertation »."),
    )


class CaseContentForm(forms.ModelForm):
    """The case's own fields. A ModelForm so that the model's own validation applies, field by field."""

    secondary_themes = forms.MultipleChoiceField(
        label=_("Thématiques secondaires"), choices=Theme.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disclosure = forms.ChoiceField(
        label=_("Publication du nom de la collectivité"), choices=Disclosure.choices, initial=Disclosure.NAMED,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Case
        fields = [
            "title", "territory", "carrier", "population_city", "population_epci", "population_year",
            "seasonal_population_peak", "launch_year", "horizon_year", "dominant_theme", "management_mode",
            "summary", "website", "disclosure", "pseudonym",
        ]
        widgets = {
            "territory": forms.HiddenInput,
            "summary": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"summary": _("Présentation de l'initiative")}
        help_texts = {
            "summary": _("Objectifs, publics, déroulé. Mise en forme Markdown possible (listes, liens, gras)."),
            "pseudonym": _("Par exemple « Collectivité D ». Obligatoire si le nom n'est pas publié."),
            "horizon_year": _("L'année de la principale échéance du projet."),
        }

    # Completeness rules of a submission (a draft may lack any of these).
    required_to_submit = ["territory", "carrier", "launch_year", "dominant_theme", "management_mode", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.all()
        for name in ("population_city", "population_epci", "population_year", "seasonal_population_peak",
                     "launch_year", "horizon_year"):
            self.fields[name].widget.attrs.setdefault("inputmode", "numeric")

    def clean(self):
        cleaned = super().clean()
        launch, horizon = cleaned.get("launch_year"), cleaned.get("horizon_year")
        if launch and horizon and horizon < launch:
            self.add_error("horizon_year", _("La principale échéance ne peut précéder le lancement."))
        if cleaned.get("disclosure") == Disclosure.PSEUDONYMISED and not (cleaned.get("pseudonym") or "").strip():
            self.add_error("pseudonym", _("Un cas pseudonymisé doit avoir un pseudonyme."))
        for name in ("launch_year", "horizon_year", "population_year"):
            value = cleaned.get(name)
            if value is not None and not 1900 <= value <= 2100:
                self.add_error(name, _("Indiquez une année à quatre chiffres."))
        return cleaned


class RowForm(forms.ModelForm):
    """A row of a formset: ``id`` ties it to an existing row of the case, so updates keep its history."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ToolForm(RowForm):
    coproduction_mode = forms.ChoiceField(
        label=_("Mode de co-production"), choices=CoproductionMode.choices, widget=forms.RadioSelect,
    )

    class Meta:
        model = DigitalTool
        fields = ["id", "name", "tool_type", "status", "software", "open_source", "url", "launch_year",
                  "end_year", "coproduction_mode", "classification_rationale"]
        widgets = {"classification_rationale": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": _("Nom de l'outil"), "open_source": _("Logiciel libre ?")}
        help_texts = {
            "software": _("Decidim, CONSUL, Cap Collectif, développement interne…"),
            "classification_rationale": _(
                "Pourquoi ce mode : que font concrètement les usagers avec cet outil ?"
            ),
        }

    def clean(self):
        cleaned = super().clean()
        launch, end = cleaned.get("launch_year"), cleaned.get("end_year")
        if launch and end and end < launch:
            self.add_error("end_year", _("L'année de fin ne peut précéder le lancement."))
        return cleaned


class StakeholderForm(RowForm):
    class Meta:
        model = Stakeholder
        fields = ["id", "name", "helix", "role"]
        labels = {"name": _("Nom de l'acteur")}


class SourceForm(RowForm):
    class Meta:
        model = Source
        fields = ["id", "kind", "citation", "url", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "citation": forms.Textarea(attrs={"rows": 2})}
        labels = {"citation": _("Référence du document")}


class EventForm(RowForm):
    class Meta:
        model = Event
        fields = ["id", "date", "date_precision", "kind", "title", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 2})}
        labels = {"title": _("Intitulé de l'étape")}
        help_texts = {"date_precision": _("Pour une étape connue à l'année près, choisissez « année » "
                                          "(la date indiquée n'en garde que l'année).")}


class RowFormSet(forms.BaseFormSet):
    """Every row is optional: a blank row is dropped rather than refused, wherever it came from."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return min(len(self.initial or []) + self.extra, self.absolute_max)

    def kept_forms(self):
        # Read from the raw data, not cleaned_data: drafts are kept before (and whatever) validation.
        return [form for form in self.forms
                if form.has_changed() and not (self.can_delete and form["DELETE"].data)]

    def raw_rows(self) -> list[dict]:
        return [{name: form[name].data for name in form.fields if name != "DELETE"} for form in self.kept_forms()]


def _formset(form):
    return forms.formset_factory(form, formset=RowFormSet, extra=1, can_delete=True,
                                 max_num=payloads.MAX_ROWS, validate_max=True, absolute_max=payloads.MAX_ROWS + 10)


ToolFormSet = _formset(ToolForm)


StakeholderFormSet = _formset(StakeholderForm)


EventFormSet = _formset(EventForm)


SourceFormSet = _formset(SourceForm)


class FactorsForm(forms.Form):
    """The full factor grid of the study: an assessment and a note for each factor."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in Factor:
            self.fields[f"{factor.value}__assessment"] = forms.ChoiceField(
                label=factor.label, choices=Assessment.choices, initial=Assessment.UNKNOWN, required=False,
            )
            self.fields[f"{factor.value}__note"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000,
            )

    def groups(self):
        """``(group label, [(assessment field, note field)…])`` in the study's order, for the template."""
        return [
            (FactorGroup(group).label, [(self[f"{f.value}__assessment"], self[f"{f.value}__note"]) for f in factors])
            for group, factors in FACTOR_GROUPS.items()
        ]

    def raw(self) -> dict:
        result = {}
        for factor in Factor.values:
            assessment = self[f"{factor}__assessment"].data
            note = self[f"{factor}__note"].data
            if (assessment and assessment != Assessment.UNKNOWN) or note:
                result[factor] = {"assessment": assessment or Assessment.UNKNOWN, "note": note or ""}
        return result

    def cleaned(self) -> dict:
        return {
            factor: {"assessment": self.cleaned_data.get(f"{factor}__assessment") or Assessment.UNKNOWN,
                     "note": self.cleaned_data.get(f"{factor}__note") or ""}
            for factor in Factor.values
        }
