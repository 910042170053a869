"""The licence of the observatory's data: Licence Ouverte 2.0 (Etalab), stated once here.

Why this licence: it is the licence of the French public sector's open data (décret n° 2017-638,
article D. 323-2-1 du code des relations entre le public et l'administration), the licence the reference
data (INSEE, DGCL, IGN) already carry, and it only asks for attribution — it is compatible with CC BY 4.0
and ODC-BY, so the cases can be mixed with those data and re-published anywhere.
"""

from django.utils.translation import gettext_lazy as _

NAME = "Licence Ouverte / Open Licence 2.0"
SHORT_NAME = "Licence Ouverte 2.0 (Etalab)"
SPDX = "etalab-2.0"
URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
TEXT_URL = "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"

ATTRIBUTION = _("Observatoire de la co-création numérique locale, Licence Ouverte 2.0 (Etalab)")


def link_header() -> str:
    """RFC 8288 ``Link`` value naming the licence of a response's data (exports, release files)."""
    return f'<{URL}>; rel="license"'


def datapackage_licence() -> dict:
    """The Frictionless ``licenses`` entry."""
    return {"name": SPDX, "path": URL, "title": NAME}


def openapi_licence() -> dict:
    """The OpenAPI ``info.license`` object (3.0: name and url)."""
    return {"name": SHORT_NAME, "url": URL}


class LicenceLinkMiddleware:
    """Adds the licence ``Link`` header to every successful read under ``/api/v1/``: the JSON, and each
    CSV and GeoJSON export, whichever view builds it (release files set it themselves).

    One place rather than in each export path, so that a new export or variant cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/v1/") and request.method in ("GET", "HEAD")
                and response.status_code < 400):
            existing = response.get("Link")
            if 'rel="license"' not in (existing or ""):
                response["Link"] = f"{existing}, {link_header()}" if existing else link_header()
        return response
