"""Read-only API v1 views. Reads go through ``cases.catalogue.selectors``; cases are shown through ``public``.

Viewsets are read-only for now; write actions for officials and moderators will be added to the same
viewsets (mixins + ``permissions.AbilityPermission``).
"""

import re

from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import APIException, MethodNotAllowed, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from cases import vocabularies
from cases.api import exports, fastlist
from cases.api.compare import compare_table
from cases.api.downloads import EXPORT_PARAMS, csv_options, export_response
from cases.api.root import make_views
from cases.api.tables import long_table_view
from cases.catalogue import selectors, statistics
from cases.catalogue.filters import CaseFilterSet
from cases.models import Case, DigitalTool, Territory
from cases.research.selectors import study_tool_rows
from cases.territories import selectors as territory_selectors
from cases.vocabularies import TerritoryKind

from . import serializers as s
from .filters import (
    LIST_PARAMS,
    CaseFilterBackend,
    StrictFilterBackend,
    TerritoryFilterSet,
    ToolFilterSet,
    filtered_cases,
    validate_strictly,
)
from .pagination import CURSOR, PageOrCursorPagination
from .renderers import CSVRenderer, FormatFirstNegotiation, GeoJSONRenderer
from .throttling import RateLimitHeadersMixin

ERRORS = {
    400: OpenApiResponse(s.ValidationErrorSerializer, description="Paramètre invalide (message par paramètre)."),
    404: OpenApiResponse(s.ErrorSerializer, description="Introuvable (ou page au-delà de la dernière)."),
    429: OpenApiResponse(s.ErrorSerializer, description="Trop de requêtes : réessayer après `Retry-After` "
                                                         "secondes."),
}
NOT_FOUND = {404: ERRORS[404], 429: ERRORS[429]}


def format_parameter(*formats):
    return OpenApiParameter(
        "format", OpenApiTypes.STR, enum=list(formats), required=False,
        description="Format de la réponse (sinon selon l'en-tête Accept ; JSON par défaut). Les exports CSV et "
                    "GeoJSON ne sont pas paginés : ils contiennent toutes les lignes filtrées.",
    )



class Gone(APIException):
    """A slug retired when its case became pseudonymised (cases.catalogue.models.RetiredSlug)."""

    status_code = 410
    default_detail = "Cette ressource n'est plus disponible."
    default_code = "gone"


CSV_VARIANT_PARAMETERS = [
    OpenApiParameter("dialect", OpenApiTypes.STR, enum=["rfc4180", "excel"], required=False,
                     description="CSV seulement. `excel` : UTF-8 avec BOM, séparateur `;`, virgule décimale."),
    OpenApiParameter("labels", OpenApiTypes.STR, enum=["fr", "en"], required=False,
                     description="CSV seulement : les codes des vocabulaires remplacés par leurs libellés."),
]


class APIViewMixin(RateLimitHeadersMixin):
    # Public reads are anonymous: no credentials are read, so none can be required (and the schema
    # says so). The views only route GET/HEAD/OPTIONS, so any other method is a 405, not a 403.
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatFirstNegotiation
    extra_params = LIST_PARAMS

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF answers an unknown ?format= with a bare 404; say what is wrong instead.
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ValidationError({"format": [_("Format inconnu ; formats possibles : %(formats)s.")
                                              % {"formats": formats}]}) from None

    def initial(self, request, *args, **kwargs):
        # The method first: TRACE with a bad ?format= is a 405, not a 400 from content negotiation.
        if request.method.lower() not in self.http_method_names or not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        return super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Lists answer JSON, CSV or GeoJSON at one URL depending on Accept: shared caches must key on it.
        patch_vary_headers(response, ["Accept"])
        return response

    def handle_exception(self, exc):
        # Errors are always JSON, even when a CSV or GeoJSON export was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


