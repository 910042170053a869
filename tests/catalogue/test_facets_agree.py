"""A facet option's count is the number of cases that ticking it gives: facets and filters cannot disagree.

Facets are counted in memory (``cases.catalogue.facts``), filters in SQL (``CaseFilterSet``). Over a
catalogue that exercises every rule — pseudonymised cases with a kept or dropped région and fine or
widened bands, a national case, tools with statuses, secondary themes, the study's joint findings, a
draft — each option of each facet, under several filter sets, is checked against the list it leads to.
"""

import pytest
from django.http import QueryDict

from cases.catalogue import freshness, selectors
from cases.models import Case
from cases.vocabularies import CoproductionMode, ManagementMode, Theme, ToolStatus, ToolType
from tests.factories import CaseFactory, CommuneFactory, DigitalToolFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(study_cases):
    occitanie, bretagne = RegionFactory(code="76", name="Occitanie"), RegionFactory(code="53", name="Bretagne")
    in_occitanie = CommuneFactory(region=occitanie)
    CaseFactory(territory=in_occitanie, tools=3, population_city=1_500, population_epci=30_000,
                secondary_themes=[Theme.MOBILITY, Theme.CULTURE_TOURISM])
    CaseFactory(territory=CommuneFactory(region=bretagne), tools=1, population_city=620_000, population_epci=None,
                dominant_theme=Theme.CULTURE_TOURISM, management_mode=ManagementMode.OTHER)
    tooled = CaseFactory(territory=CommuneFactory(region=bretagne), population_city=55_000)
    DigitalToolFactory(case=tooled, tool_type=ToolType.CIVIC_APP, coproduction_mode=CoproductionMode.CONSUMER,
                       status=ToolStatus.DISCONTINUED)
    kept = CaseFactory(pseudonymised=True, territory=CommuneFactory(region=occitanie), tools=2)
    dropped = CaseFactory(pseudonymised=True, territory=CommuneFactory(region=bretagne), tools=1)
    # Stored public values as disclosure control may leave them: région and a fine band kept; or a
    # widened band and no région.
    Case.objects.filter(pk=kept.pk).update(public_region_code="76", public_city_band="100k_200k",
                                           public_epci_band="200k_500k")
    Case.objects.filter(pk=dropped.pk).update(public_region_code="", public_area="metro",
                                              public_city_band="50k_200k", public_epci_band="")
    CaseFactory(national=True, tools=2, dominant_theme=Theme.LOCAL_DEMOCRACY)
    CaseFactory(draft=True, territory=in_occitanie, tools=3)  # counted nowhere
    freshness.data_changed()  # the updates above send no signal


QUERIES = ["", "mode=enhanced", "region=76", "mode=consumer&mode=enhanced&dominant_theme=mobility",
           "population_city_band=100k_200k", "tool_status=discontinued", "q=initiative", "secondary_theme=mobility",
           # Indexed facets (counted from facts) mixed with filters only a query answers, and an invalid value,
           # which applies nowhere in either.
           "mode=enhanced&region=76", "tool_type=civic_app&population_city_band=50k_100k",
           "secondary_theme=mobility&q=initiative&carrier=commune", "mode=bogus&dominant_theme=mobility"]


@pytest.mark.parametrize("query", QUERIES)
def test_every_option_counts_the_cases_ticking_it_gives(catalogue, query):
    filters = QueryDict(query)
    checked = 0
    for facet in selectors.case_facets(filters=filters):
        for option in facet.options:
            ticked = filters.copy()
            ticked.setlist(facet.name, [option.value])
            expected = len(selectors.case_list_ids(filters=ticked))
            assert option.count == expected, (facet.name, option.value)
            checked += 1
    assert checked >= (20 if not query else 3)  # the catalogue gives the facets something to count


def test_the_facts_leave_the_collectors_sight_after_the_response_that_loaded_them(catalogue, client, monkeypatch):
    """At national scale a full collection walking the facts cost ~100 ms in one request of ten."""
    import gc

    from cases.catalogue import facts

    monkeypatch.setattr(facts, "FREEZE_FROM", 1)  # the test catalogue is small
    gc.unfreeze()
    try:
        freshness.data_changed()
        assert client.get("/cas/").status_code == 200
        index = facts.current().index
        assert gc.get_freeze_count() > 0
        assert not any(obj is index for obj in gc.get_objects())  # frozen objects are in no generation
        assert client.get("/cas/").status_code == 200  # same version: nothing reloaded, nothing collected
    finally:
        gc.unfreeze()


def test_a_case_published_after_the_facts_were_read_waits_for_the_next_version(catalogue, client):
    """A query may see a case the facts of this version do not have (published meanwhile, in another
    transaction): the page keeps to the facts — no error, no count that disagrees — until the version moves."""
    commune = CommuneFactory(region=Case.objects.filter(territory__region__code="76").first().territory.region)
    assert client.get("/cas/").status_code == 200  # the facts of this version are read
    late = CaseFactory(draft=True, territory=commune, tools=1)  # a draft changes no aggregate: no new version
    Case.objects.filter(pk=late.pk).update(status="published")  # no signal: as if committed meanwhile
    page = client.get("/cas/?region=76")
    assert page.status_code == 200 and late.slug not in page.content.decode()
    freshness.data_changed()
    assert late.slug in client.get("/cas/?region=76").content.decode()
