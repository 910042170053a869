"""Page-number pagination with a bounded, validated ``page_size``: bad values are a 400, never ignored."""

from django.conf import settings
from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


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