@extend_schema_view(
    list=extend_schema(
        summary="Cas publiés (filtrables)",
        description="Filtres identiques à ceux de la liste publique du site. `?format=csv` ou `.csv` : une "
                    "ligne par cas (colonnes documentées dans le guide) ; `?format=geojson` ou `.geojson` : "
                    "FeatureCollection RFC 7946.",
        parameters=[format_parameter("json", "csv", "geojson"), *CSV_VARIANT_PARAMETERS],
        responses={
            (200, "application/json"): s.CaseSummarySerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Export CSV (UTF-8)."),
            (200, "application/geo+json"): OpenApiResponse(s.FeatureCollectionSerializer,
                                                           description="FeatureCollection RFC 7946."),
            **ERRORS,
        },
    ),
    retrieve=extend_schema(summary="Un cas, avec ses outils, acteurs, facteurs, événements et sources",
                           responses={200: s.CaseDetailSerializer, **NOT_FOUND}),
)
class CaseViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [CaseFilterBackend]
    filterset_class = CaseFilterSet
    pagination_class = PageOrCursorPagination
    # A cursor walks the opaque public identifier: unique, indexed, and unchanged when the slug or the
    # title does (only the disclosure rules re-key a case, which is a withdrawal plus a publication).
    cursor_key, cursor_key_label = "public_id", "`public_id`"
    extra_params = LIST_PARAMS | EXPORT_PARAMS | {CURSOR}

    def get_queryset(self):
        # The list's rows come from selectors.case_list (see CaseFilterBackend); this is its model.
        return Case.objects.published()

    def get_renderers(self):
        if self.action == "list":
            return [JSONRenderer(), CSVRenderer(), GeoJSONRenderer()]
        return super().get_renderers()

    def get_serializer_class(self):
        return s.CaseSummarySerializer if self.action == "list" else s.CaseDetailSerializer

    def get_object(self):
        # The slug, or the stable ``public_id`` (which survives a change of slug); a retired slug is 410.
        try:
            case = selectors.case_get_public(identifier=self.kwargs["slug"])
        except selectors.CaseGone:
            raise Gone from None
        self.check_object_permissions(self.request, case)
        return case

    def list(self, request, *args, **kwargs):
        fmt = request.accepted_renderer.format
        options = csv_options(request)  # validated whatever the format: a bad value is never ignored
        if fmt == "json":
            if self.paginator.cursor_requested(request):
                self.filter_queryset(self.get_queryset())  # validates the query (400); lazy, runs no SQL
                # One keyset query on public_id for the page, then the same loader and fast path.
                keys = self.paginate_queryset(selectors.case_list_keys(filters=request.query_params))
                cases = fastlist.load_cases([case.pk for case in keys])
                return self.get_paginated_response(fastlist.case_summaries(cases, request))
            # The ordered ids come from the cache while the data are unchanged (catalogue.freshness),
            # validated with them (400), the rows of the page from one ``pk IN`` query, the JSON from
            # the fast path.
            ids = selectors.case_list_ids(filters=request.query_params, default_ordering=("slug",),
                                          loader=fastlist.load_cases,
                                          validate=lambda filterset: validate_strictly(filterset, self))
            page = self.paginate_queryset(ids)
            return self.get_paginated_response(fastlist.case_summaries(page, request))
        cases = self.filter_queryset(self.get_queryset())
        base = request.build_absolute_uri("/").rstrip("/")
        if fmt == "csv":
            return export_response(request, querysets=[cases], variant=f"{options.dialect}:{options.labels}",
                                   build=lambda: exports.cases_csv(cases, base_url=base, options=options),
                                   content_type="text/csv; charset=utf-8", filename="cases.csv")
        return export_response(request, querysets=[cases], build=lambda: exports.cases_geojson(cases, base_url=base),
                               content_type="application/geo+json", filename="cases.geojson")


@extend_schema_view(
    list=extend_schema(
        summary="Outils numériques (une ligne par outil, avec son cas)",
        description="Tous les filtres des cas s'appliquent au cas de l'outil ; `mode`, `tool_type` et "
                    "`tool_status` sélectionnent l'outil lui-même. `?format=csv` : une ligne par outil.",
        parameters=[format_parameter("json", "csv"), *CSV_VARIANT_PARAMETERS],
        responses={
            (200, "application/json"): s.ToolRowSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Export CSV (UTF-8)."),
            **ERRORS,
        },
    ),
    retrieve=extend_schema(summary="Un outil", responses={200: s.ToolRowSerializer, **NOT_FOUND}),
)
class ToolViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ToolRowSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ToolFilterSet
    pagination_class = PageOrCursorPagination
    cursor_key, cursor_key_label = "pk", "`id`"  # a tool's id never changes
    extra_params = LIST_PARAMS | EXPORT_PARAMS | {CURSOR}

    def get_queryset(self):
        return (DigitalTool.objects.filter(case__in=Case.objects.published())
                .select_related("case", "case__territory", "case__territory__departement",
                                "case__territory__region")
                .order_by("case__slug", "position", "name", "pk"))

    def get_renderers(self):
        if self.action == "list":
            return [JSONRenderer(), CSVRenderer()]
        return super().get_renderers()

    def list(self, request, *args, **kwargs):
        options = csv_options(request)  # validated whatever the format
        if request.accepted_renderer.format == "json":
            return super().list(request, *args, **kwargs)
        tools = self.filter_queryset(self.get_queryset())
        findings = study_tool_rows(request.query_params)
        return export_response(request, querysets=[tools], variant=f"{options.dialect}:{options.labels}",
                               build=lambda: exports.tools_csv(tools, findings=findings, options=options),
                               content_type="text/csv; charset=utf-8", filename="tools.csv")


