"""Admin of the research context: studies and their findings (read-mostly), codings, reconciliations."""

from django.contrib import admin

from ..models import Coding, Reconciliation, Study, StudyFinding


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "key", "year", "observation_start_year", "observation_end_year"]
    list_filter = ["year"]
    search_fields = ["short_name", "citation", "authors"]
    filter_horizontal = ["cases"]


@admin.register(StudyFinding)
class StudyFindingAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "coproduction_mode", "factor", "reference", "study"]
    list_filter = ["study", "kind", "coproduction_mode"]
    search_fields = ["label", "quote", "key"]
    filter_horizontal = ["cases"]


@admin.register(Coding)
class CodingAdmin(admin.ModelAdmin):
    # Codings are blind: the admin shows them to superusers only (moderators code on their own screen).
    list_display = ["item", "vocabulary", "coder", "value", "coded_at"]
    list_filter = ["vocabulary"]
    search_fields = ["item", "value"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = lambda self, request, obj=None: request.user.is_superuser


@admin.register(Reconciliation)
class ReconciliationAdmin(admin.ModelAdmin):
    list_display = ["item", "vocabulary", "value", "decided_by", "decided_at"]
    list_filter = ["vocabulary"]
    search_fields = ["item", "value", "reason"]
    readonly_fields = ["decided_by", "decided_at"]
