"""Querysets shared by selectors, views and the API.

Public code starts from ``Case.objects.published()``: nothing that is not published can leak through
a list, a map, an export or the API, because no public code path starts anywhere else.
"""

from django.db import models
from django.db.models import Prefetch

from .vocabularies import CaseStatus


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStatus.PUBLISHED)

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
