"""Page-number pagination with a bounded, validated ``page_size`` (bad values are a 400, never ignored), and
the cursor (keyset) pagination of the case and tool lists."""

import base64
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def _positive_int(request, name):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"« {raw} » n'est pas un entier."]}) from None
    if value < 1:
        raise ValidationError({name: ["Doit être supérieur ou égal à 1."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return getattr(settings, "API_MAX_PAGE_SIZE", 200)

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Au plus {self.max_page_size}."]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        number = _positive_int(request, self.page_query_param) or 1
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                f"Page {number} hors limites : il y a {paginator.num_pages} page(s) de {page_size} résultats."
            ) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": "Numéro de page (à partir de 1). Une page au-delà de la dernière donne 404.",
             "schema": {"type": "integer", "minimum": 1}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Résultats par page (défaut {self.page_size}, au plus {self.max_page_size}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
        ]


class CursorError(ValidationError):
    def __init__(self, message):
        super().__init__({CURSOR: [str(message)]})


CURSOR = "cursor"
_FORWARD, _BACKWARD = "n", "p"
_INT_MAX = 2**63 - 1  # a larger key cannot exist and would overflow the databases' integers


class PageOrCursorPagination(PageNumberPagination):
    """Page numbers (the default, unchanged), or a cursor over the view's unique, immutable ``cursor_key``.

    A page number is an offset into the current rows: a row inserted or deleted before it shifts every
    later row by one, so a crawl can skip or repeat a row. A cursor names the key of the last row seen
    instead (keyset pagination): the next page is the rows whose key is greater, in key order. The key
    is unique and never changes (a case's ``public_id``, a tool's ``id``), so a row that stays in the
    results for the whole crawl comes exactly once, whatever is inserted, updated or deleted meanwhile.
    ``?cursor=`` (empty) starts a crawl; each answer's ``next`` carries on. The cursor is opaque
    (base64url of the direction and the key); it cannot be combined with ``page`` or ``ordering``.
    """

    cursor_query_param = CURSOR

    def cursor_requested(self, request) -> bool:
        return self.cursor_query_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_mode = self.cursor_requested(request)
        if not self.cursor_mode:
            return super().paginate_queryset(queryset, request, view)
        return self.paginate_keyset(queryset, request, key=view.cursor_key)

    # -- the cursor -------------------------------------------------------------------------------------

    @staticmethod
    def encode(direction: str, key) -> str:
        raw = f"{direction}{key.hex if isinstance(key, uuid.UUID) else key}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, request, field):
        """(direction, key) from the request's cursor; (None, None) for ``?cursor=`` (the first page)."""
        values = request.query_params.getlist(self.cursor_query_param)
        if len(values) > 1:
            raise CursorError(_("Ce paramètre ne prend qu'une valeur."))
        token = values[0].strip()
        if not token:
            return None, None
        invalid = CursorError(_("Curseur invalide : reprendre tel quel le lien « next » ou « previous » d'une "
                                "réponse, ou commencer par cursor= (vide)."))
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            raise invalid from None
        if base64.urlsafe_b64encode(text.encode()).decode().rstrip("=") != token.rstrip("="):
            raise invalid  # not the canonical encoding (``b64decode`` skips stray characters)
        direction, raw = text[:1], text[1:]
        if direction not in (_FORWARD, _BACKWARD) or not raw:
            raise invalid
        try:
            key = field.to_python(raw)
        except (DjangoValidationError, ValueError, TypeError):
            raise invalid from None
        if isinstance(key, int) and not 0 <= key <= _INT_MAX:
            raise invalid
        return direction, key

    def _check_combination(self, request):
        clashes = [name for name in (self.page_query_param, "ordering") if request.query_params.get(name)]
        if clashes:
            raise CursorError(_("Un curseur parcourt les lignes dans l'ordre de leur identifiant : ne pas le "
                                "combiner avec %(names)s.") % {"names": ", ".join(clashes)})

    # -- the page ---------------------------------------------------------------------------------------

    def paginate_keyset(self, queryset, request, *, key: str):
        """The page of ``queryset`` (unordered) that the request's cursor names, in ``key`` order: one query."""
        self.request, self.cursor_mode = request, True
        field = queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
        self._check_combination(request)
        size = self.get_page_size(request)
        direction, position = self.decode(request, field)
        if direction == _FORWARD:
            queryset = queryset.filter(**{f"{key}__gt": position}).order_by(key)
        elif direction == _BACKWARD:
            queryset = queryset.filter(**{f"{key}__lt": position}).order_by(f"-{key}")
        else:
            queryset = queryset.order_by(key)
        rows = list(queryset[:size + 1])  # one more than the page: is there anything beyond it?
        more = len(rows) > size
        rows = rows[:size]
        if direction == _BACKWARD:
            rows.reverse()
        first = getattr(rows[0], key) if rows else None
        last = getattr(rows[-1], key) if rows else None
        # Going forward, rows exist behind the cursor (it was read there); going back, ahead of it.
        if direction == _BACKWARD:
            self.next_cursor = self.encode(_FORWARD, last) if rows else ""
            self.previous_cursor = self.encode(_BACKWARD, first) if more else None
        else:
            self.next_cursor = self.encode(_FORWARD, last) if more else None
            self.previous_cursor = (None if direction is None
                                    else self.encode(_BACKWARD, first if rows else position))
        return rows

    def _cursor_link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if not getattr(self, "cursor_mode", False):
            return super().get_paginated_response(data)
        # No ``count`` in cursor mode: it would cost a count of every matching row on every page.
        return Response({"next": self._cursor_link(self.next_cursor),
                         "previous": self._cursor_link(self.previous_cursor), "results": data})

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["results"]
        paginated["properties"]["count"]["description"] = (
            "Nombre total de lignes (pagination par numéro de page ; absent avec un curseur).")
        return paginated

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), {
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": CURSOR_DESCRIPTION.format(key=view.cursor_key_label),
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]*$"},
        }]


CURSOR_DESCRIPTION = (
    "Pagination par curseur, pour parcourir toute la liste : `cursor=` (vide) donne la première page, puis "
    "suivre `next` jusqu'à `null`. Les lignes sont dans l'ordre de {key} (unique, immuable) ; une ligne "
    "présente du début à la fin du parcours y figure exactement une fois, même si d'autres lignes sont "
    "ajoutées, modifiées ou retirées pendant ce temps. Pas de `count` ; `page` et `ordering` refusés avec un "
    "curseur. Les exports CSV et GeoJSON ne sont pas paginés."
)
