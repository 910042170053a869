"""The admin, made for researchers: every model searchable and filterable, a case edited with all of
its children inline. Saving a case from the admin goes through the services, like every other write,
and so through the disclosure gate (``DisclosureGateAdmin``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from cases.catalogue.services import CASE_FIELDS, case_child_delete, case_child_save, case_create, case_update
from cases.disclosure.gate import DisclosureRefused, current_write, gated_write
from cases.moderation.services import case_publish
from cases.research import admin as _research_admin  # noqa: F401  (registers the research models)
from cases.research.services import case_values_validate

from .models import (
    Case,
    CaseCollectionMethod,
    CaseRevision,
    CaseSecondaryTheme,
    ContributorProfile,
    DigitalTool,
    Event,
    FactorAssessment,
    ModerationEvent,
    OutgoingEmail,
    Release,
    Source,
    Stakeholder,
    Territory,
)
from .permissions import abilities
from .vocabularies import CollectionMethod, Theme


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "epci_type", "population", "population_year", "departement", "region"]
    list_filter = ["kind", "epci_type", "region", "cog_year"]
    search_fields = ["name", "search_name", "code", "siren"]
    list_select_related = ["departement", "region"]
    autocomplete_fields = ["departement", "region", "epci", "ept"]
    readonly_fields = ["search_name"]
    show_full_result_count = False


# Who asserted a coded value is set by the services (cases.research.provenance), never typed in.
PROVENANCE_FIELDS = ("provenance", "provenance_reference", "validated_at")


OVERRIDE_FIELD = "disclosure_override"


class DisclosureOverrideForm(forms.ModelForm):
    """An admin form with the reason to override the disclosure gate, and the gate's refusal as its error."""

    disclosure_override = forms.CharField(
        label=_("Dérogation au contrôle de divulgation (motif)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement pour enregistrer, sur un cas pseudonymisé publié, un texte ou des valeurs que le "
                    "contrôle de divulgation refuse : le motif est enregistré dans l'historique de modération."),
    )
    disclosure_refused = None  # set by DisclosureGateAdmin.get_form when the gate refused this very POST

    def clean(self):
        cleaned = super().clean()
        if self.disclosure_refused is not None:
            self.add_error(OVERRIDE_FIELD if OVERRIDE_FIELD in self.fields else None, self.disclosure_refused.messages)
        return cleaned


