"""``/api/`` and ``/api/v1/`` as JSON indexes, the changes feed, and JSON 404s for every unknown API path."""

from datetime import UTC

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cases.api.serializers import INSTANT_FORMAT
from cases.catalogue.changes import case_changes
from cases.catalogue.filters import UTCInstantField

V1_ENDPOINTS = ["case-list", "tool-list", "factor-list", "stakeholder-list", "territory-list", "vocabularies",
                "stats", "compare", "changes"]


class APIRootSerializer(serializers.Serializer):
    endpoints = serializers.DictField(child=serializers.URLField())
    schema = serializers.URLField()
    docs = serializers.URLField()


@csrf_exempt  # read-only JSON: no state to protect, and a refused POST must be a JSON 405, not an HTML 403
def api_index(request):
    """``/api/``: the versions and the documentation (JSON)."""
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": _("Méthode non autorisée.")}, status=405, headers={"Allow": "GET, HEAD"})
    absolute = request.build_absolute_uri
    return JsonResponse({
        "versions": {"v1": absolute(reverse("api:v1-root"))},
        "schema": absolute(reverse("api:schema")), "docs": absolute(reverse("api:docs")),
    })


class ChangeSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    change = serializers.ChoiceField(choices=["published", "updated", "withdrawn"])
    at = serializers.DateTimeField(format=INSTANT_FORMAT, default_timezone=UTC)
    slug = serializers.SlugField(allow_null=True)


def _since(request):
    raw = request.query_params.get("since")
    unknown = [name for name in request.query_params if name not in ("since", "format") and not name.startswith("_")]
    errors = {name: [_("Paramètre inconnu. Paramètres possibles : since.")] for name in unknown}
    try:
        since = UTCInstantField(required=True).clean(raw)
    except Exception as exc:  # a django ValidationError, with its own message
        errors["since"] = list(getattr(exc, "messages", [str(exc)]))
        since = None
    if errors:
        raise ValidationError(errors)
    return since


@csrf_exempt  # a POST to an unknown API path is a JSON 404, not the CSRF middleware's HTML 403
def not_found(request, rest=""):
    """Any unknown path under ``/api/``: JSON, like every other API error (or the slash-ended URL)."""
    if settings.APPEND_SLASH and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse({"detail": _("Introuvable.")}, status=404)


def make_views(mixin, errors):
    """The root and changes views with the API's common behaviour (``mixin``: JSON errors, throttles)."""

    class V1Root(mixin, GenericAPIView):
        serializer_class = APIRootSerializer
        pagination_class = None
        filter_backends = []

        @extend_schema(summary="Index de l'API v1 : ses points d'accès", responses={200: APIRootSerializer})
        def get(self, request):
            absolute = request.build_absolute_uri
            return Response({
                "endpoints": {name: absolute(reverse(f"api:{name}")) for name in V1_ENDPOINTS},
                "schema": absolute(reverse("api:schema")), "docs": absolute(reverse("api:docs")),
            })

    class Changes(mixin, GenericAPIView):
        serializer_class = ChangeSerializer
        pagination_class = None
        filter_backends = []

        @extend_schema(
            summary="Changements depuis un instant : cas publiés, modifiés, retirés (synchronisation incrémentale)",
            parameters=[OpenApiParameter("since", str, required=True, description=(
                "Instant ISO 8601 avec fuseau (`2026-01-31T00:00:00Z`), inclus. Conserver le plus grand `at` "
                "reçu et le renvoyer à l'appel suivant (les doublons éventuels sont à ignorer)."))],
            responses={200: ChangeSerializer(many=True), **errors},
        )
        def get(self, request):
            changes = case_changes(since=_since(request))
            return Response(ChangeSerializer(changes, many=True).data)

    return V1Root, Changes
