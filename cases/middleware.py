"""Request hygiene applied before any view: NUL characters are refused with a 400.

PostgreSQL cannot store or compare a NUL character in text: left to reach the database, a ``%00`` in a
filter or in a draft made a 500. No legitimate input holds one, so the request is refused at the door,
with a message, in JSON under ``/api/``.
"""

import contextlib

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .errors import error_page

NUL = "\x00"


def _fields_with_nul(request) -> list[str]:
    """Where the NUL characters are: "path", the names of query/form fields, or "body"."""
    fields = ["path"] if NUL in request.path else []
    queries = [request.GET]
    if request.method == "POST":
        # A malformed form body is the view's to answer (in JSON under /api/), not an HTML 400 from here.
        with contextlib.suppress(MultiPartParserError):
            queries.append(request.POST)
    for query in queries:
        for key, values in query.lists():
            if NUL in key or any(NUL in value for value in values):
                fields.append(key.replace(NUL, "\\u0000"))
    content_type = request.content_type or ""
    # JSON bodies (the write API): the escaped form "\u0000" decodes to a NUL as well.
    if content_type.endswith("json") and (b"\x00" in request.body or b"\\u0000" in request.body):
        fields.append("body")
    return fields


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = _fields_with_nul(request)
        if fields:
            message = _("La requête contient un caractère nul (U+0000), qui n'est accepté nulle part.")
            if request.path.startswith("/api/"):
                # The API's documented 400 shape: a summary and the message per offending field.
                return JsonResponse({"detail": message, "errors": {field: [message] for field in fields}},
                                    status=400)
            return error_page(request, 400, message)
        return self.get_response(request)
