"""The map page, its GeoJSON data (same filters as the list) and the département outlines."""

import gzip
import json
from functools import lru_cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from ...territories.geo import case_location, feature_at, location_of
from ...vocabularies import (
    CoproductionMode,
    Disclosure,
    TerritoryKind,
    Theme,
)
from .. import selectors
from ..filters import CaseFilterSet
from ..freshness import cached
from .filtering import COMPARE_PARAM, _pagination, filter_context, rows_cache_key

MAP_TABLE_PAGE_SIZE = 50


@require_safe
def case_map(request):
    context = filter_context(request)
    paginator = Paginator(selectors.case_list_ids(filters=request.GET, user=request.user,
                                                  loader=selectors.case_cards), MAP_TABLE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Read when the table's HTML is not cached (templates: map.html).
    rows = SimpleLazyObject(lambda: [(case, case_location(case)) for case in page.object_list])
    data_query = _data_params(request.GET).urlencode()
    config = {
        "dataUrl": reverse("cases:map_data") + (f"?{data_query}" if data_query else ""),
        "outlinesUrl": reverse("cases:map_departements"),
        # Leaflet guesses its icon folder from its CSS URL, which hashed static names break.
        "iconPath": static("vendor/leaflet/images/"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "modes": {mode.value: str(mode.label) for mode in CoproductionMode},
        "noMode": _("Aucun outil documenté"),
        "themes": {theme.value: str(theme.label) for theme in Theme},
        "toolsText": [_("%(n)s outil numérique"), _("%(n)s outils numériques")],
        "yearText": _("lancé en %(year)s"),
        "clusterText": _("%(n)s cas ; mode le plus fréquent : %(mode)s. Activer pour zoomer."),
        "precisions": {kind.value: str(kind.label) for kind in TerritoryKind},
        "profileLabel": _("Voir la fiche"),
        "precisionLabel": _("Localisation :"),
        "modeLabel": _("Mode le plus élevé :"),
        "errorText": _("Les données de la carte n'ont pas pu être chargées. Le tableau ci-dessous les donne."),
        "countText": _("%(n)s cas placés sur la carte."),
    }
    return render(request, "catalogue/map.html", {
        **context,
        "page": page,
        "pagination": _pagination(request.GET, page),
        "rows": rows,
        "table_cache_key": rows_cache_key(page),
        "map_config": config,
        "modes": list(CoproductionMode),
        # Jumps to the overseas départements, far from the metropolitan view: (name, lat, lon, zoom).
        "overseas": [(_("Métropole"), 46.6, 2.5, 5.5), (_("Guadeloupe"), 16.2, -61.5, 9),
                     (_("Martinique"), 14.65, -61.0, 9.5), (_("Guyane"), 4.0, -53.0, 7),
                     (_("La Réunion"), -21.1, 55.5, 9.5), (_("Mayotte"), -12.8, 45.15, 10)],
    })


# Parameters the map data ignores (the table's page, the comparison basket, the list order).
NOT_MAP_PARAMS = ("page", COMPARE_PARAM, "ordering")


def _data_params(params):
    """The filters alone: the map data refuses unknown names (400), the page ignores them (utm_…)."""
    data = params.copy()
    for name in list(data):
        if name not in CaseFilterSet.base_filters or name in NOT_MAP_PARAMS:
            data.pop(name)
    return data


@require_safe
@cache_control(public=True, max_age=60)
def map_data(request):
    """The located published cases matching the filters, as an RFC 7946 FeatureCollection."""
    filterset = selectors.case_filterset(filters=request.GET, user=request.user)
    # The list's filters, strictly (an unknown name or a bad value is a 400: never the wrong rows).
    errors = filterset.strict_errors()
    if errors:
        return JsonResponse({"detail": _("Paramètres invalides."), "errors": errors}, status=400)
    # The body is built once per data version and filter set (freshness), and kept gzipped too: at
    # national scale compressing it costs more than serving it.
    body = cached("map-data", request.GET, lambda: _map_body(request), drop=NOT_MAP_PARAMS, per_language=True)
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) >= 200:
        compressed = cached("map-data-gz", request.GET, lambda: gzip.compress(body, compresslevel=6),
                            drop=NOT_MAP_PARAMS, per_language=True)
        response = HttpResponse(compressed, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _map_body(request) -> bytes:
    # One reversal for all: every profile URL differs only by its slug.
    url_pattern = reverse("cases:case_detail", kwargs={"slug": "__slug__"})
    features = []
    for row, territory, region in selectors.case_map_rows(filters=request.GET, user=request.user):
        # The same placing rule as every other map point (geo.location_of), on plain values.
        location = location_of(pseudonymised=row["disclosure"] == Disclosure.PSEUDONYMISED,
                               public_region_code=row["public_region_code"], territory=territory,
                               region_of=lambda region=region: region)
        if location is None:
            continue
        # Popups say what a case is (tools, theme, year); labels travel once, in the page's config.
        features.append(feature_at(location, slug=row["slug"], name=row["public_name"],
                                   url=url_pattern.replace("__slug__", row["slug"]), highest_mode=row["top_mode"],
                                   tools=row["tool_count"] or 0, theme=row["dominant_theme"] or None,
                                   year=row["launch_year"]))
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode()


@lru_cache(maxsize=1)
def _departement_outlines() -> bytes:
    return (settings.BASE_DIR / "cases" / "data" / "reference" / "departements.geojson").read_bytes()


@require_safe
@gzip_page
@cache_control(public=True, max_age=7 * 24 * 3600)
def map_departements(request):
    """The offline base layer: département outlines, read once per process, cached by browsers."""
    return HttpResponse(_departement_outlines(), content_type="application/geo+json")
