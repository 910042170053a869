"""Renderers that make ``?format=csv`` / ``?format=geojson`` (and ``.csv`` / ``.geojson``) negotiable.

The list views stream these formats themselves (``cases.api.exports``) and errors switch to JSON
(``views.APIViewMixin.handle_exception``); ``render`` is a JSON fallback that should never be reached.
"""

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
