"""Long tables for analysis: one row per case and factor, one per case and stakeholder (JSON and CSV).

The case filters apply to the row's case, exactly as on ``cases/``; every value goes through
``cases.api.public`` (a pseudonymised case appears under its pseudonym only).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from cases.catalogue.filters import CaseFilterSet
from cases.models import FactorAssessment, Stakeholder

from . import exports
from .downloads import EXPORT_PARAMS, csv_options, export_response
from .filters import LIST_PARAMS, CaseFilterBackend, filtered_cases
from .renderers import CSVRenderer

MODELS = {"factors": FactorAssessment, "stakeholders": Stakeholder}


def _row_serializer(table):
    fields = {name: serializers.CharField(allow_null=True, read_only=True) for name in exports.long_header(table)}
    fields["source_id"] = serializers.IntegerField(allow_null=True, read_only=True)
    return type(f"{table.title()}RowSerializer", (serializers.Serializer,), fields)


class LongTableView(GenericAPIView):
    table = ""
    filter_backends = [CaseFilterBackend]  # for the schema: the rows are filtered through their case
    filterset_class = CaseFilterSet
    extra_params = LIST_PARAMS | EXPORT_PARAMS

    def get_renderers(self):
        return [JSONRenderer(), CSVRenderer()]

    def get_queryset(self):
        cases = filtered_cases(self.request, self)
        return (MODELS[self.table].objects.filter(case__in=cases.order_by().values("pk"))
                .select_related("case").order_by("case__slug", "pk"))

    def get(self, request, format=None):
        rows = self.get_queryset()
        options = csv_options(request)  # validated whatever the format
        if request.accepted_renderer.format == "csv":
            return export_response(request, querysets=[rows], variant=f"{options.dialect}:{options.labels}",
                                   build=lambda: exports.long_csv(rows, self.table, options=options),
                                   content_type="text/csv; charset=utf-8", filename=f"{self.table}.csv")
        header = exports.long_header(self.table)
        page = self.paginate_queryset(rows)
        data = [dict(zip(header, exports.long_row(item, self.table, exports.json_value), strict=True))
                for item in page]
        return self.get_paginated_response(data)


def long_table_view(table, summary, mixin, *, parameters, errors):
    """The view of the long table ``table``, with the API's common behaviour (``mixin``)."""
    serializer = _row_serializer(table)

    @extend_schema(
        summary=summary, filters=True, parameters=parameters,
        responses={(200, "application/json"): serializer(many=True),
                   (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Export CSV (UTF-8)."),
                   **errors},
    )
    def get(self, request, format=None):
        return LongTableView.get(self, request)

    return type(f"{table.title()}TableView", (mixin, LongTableView),
                {"table": table, "serializer_class": serializer, "get": get,
                 "extra_params": LongTableView.extra_params})
