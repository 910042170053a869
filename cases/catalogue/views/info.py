"""Pages that explain the observatory to a newcomer: the contributor landing page, the legal notice,
and the files crawlers ask for (robots.txt; the sitemap is ``catalogue/sitemaps.py``)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ...vocabularies import COPRODUCTION_DEFINITIONS, CoproductionMode


@require_safe
def contribute(request):
    return render(request, "catalogue/contribute.html", {
        "modes": [(mode, COPRODUCTION_DEFINITIONS[mode]) for mode in CoproductionMode],
        "contact_email": settings.DEFAULT_FROM_EMAIL,
    })


@require_safe
def legal(request):
    return render(request, "catalogue/legal.html", {"contact_email": settings.DEFAULT_FROM_EMAIL})


@require_safe
def robots_txt(request):
    # Private pages (drafts, moderation, accounts, admin) are never worth crawling; the API is data.
    lines = ["User-agent: *"]
    for name in ("admin:index", "cases:contrib_dashboard", "cases:moderation_queue"):
        lines.append(f"Disallow: {reverse(name)}")
    lines += ["Disallow: /comptes/", "Disallow: /api/",
              f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
