"""Renderers that make ``?format=csv`` / ``?format=geojson`` (and ``.csv`` / ``.geojson``) negotiable.

The list views stream these formats themselves (``cases.api.exports``) and errors switch to JSON
(``views.APIViewMixin.handle_exception``); ``render`` is a JSON fallback that should never be reached.
"""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer


class _ErrorAsJSON(BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class CSVRenderer(_ErrorAsJSON):
    media_type = "text/csv"
    format = "csv"


class GeoJSONRenderer(_ErrorAsJSON):
    media_type = "application/geo+json"
    format = "geojson"


class FormatFirstNegotiation(DefaultContentNegotiation):
    """A format named in the URL (``.geojson``, ``?format=csv``) wins over the ``Accept`` header.

    DRF's default keeps checking ``Accept`` against the named format and answers 406 when they disagree.
    GDAL's GeoJSON driver — the path of R ``sf::st_read(url)``, ``ogrinfo url`` and QGIS — asks for
    ``cases.geojson`` with ``Accept: text/plain, application/json``, and got a 406 for it. The URL is the
    client's explicit choice; ``Accept`` still decides when the URL names no format (hence ``Vary: Accept``).
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt:
            renderer = self.filter_renderers(renderers, fmt)[0]  # Http404 for an unknown format: a 400 upstream
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
