"""The sitemap (django.contrib.sitemaps): the public pages and every published case's profile."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import Case


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["cases:home", "cases:case_list", "cases:map", "cases:statistics", "cases:methodology",
                "cases:about_data", "cases:contribute", "cases:accessibility", "cases:legal"]

    def location(self, item):
        return reverse(item)


class CaseSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Published cases only, whatever their disclosure: a pseudonymised profile is public too.
        return Case.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, case):
        return case.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "cases": CaseSitemap}
