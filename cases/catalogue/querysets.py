"""Querysets shared by selectors, views and the API.

Public code starts from ``Case.objects.published()``: nothing that is not published can leak through
a list, a map, an export or the API, because no public code path starts anywhere else.
"""

from django.db import models
from django.db.models import Case as Conditional
from django.db.models import F, Prefetch, When

from ..vocabularies import CaseStatus, Disclosure


class CaseQuerySet(models.QuerySet):
    def _child(self, related_name: str):
        # The child model through its relation, so that this module never imports the models module
        # (which imports it): no import circle.
        return self.model._meta.get_field(related_name).related_model

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
        return self.select_related(
            "territory",
            "territory__departement",
            "territory__region",
            "territory__epci",
        ).prefetch_related(
            Prefetch("tools", queryset=self._child("tools").objects.order_by("position", "name", "pk")),
            "secondary_theme_links",
            "collection_method_links",
            # Who asserted each characteristic, and the findings a study reports jointly (cases.research).
            "field_provenance",
            Prefetch("study_findings", queryset=self._child("study_findings").objects.select_related("study")
                     .prefetch_related("cases")),
        )

    def with_children(self):
        """``with_profile`` plus every child a full profile page shows."""
        child = self._child
        return self.with_profile().prefetch_related(
            Prefetch("stakeholders", queryset=child("stakeholders").objects.order_by("helix", "name", "pk")),
            Prefetch("factors", queryset=child("factors").objects.select_related("source").order_by("pk")),
            Prefetch("events", queryset=child("events").objects.select_related("source").order_by("date", "pk")),
            Prefetch("sources", queryset=child("sources").objects.order_by("date", "pk")),
        )