class DisclosureGateAdmin(SimpleHistoryAdmin):
    """Admin writes pass the disclosure gate as one write (the case and its inlines, or one child); a
    refusal is a form error on the page, never a 500.

    The whole POST runs in one transaction under ``gated_write``, with the reason typed in the form's
    ``disclosure_override``. The gate judges the result just before the admin logs the change (after
    the inlines are saved, before any success message); a refusal rolls everything back, and the same
    POST is shown again, unsaved, with the refusal as the error of the override field.
    """

    def _gated(self, view, request, *args):
        if request.method != "POST":
            return view(request, *args)
        try:
            with transaction.atomic(), gated_write(override=request.POST.get(OVERRIDE_FIELD, ""), actor=request.user):
                return view(request, *args)
        except DisclosureRefused as refused:
            request.disclosure_refused = refused
            return view(request, *args)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._gated(super().changeform_view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # "Revert to this version" saves through save_model too.
        return self._gated(super().history_form_view, request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "disclosure_refused", None)
        if refused is None:
            return form
        return type(form.__name__, (form,), {"disclosure_refused": refused})

    def _judge(self):
        write = current_write()
        if write is not None:
            write.check()

    def log_change(self, request, obj, message):
        self._judge()  # every save of the POST is done; the answer is not yet written
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        self._judge()
        return super().log_addition(request, obj, message)


class CaseChildInline(admin.StackedInline):
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A child's evidence must be one of the sources of the same case.
        if db_field.name == "source":
            case_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Source.objects.filter(case_id=case_id) if case_id else Source.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DigitalToolInline(CaseChildInline):
    model = DigitalTool
    fields = [("name", "tool_type"), ("coproduction_mode", "status"), "classification_rationale",
              ("launch_year", "end_year"), ("software", "open_source"), ("url", "source"), "position",
              PROVENANCE_FIELDS]
    readonly_fields = PROVENANCE_FIELDS


class StakeholderInline(CaseChildInline):
    model = Stakeholder
    fields = [("name", "helix"), "role", "source", PROVENANCE_FIELDS]
    readonly_fields = PROVENANCE_FIELDS
    classes = ["collapse"]


class FactorAssessmentInline(CaseChildInline):
    model = FactorAssessment
    fields = [("factor", "assessment"), "note", "source", PROVENANCE_FIELDS]
    readonly_fields = PROVENANCE_FIELDS


class EventInline(CaseChildInline):
    model = Event
    fields = [("date", "date_precision", "kind"), "title", "description", "source"]


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [("kind", "date"), "citation", "url", "note"]


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseAdminForm(DisclosureOverrideForm):
    secondary_themes = forms.MultipleChoiceField(
        label=_("Thématiques secondaires"), choices=Theme.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    collection_methods = forms.MultipleChoiceField(
        label=_("Méthodes de collecte"), choices=CollectionMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = sorted(CASE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["secondary_themes"].initial = self.instance.secondary_themes
            self.fields["collection_methods"].initial = self.instance.collection_methods


class HighestModeFilter(admin.SimpleListFilter):
    title = _("mode de co-production présent")
    parameter_name = "mode"

    def lookups(self, request, model_admin):
        from .vocabularies import CoproductionMode

        return CoproductionMode.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tools__coproduction_mode=self.value()).distinct()
        return queryset


@admin.register(Case)
class CaseAdmin(DisclosureGateAdmin):
    form = CaseAdminForm
    list_display = ["title", "pseudonym", "status", "territory", "carrier", "dominant_theme",
                    "management_mode", "launch_year", "horizon_year", "updated_at"]
    list_filter = ["status", "disclosure", "carrier", "dominant_theme", "management_mode", "scope",
                   HighestModeFilter, "territory__region"]
    search_fields = ["title", "pseudonym", "summary", "territory__name", "territory__code", "tools__name"]
    list_select_related = ["territory"]
    autocomplete_fields = ["territory"]
    readonly_fields = ["slug", "status", "submitted_by", "published_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [DigitalToolInline, StakeholderInline, FactorAssessmentInline, EventInline, SourceInline,
               ModerationEventInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "territory", "scope", "carrier"]}),
        (_("Principales caractéristiques"), {"fields": [
            ("population_city", "population_epci", "population_year"), "seasonal_population_peak",
            ("launch_year", "launch_date", "horizon_year"), "dominant_theme", "secondary_themes",
            "management_mode"]}),
        (_("Présentation"), {"fields": ["summary", "website"]}),
        (pgettext_lazy("research data", "Recherche"), {
            "fields": ["collection_methods", ("observation_start_year", "observation_end_year")]}),
        (_("Divulgation"), {"fields": ["disclosure", "pseudonym", "population_disclosure", OVERRIDE_FIELD]}),
        (_("Suivi"), {"fields": ["submitted_by", "published_at", "created_at", "updated_at"]}),
    ]
    actions = ["publish_selected", "validate_selected"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data
                  if name in CASE_FIELDS}
        links = {"secondary_themes": form.cleaned_data.get("secondary_themes", []),
                 "collection_methods": form.cleaned_data.get("collection_methods", [])}
        if change:
            case_update(case=obj, actor=request.user, **fields, **links)
        else:
            created = case_create(actor=request.user, **fields, **links)
            obj.pk, obj.slug = created.pk, created.slug
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        # Children are written through the services too (validation, history), not by formset.save().
        for instance in formset.save(commit=False):
            # A change made here by a moderator is the editors' assertion (cases.research.provenance).
            case_child_save(instance=instance, actor=request.user)
        for instance in formset.deleted_objects:
            case_child_delete(instance=instance)

    @admin.action(description=_("Valider les valeurs codées des cas sélectionnés (telles qu'elles sont)"))
    def validate_selected(self, request, queryset):
        if not abilities(request.user)["reconcile"]:
            raise PermissionDenied
        done = sum(case_values_validate(case=case, actor=request.user) for case in queryset)
        self.message_user(request, _("%(n)d valeur(s) validée(s).") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Publier les cas sélectionnés (soumis ou archivés)"))
    def publish_selected(self, request, queryset):
        done = 0
        for case in queryset:
            try:
                case_publish(case=case, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{case}: {'; '.join(error.messages)}", messages.WARNING)
        if done:
            self.message_user(request, _("%(n)d cas publié(s).") % {"n": done}, messages.SUCCESS)


class ChildAdmin(DisclosureGateAdmin):
    """A child edited on its own page: written through the services too (validation, provenance, search
    index, disclosure gate), never by ``obj.save()``."""

    form = DisclosureOverrideForm
    list_select_related = ["case"]
    autocomplete_fields = ["case"]

    def save_model(self, request, obj, form, change):
        case_child_save(instance=obj, actor=request.user)

    def delete_model(self, request, obj):
        case_child_delete(instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            case_child_delete(instance=obj)


@admin.register(DigitalTool)
class DigitalToolAdmin(ChildAdmin):
    readonly_fields = PROVENANCE_FIELDS
    list_display = ["name", "case", "tool_type", "coproduction_mode", "status", "software", "launch_year"]
    list_filter = ["coproduction_mode", "tool_type", "status", "open_source"]
    search_fields = ["name", "software", "classification_rationale", "case__title", "case__pseudonym"]


@admin.register(Stakeholder)
class StakeholderAdmin(ChildAdmin):
    readonly_fields = PROVENANCE_FIELDS
    list_display = ["name", "helix", "role", "case"]
    list_filter = ["helix"]
    search_fields = ["name", "role", "case__title", "case__pseudonym"]


@admin.register(FactorAssessment)
class FactorAssessmentAdmin(ChildAdmin):
    readonly_fields = PROVENANCE_FIELDS
    list_display = ["factor", "assessment", "case"]
    list_filter = ["factor", "assessment"]
    search_fields = ["note", "case__title", "case__pseudonym"]


@admin.register(Event)
class EventAdmin(ChildAdmin):
    list_display = ["date", "title", "kind", "case"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "description", "case__title", "case__pseudonym"]
    date_hierarchy = "date"


@admin.register(Source)
class SourceAdmin(ChildAdmin):
    list_display = ["citation", "kind", "date", "case"]
    list_filter = ["kind"]
    search_fields = ["citation", "url", "note", "case__title", "case__pseudonym"]


@admin.register(CaseSecondaryTheme)
class CaseSecondaryThemeAdmin(ChildAdmin):
    list_display = ["theme", "case"]
    list_filter = ["theme"]
    search_fields = ["case__title", "case__pseudonym"]


@admin.register(CaseCollectionMethod)
class CaseCollectionMethodAdmin(ChildAdmin):
    list_display = ["method", "case"]
    list_filter = ["method"]
    search_fields = ["case__title", "case__pseudonym"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the services write and nobody edits: listed and viewed in the admin, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    """Read-only: the moderation history is append-only and written by the services."""

    list_display = ["created_at", "case", "from_status", "to_status", "actor"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["comment", "case__title", "case__pseudonym", "actor__username"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"


@admin.register(CaseRevision)
class CaseRevisionAdmin(admin.ModelAdmin):
    """Read-only: revisions are written by the contribution form and API and decided in /moderation/."""

    list_display = ["case", "status", "author", "created_at", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["case__title", "case__pseudonym", "author__email"]
    list_select_related = ["case", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["case", "author", "data", "status", "created_at", "updated_at", "submitted_at",
                       "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContributorProfile)
class ContributorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "territory", "email_confirmed_at", "verified_at"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter), ("email_confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__username", "organisation", "territory__name"]
    list_select_related = ["user", "territory"]
    autocomplete_fields = ["territory"]
    readonly_fields = ["email_confirmed_at", "verified_at", "verified_by", "created_at"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, to see what the mail server refused (``last_error``); retried by ``send_queued_mail``."""

    list_display = ("created_at", "recipient", "subject", "sent_at", "attempts")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("recipient", "subject")
    readonly_fields = ("subject", "body", "recipient", "created_at", "sent_at", "attempts", "claimed_at", "last_error")

    def has_add_permission(self, request):
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    """Published releases, read only: they are made by ``manage.py publish_release`` and never change."""

    list_display = ["version", "created_at", "counts"]
    list_filter = ["created_at"]
    search_fields = ["version"]
    readonly_fields = ["version", "created_at", "fingerprint", "files", "counts", "notes"]
    exclude = ["case_digests"]
