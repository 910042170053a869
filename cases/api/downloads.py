"""Full exports over HTTP: a Content-Length, an ETag per format and variant, cheap HEAD and 304.

GDAL (QGIS "Protocol HTTP(S)", ``ogr2ogr``, pyogrio) refuses a body without a Content-Length, so an
export is built whole before it is sent, then kept in Django's cache under the version of the data
behind it (``data_version``): the next GET, HEAD or conditional GET of the same URL costs two small
aggregate queries. Building in memory is bounded by the size of the public data set — on the study's
cases about 0.5 kB per case in CSV, 1.3 kB in GeoJSON and 0.5 kB per tool, so some 5, 13 and 25 MB at
the national scale (10,000 cases, 50,000 tools) — and an export larger than ``EXPORT_CACHE_MAX_BYTES``
is still served whole but not cached. The cache is per process
without ``REDIS_URL`` (each worker then builds once per data version).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from cases.models import Case, DigitalTool, FactorAssessment, Stakeholder

from .exports import CSVOptions

# Query parameters of the CSV exports beside the filters.
EXPORT_PARAMS = frozenset({"dialect", "labels"})


def csv_options(request) -> CSVOptions:
    """The CSV variant asked for, validated (400 with a message per parameter)."""
    dialect = request.query_params.get("dialect") or "rfc4180"
    labels = request.query_params.get("labels") or None
    errors = {}
    if dialect not in CSVOptions.DIALECTS:
        errors["dialect"] = [_("Valeurs possibles : %(values)s.") % {"values": ", ".join(CSVOptions.DIALECTS)}]
    if labels is not None and labels not in CSVOptions.LANGUAGES:
        errors["labels"] = [_("Valeurs possibles : %(values)s.") % {"values": ", ".join(CSVOptions.LANGUAGES)}]
    if errors:
        raise ValidationError(errors)
    return CSVOptions(dialect=dialect, labels=labels)


def data_version(*querysets) -> str:
    """What changes whenever an exported value can: row counts, the latest edit, the history ids.

    Every edit of a case or of a child writes a history row (django-simple-history).
    """
    parts = []
    for queryset in querysets:
        aggregates = {"n": Count("pk")} | ({"updated": Max("updated_at")} if queryset.model is Case else {})
        parts.append(repr(queryset.order_by().aggregate(**aggregates)))
    for model in (Case, DigitalTool, FactorAssessment, Stakeholder):
        parts.append(str(model.history.aggregate(v=Max("history_id"))["v"]))
    return "|".join(parts)


def export_response(request, *, querysets, build, content_type: str, filename: str, variant: str = ""):
    """The export ``build()`` (an iterable of bytes) as a complete response, cached by data version."""
    key = hashlib.sha256("|".join([
        request.build_absolute_uri(), request.accepted_media_type or "", variant, data_version(*querysets),
    ]).encode()).hexdigest()[:40]
    etag = f'"{key}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")) or "*" in request.headers.get(
            "If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        body = cache.get(f"export:{key}")
        if body is None:
            body = b"".join(build())
            if len(body) <= getattr(settings, "EXPORT_CACHE_MAX_BYTES", 50_000_000):
                cache.set(f"export:{key}", body, getattr(settings, "EXPORT_CACHE_SECONDS", 3600))
        response = HttpResponse(body, content_type=content_type)
        response["Content-Length"] = str(len(body))
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    # The same URL answers JSON, CSV or GeoJSON depending on Accept: caches must key on it.
    patch_vary_headers(response, ["Accept"])
    return response
