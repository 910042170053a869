"""The site's error pages (400, 403, 404, 429, 500): in the visitor's language, with the site's navigation.

Under ``/api/`` the answer stays JSON in the API's error shape (``{"detail": …}``), whatever went wrong,
so that API clients never have to parse a page. Wired in ``observatory/urls.py`` (``handler404``…).
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _titles():
    return {
        400: (_("Requête invalide"), _("La requête n'a pas pu être comprise. Vérifiez l'adresse ou le formulaire.")),
        403: (_("Accès refusé"), _("Vous n'avez pas accès à cette page. Connectez-vous avec un compte autorisé.")),
        404: (_("Page introuvable"),
              _("Cette page n'existe pas ou plus. Elle a peut-être été déplacée, ou le cas n'est pas publié.")),
        429: (_("Trop de tentatives"),
              _("Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes puis réessayez : "
                "rien de ce que vous aviez enregistré n'est perdu.")),
        500: (_("Erreur du serveur"), _("Une erreur inattendue est survenue de notre côté ; elle a été enregistrée. "
                                         "Réessayez dans quelques instants.")),
    }


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_page(request, status: int, message: str | None = None):
    title, default_message = _titles()[status]
    if is_api(request):
        return JsonResponse({"detail": message or title}, status=status)
    return render(request, "error.html", {"error_title": title, "error_message": message or default_message},
                  status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_page(request, 403)


def csrf_failure(request, reason=""):
    return error_page(request, 403, _("Le formulaire a expiré ou vient d'un autre site. Rechargez la page, puis "
                                      "renvoyez-le."))


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(request, 404)


@requires_csrf_token
def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": _("Erreur du serveur")}, status=500)
    try:
        # No database, no user: the failure may be theirs.
        html = render_to_string("500.html", {"case_list_url": reverse("cases:case_list")})
    except Exception:  # the last resort must not fail in turn
        logger.exception("the 500 page could not be rendered")
        html = "<!DOCTYPE html><title>500</title><h1>Erreur du serveur / Server error</h1>"
    return HttpResponse(html, status=500)
