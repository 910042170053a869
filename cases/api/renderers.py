"""Renderers that make ``?format=csv`` / ``?format=geojson`` (and ``.csv`` / ``.geojson``) negotiable.

The list views stream these formats themselves (``cases.exports``); a renderer is only asked to render
when something else answers — then it writes the JSON error body, so an error is never a broken file.
"""

import json

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


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
