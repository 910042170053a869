"""Statistics, methodology and accessibility pages."""


from django.conf import settings
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ...research.agreement import agreement_report
from ...vocabularies import (
    COPRODUCTION_DEFINITIONS,
    FACTOR_DEFINITIONS,
    FACTOR_GROUPS,
    POPULATION_BANDS,
    SUGGESTED_MODE,
    Assessment,
    Carrier,
    CollectionMethod,
    CoproductionMode,
    Factor,
    FactorGroup,
    Helix,
    ManagementMode,
    SourceKind,
    Theme,
    ToolStatus,
    ToolType,
)
from .. import statistics
from ..charts import bar_chart
from .filtering import filter_context


@require_safe
def case_statistics(request):
    context = filter_context(request)
    tables, case_count, _tool_count = statistics.statistics_for(filters=request.GET, user=request.user)
    return render(request, "catalogue/statistics.html", {
        **context,
        # Drawn only when the tables' HTML, cached like the filter panel's, is missing (statistics.html).
        "tables": SimpleLazyObject(lambda: [{"table": table, "chart": bar_chart(table),
                                             "total": sum(table.column_totals)} for table in tables]),
        "total_cases": case_count,
    })


@require_safe
def methodology(request):
    suggested = {str(tool_type): mode for tool_type, mode in SUGGESTED_MODE.items()}
    return render(request, "catalogue/methodology.html", {
        "continuum": [(mode, COPRODUCTION_DEFINITIONS[mode]) for mode in CoproductionMode],
        "tool_types": [(t, CoproductionMode(suggested[t.value]).label if t.value in suggested else None)
                       for t in ToolType],
        "factor_groups": [(FactorGroup(group).label,
                           [(Factor(f), FACTOR_DEFINITIONS.get(f)) for f in members])
                          for group, members in FACTOR_GROUPS.items()],
        "vocabularies": [
            ("themes", _("Thématiques"), Theme),
            ("management-modes", _("Modes de gestion du projet"), ManagementMode),
            ("carriers", _("Portage du projet"), Carrier),
            ("tool-statuses", _("Statuts d'un outil"), ToolStatus),
            ("assessments", _("Échelle d'appréciation des facteurs"), Assessment),
            ("collection-methods", _("Méthodes de collecte"), CollectionMethod),
            ("source-kinds", _("Types de sources"), SourceKind),
        ],
        "helices": list(Helix),
        "population_bands": [(code, label) for code, _lo, _hi, label in POPULATION_BANDS],
        "agreements": agreement_report(),
    })


@require_safe
def accessibility(request):
    return render(request, "catalogue/accessibility.html", {"contact_email": settings.DEFAULT_FROM_EMAIL})


@require_safe
def privacy(request):
    """How pseudonymised cases are kept pseudonymous (cases.disclosure, docs/disclosure.md)."""
    from ...disclosure.rule import STEPS

    return render(request, "catalogue/privacy.html", {
        "min_k": settings.DISCLOSURE_MIN_K, "steps": STEPS, "contact_email": settings.DEFAULT_FROM_EMAIL,
    })
