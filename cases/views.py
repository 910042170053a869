"""Public HTML pages. Views are thin: they ask selectors for data and the gate for permissions."""

from django.shortcuts import render
from django.utils import timezone

from . import selectors
from .citation import case_citation
from .permissions import abilities


def home(request):
    return render(request, "cases/home.html", {
        "figures": selectors.public_figures(),
        "latest": selectors.latest_cases(user=request.user),
    })


def case_detail(request, slug):
    case = selectors.case_get(slug=slug, user=request.user)
    permalink = request.build_absolute_uri(case.get_absolute_url())
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "can": abilities(request.user, case),
            "characteristics": selectors.characteristics(case),
            "mode_columns": selectors.tools_by_mode(case),
            "factor_grid": selectors.factor_grid(case),
            "stakeholder_groups": selectors.stakeholders_by_helix(case),
            "permalink": permalink,
            "citation": case_citation(case, url=permalink, accessed=timezone.localdate()),
        },
    )

