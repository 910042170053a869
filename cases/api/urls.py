"""``/api/``: v1 endpoints, the OpenAPI schema and its documentation (Swagger UI, Redoc; vendored)."""

from csp.decorators import csp_update
from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.urls import include, path, re_path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.urlpatterns import format_suffix_patterns

from ..contributions import api as write
from ..releases import api as releases
from . import root, views

# ETag from the response body and 304 on If-None-Match (streamed exports set their own ETag).
conditional = decorator_from_middleware(ConditionalGetMiddleware)

app_name = "api"


def read(viewset, **actions):
    return conditional(viewset.as_view(actions or {"get": "list"}))


v1 = [
    path("", views.V1RootView.as_view(), name="v1-root"),
    path("changes/", conditional(views.ChangesView.as_view()), name="changes"),
    path("factors/", conditional(views.FactorTableView.as_view()), name="factor-list"),
    path("stakeholders/", conditional(views.StakeholderTableView.as_view()), name="stakeholder-list"),
    path("cases/", read(views.CaseViewSet), name="case-list"),
    path("cases/<slug:slug>/", read(views.CaseViewSet, get="retrieve"), name="case-detail"),
    path("tools/", read(views.ToolViewSet), name="tool-list"),
    path("tools/<int:pk>/", read(views.ToolViewSet, get="retrieve"), name="tool-detail"),
    path("territories/", read(views.TerritoryViewSet), name="territory-list"),
    path("territories/<str:kind>/<str:code>/", read(views.TerritoryViewSet, get="retrieve"),
         name="territory-detail"),
    path("vocabularies/", conditional(views.VocabularyView.as_view()), name="vocabularies"),
    path("stats/", conditional(views.StatisticsView.as_view()), name="stats"),
    path("compare/", conditional(views.CompareView.as_view()), name="compare"),
    path("releases/", read(releases.ReleaseViewSet), name="release-list"),
    path("releases/<str:version>/", read(releases.ReleaseViewSet, get="retrieve"), name="release-detail"),
]
# ``cases.csv``, ``cases.geojson``, ``tools.csv`` as well as ``?format=…``.
v1 += format_suffix_patterns([
    path("cases", read(views.CaseViewSet), name="case-list-export"),
    path("tools", read(views.ToolViewSet), name="tool-list-export"),
    path("factors", conditional(views.FactorTableView.as_view()), name="factor-list-export"),
    path("stakeholders", conditional(views.StakeholderTableView.as_view()), name="stakeholder-list-export"),
], suffix_required=True, allowed=["json", "csv", "geojson"])

# Token-authenticated writes: officials' drafts and moderators' actions (cases/contributions/api.py).
v1 += write.urlpatterns

urlpatterns = [
    path("", root.api_index, name="root"),
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc writes its own <style> elements and runs its search in a blob: worker: its page alone relaxes the
    # CSP so (settings.CSP_REDOC); scripts stay the site's own files.
    path("redoc/", csp_update(settings.CSP_REDOC)(SpectacularRedocView.as_view(url_name="api:schema")),
         name="redoc"),
    # Last: whatever else is under /api/ is a JSON 404.
    re_path(r"^(?P<rest>[\s\S]*)$", root.not_found),  # any character, newlines too
]
