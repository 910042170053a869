from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from health_check.views import HealthCheckView

from cases.catalogue.sitemaps import SITEMAPS
from cases.catalogue.views.info import robots_txt
from cases.contributions.ratelimits import limit_posts
from cases.wellknown import security_txt

# The admin's log-in under the same rate limits (per address and per account) as the site's.
admin_login = limit_posts("login")(admin.site.login)

urlpatterns = [
    path("admin/login/", admin_login),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("cases.contributions.urls_accounts")),
    path("api/", include("cases.api.urls")),
    # For the orchestrator and the smoke test: 200 when the database and the cache answer, else 500.
    path("sante/", HealthCheckView.as_view(checks=["health_check.checks.Database", "health_check.checks.Cache"]),
         name="health"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("", include("cases.urls")),
]

handler400 = "cases.errors.bad_request"
handler403 = "cases.errors.permission_denied"
handler404 = "cases.errors.page_not_found"
handler500 = "cases.errors.server_error"
