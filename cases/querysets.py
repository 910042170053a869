"""Querysets shared by selectors, views and the API.

Public code starts from ``Case.objects.published()``: nothing that is not published can leak through
a list, a map, an export or the API, because no public code path starts anywhere else.
"""

from django.db import models
from django.db.models import Case as Conditional
from django.db.models import F, Prefetch, When

from .vocabularies import CaseStatus, Disclosure


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def with_public_name(self):
        """Annotate ``public_name``: the pseudonym of a pseudonymised case, else its title.

        Lists sort on it: sorting pseudonymised cases on their real title would hint at that title.
        """
        return self.annotate(public_name=Conditional(
            When(disclosure=Disclosure.PSEUDONYMISED, then=F("pseudonym")), default=F("title"),
        ))

    def with_profile(self):
        """Everything a profile card shows, in a fixed number of queries whatever the row count."""
        from .models import DigitalTool

        return self.select_related(
            "territory",
            "territory__departement",
            "territory__region",
            "territory__epci",
        ).prefetch_related(
            Prefetch("tools", queryset=DigitalTool.objects.order_by("position", "name", "pk")),
            "secondary_theme_links",
            "collection_method_links",
        )

    def with_children(self):
        """``with_profile`` plus every child a full profile page shows."""
        from .models import Event, FactorAssessment, Source, Stakeholder

        return self.with_profile().prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("helix", "name", "pk")),
            Prefetch("factors", queryset=FactorAssessment.objects.select_related("source").order_by("pk")),
            Prefetch("events", queryset=Event.objects.select_related("source").order_by("date", "pk")),
            Prefetch("sources", queryset=Source.objects.order_by("date", "pk")),
        )


class TerritoryQuerySet(models.QuerySet):
    def with_parents(self):
        return self.select_related("departement", "region", "epci", "ept")
