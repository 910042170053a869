from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from cases.catalogue.sitemaps import SITEMAPS
from cases.catalogue.views.info import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("cases.contributions.urls_accounts")),
    path("api/", include("cases.api.urls")),
    path("", include("cases.urls")),
]
