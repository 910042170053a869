from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("cases.contributions.urls_accounts")),
    path("api/", include("cases.api.urls")),
    path("", include("cases.urls")),
]