@extend_schema_view(
    list=extend_schema(summary="Territoires de référence (COG INSEE)", responses={
        200: s.TerritorySerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="Un territoire", responses={200: s.TerritorySerializer, **NOT_FOUND}),
)
class TerritoryViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TerritorySerializer
    filterset_class = TerritoryFilterSet
    filter_backends = [StrictFilterBackend]
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return Territory.objects.with_parents().order_by("kind", "code")

    def get_object(self):
        kind, code = self.kwargs["kind"], self.kwargs["code"]
        # PostgreSQL refuses NUL characters in a query: such a code cannot exist, so it is simply not found.
        if kind not in TerritoryKind.values or "\x00" in code:
            raise NotFound
        return territory_selectors.territory_get(kind=kind, code=code)


def _vocabulary(key, label, choices_cls, definitions=None, groups=None):
    def rows():
        for code in choices_cls:
            yield code.value, code.label, (definitions or {}).get(code), (groups or {}).get(code)

    with override("fr"):
        fr = [(code, str(lab), str(d) if d else None, str(g.value) if g else None) for code, lab, d, g in rows()]
        label_fr = str(label)
    with override("en"):
        en = [(str(lab), str(d) if d else None) for _code, lab, d, _g in rows()]
        label_en = str(label)
    return {
        "key": key, "label_fr": label_fr, "label_en": label_en,
        "codes": [{"code": code, "label_fr": lab_fr, "label_en": lab_en, "definition_fr": def_fr,
                   "definition_en": def_en, "group": group}
                  for (code, lab_fr, def_fr, group), (lab_en, def_en) in zip(fr, en, strict=True)],
    }


class _Bands:
    """The population bands as a vocabulary-like iterable (they are not a TextChoices)."""

    class _Band(str):
        label = ""

    def __iter__(self):
        # The fine bands, then the widened ones a pseudonymised case may be published under (cases.disclosure).
        for code, label in vocabularies.PUBLIC_BAND_CHOICES:
            band = self._Band(code)
            band.value, band.label = code, label
            yield band


def vocabulary_list():
    from django.utils.translation import gettext_lazy

    v = vocabularies
    return [
        _vocabulary("coproduction_modes", gettext_lazy("Modes de co-production"), v.CoproductionMode,
                    v.COPRODUCTION_DEFINITIONS),
        _vocabulary("tool_types", gettext_lazy("Types d'outils"), v.ToolType),
        _vocabulary("tool_statuses", gettext_lazy("Statuts d'outil"), v.ToolStatus),
        _vocabulary("themes", gettext_lazy("Thématiques"), v.Theme),
        _vocabulary("management_modes", gettext_lazy("Modes de gestion"), v.ManagementMode),
        _vocabulary("carriers", gettext_lazy("Portages"), v.Carrier),
        _vocabulary("scopes", gettext_lazy("Échelles"), v.Scope),
        _vocabulary("helices", gettext_lazy("Hélices"), v.Helix),
        _vocabulary("factor_groups", gettext_lazy("Groupes de facteurs"), v.FactorGroup),
        _vocabulary("factors", gettext_lazy("Facteurs"), v.Factor, v.FACTOR_DEFINITIONS, v.FACTOR_GROUP_OF),
        _vocabulary("assessments", gettext_lazy("Appréciations"), v.Assessment),
        _vocabulary("event_kinds", gettext_lazy("Types d'événements"), v.EventKind),
        _vocabulary("source_kinds", gettext_lazy("Types de sources"), v.SourceKind),
        _vocabulary("collection_methods", gettext_lazy("Méthodes de collecte"), v.CollectionMethod),
        _vocabulary("disclosures", gettext_lazy("Divulgation"), v.Disclosure),
        _vocabulary("population_disclosures", gettext_lazy("Divulgation des populations"), v.PopulationDisclosure),
        _vocabulary("population_bands", gettext_lazy("Tranches de population"), _Bands()),
        _vocabulary("territory_kinds", gettext_lazy("Types de territoires"), v.TerritoryKind),
        _vocabulary("epci_types", gettext_lazy("Types d'EPCI"), v.EpciType),
    ]


class VocabularyView(APIViewMixin, GenericAPIView):
    serializer_class = s.VocabulariesSerializer
    pagination_class = None

    @extend_schema(summary="Vocabulaires contrôlés : codes, libellés français et anglais, définitions",
                   responses={200: s.VocabulariesSerializer, 429: ERRORS[429]})
    def get(self, request):
        return Response({"vocabularies": vocabulary_list()})


class StatisticsView(APIViewMixin, GenericAPIView):
    serializer_class = s.StatisticsSerializer
    filter_backends = [CaseFilterBackend]
    filterset_class = CaseFilterSet
    pagination_class = None
    extra_params = frozenset({"format"})

    def get_queryset(self):
        return Case.objects.published()

    @extend_schema(summary="Agrégats de la page statistiques, sous les mêmes filtres que les cas",
                   filters=True, responses={200: s.StatisticsSerializer, 400: ERRORS[400], 429: ERRORS[429]})
    def get(self, request):
        filtered_cases(request, self)  # validates the filters: 400 with a message per parameter
        tables, case_count, tool_count = statistics.statistics_for(filters=request.query_params, user=None)
        return Response({
            "case_count": case_count,
            "tool_count": tool_count,
            "tables": [table.as_dict() for table in tables],
        })


COMPARE_MIN, COMPARE_MAX = 2, 6
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class CompareView(APIViewMixin, GenericAPIView):
    serializer_class = s.CompareSerializer
    pagination_class = None

    @extend_schema(
        summary="Comparer deux à six cas côte à côte",
        parameters=[OpenApiParameter(
            "cases", OpenApiTypes.STR, many=True, required=True, explode=True,
            description=f"Identifiants (slug) des cas, de {COMPARE_MIN} à {COMPARE_MAX}, dans l'ordre voulu : "
                        "`?cases=a&cases=b` (ou `?cases=a,b`).",
        )],
        responses={200: s.CompareSerializer, **ERRORS},
    )
    def get(self, request):
        slugs = list(dict.fromkeys(
            part.strip() for value in request.query_params.getlist("cases") for part in value.split(",")
            if part.strip()
        ))
        if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
            raise ValidationError({"cases": [
                _("Choisir de %(min)d à %(max)d cas différents (%(n)d donnés).")
                % {"min": COMPARE_MIN, "max": COMPARE_MAX, "n": len(slugs)}
            ]})
        malformed = [slug for slug in slugs if not SLUG.fullmatch(slug)]
        selection = selectors.cases_for_compare([slug for slug in slugs if slug not in malformed], user=None)
        missing = malformed + selection.missing
        if missing:
            raise NotFound(_("Cas introuvable(s) : %(slugs)s.") % {"slugs": ", ".join(missing)})
        cases = selection.cases
        serializer = s.CompareSerializer({"cases": cases, **compare_table(cases)},
                                         context=self.get_serializer_context())
        return Response(serializer.data)


FactorTableView = long_table_view(
    "factors", "Table longue des facteurs : une ligne par cas et facteur (filtres des cas)", APIViewMixin,
    parameters=[format_parameter("json", "csv"), *CSV_VARIANT_PARAMETERS], errors=ERRORS,
)
StakeholderTableView = long_table_view(
    "stakeholders", "Table longue des acteurs : une ligne par cas et acteur (filtres des cas)", APIViewMixin,
    parameters=[format_parameter("json", "csv"), *CSV_VARIANT_PARAMETERS], errors=ERRORS,
)
V1RootView, ChangesView = make_views(APIViewMixin, ERRORS)
