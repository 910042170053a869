"""Cached aggregates are never stale: a write through any service changes every count at once.

Facets, statistics, map data, key figures and the list's ids are cached under a data version
(``cases.catalogue.freshness``). Each test reads every cached surface (which fills the cache), writes
through one service, reads again from the cache, and compares with the same reads on an empty cache:
the cached answers must equal the computed ones, and must have changed.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction

from cases.catalogue import freshness
from cases.catalogue.services import case_child_delete, case_update, tool_add, tool_classify
from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.models import Case, DigitalTool
from cases.moderation.services import case_archive, case_publish, revision_publish
from cases.vocabularies import CoproductionMode, Disclosure, Theme, ToolType
from tests.catalogue.test_site_pages import queries
from tests.contributions.utils import complete_payload
from tests.factories import CaseFactory, CommuneFactory

pytestmark = pytest.mark.django_db

FILTERED = "mode=enhanced&dominant_theme=mobility"


def cards(html: str) -> list:
    """Each card of a list page as shown: its case, its highest mode's badge, its tool count."""
    return [(re.search(r'id="case-([\w-]+)-title"', card).group(1), re.findall(r"mode-badge mode-(\w+)", card),
             re.search(r"(\d+) outils? numériques?", card).group(1))
            for card in html.split('<article class="case-card case-result"')[1:]]


FACET_OPTION = re.compile(r'data-facet="(\w+)" data-value="([^"]+)">.*?facet-count">(\d+)<', re.S)


def observe(client) -> dict:
    """Every cached surface, as plain data: list (facets, count, ids), map, statistics, home, API."""
    seen = {}
    for query in ("", FILTERED):
        page = client.get(f"/cas/?{query}")
        # As the page shows them: the filter panel's HTML is itself cached.
        seen[f"facets {query}"] = sorted(FACET_OPTION.findall(page.content.decode()))
        seen[f"list {query}"] = [c.slug for c in page.context["page"].object_list]
        # The cards as shown (their HTML is cached too): each case's highest mode and number of tools.
        seen[f"cards {query}"] = cards(page.content.decode())
        seen[f"count {query}"] = page.context["page"].paginator.count
    assert seen["facets "], "no facet option found in the page"
    seen["map "] = [(f["properties"]["slug"], f["properties"]["location_precision"], f["properties"]["highest_mode"])
                    for f in client.get("/carte/donnees.geojson").json()["features"]]
    stats = client.get("/statistiques/")
    seen["statistics "] = ([(t["table"].key, t["table"].matrix) for t in stats.context["tables"]],
                           stats.context["total_cases"])
    # As the page shows them: the tables' HTML is cached too.
    seen["statistics html"] = re.findall(r'<td class="num">(\d+)</td>', stats.content.decode())
    assert seen["statistics html"], "no statistics cell found in the page"
    api = client.get("/api/v1/cases/?page_size=200").json()
    seen["api "] = (api["count"], [(c["slug"], c["tool_count"], c["highest_mode"]) for c in api["results"]])
    api_stats = client.get(f"/api/v1/stats/?{FILTERED}").json()
    seen["api stats"] = (api_stats["case_count"], api_stats["tool_count"], api_stats["tables"])
    figures = client.get("/").context["figures"]
    seen["home"] = {key: figures[key] for key in ("cases", "tools", "regions", "departements")}
    return seen


def assert_fresh(client, before):
    after = observe(client)
    cache.clear()
    computed = observe(client)
    assert after == computed, "a cached aggregate was served stale"
    changed = {key for key in after if after[key] != before[key]}
    assert changed, "the write changed nothing visible: the test proves nothing"
    return changed


@pytest.fixture
def catalogue(db):
    commune = CommuneFactory()
    return [
        CaseFactory(territory=commune, dominant_theme=Theme.MOBILITY, tools=3),
        CaseFactory(dominant_theme=Theme.MOBILITY, tools=1),
        CaseFactory(dominant_theme=Theme.CULTURE_TOURISM, tools=2, launch_year=2015),
    ]


def submitted(official, territory=None):
    territory = territory or CommuneFactory()
    case = contribution_start(actor=official, title="Nouvelle initiative", territory=territory)
    revision = revision_save(case=case, actor=official, data=complete_payload(territory, tools=3))
    revision_submit(revision=revision, actor=official)
    case.refresh_from_db()
    return case


def test_publish(client, catalogue, official, moderator):
    case = submitted(official)
    before = observe(client)
    case_publish(case=case, actor=moderator)
    changed = assert_fresh(client, before)
    assert {"count ", "home", "api ", "map ", "statistics "} <= changed


def test_update_approval(client, catalogue, official, moderator):
    case = catalogue[0]
    case.submitted_by = official
    case.save()
    data = merged(case_payload(case), {"case": {"dominant_theme": Theme.CULTURE_TOURISM, "launch_year": 2012}})
    revision = revision_submit(revision=revision_save(case=case, actor=official, data=data), actor=official)
    before = observe(client)
    assert observe(client) == before  # a pending update changes nothing public
    revision_publish(revision=revision, actor=moderator)
    changed = assert_fresh(client, before)
    assert {"facets ", f"count {FILTERED}", "statistics "} <= changed


def test_archive(client, catalogue, moderator):
    before = observe(client)
    case_archive(case=catalogue[0], actor=moderator)
    changed = assert_fresh(client, before)
    assert {"count ", f"count {FILTERED}", "home", "map ", "api stats"} <= changed


def test_disclosure_change(client, catalogue):
    before = observe(client)
    case_update(case=catalogue[0], disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité Z")
    changed = assert_fresh(client, before)
    assert {"map ", "list ", "api "} <= changed


def test_tool_edit(client, catalogue):
    tool = DigitalTool.objects.filter(case=catalogue[1]).get()
    before = observe(client)
    tool_classify(tool=tool, coproduction_mode=CoproductionMode.ENHANCED,
                  classification_rationale="Les habitants produisent eux-mêmes le service.")
    changed = assert_fresh(client, before)
    assert {f"count {FILTERED}", "facets ", "map ", "statistics "} <= changed


def test_tool_add(client, catalogue):
    before = observe(client)
    tool_add(case=catalogue[2], name="Nouvel outil", tool_type=ToolType.CIVIC_APP,
             coproduction_mode=CoproductionMode.CONSUMER, classification_rationale="Un service existant.")
    changed = assert_fresh(client, before)
    assert {"home", "statistics ", "api "} <= changed


def test_tool_delete(client, catalogue):
    tool = DigitalTool.objects.filter(case=catalogue[0], coproduction_mode=CoproductionMode.ENHANCED).get()
    before = observe(client)
    case_child_delete(instance=tool)
    changed = assert_fresh(client, before)
    assert {f"count {FILTERED}", "map ", "home", "statistics "} <= changed


def test_search_follows_a_renamed_case(client, catalogue):
    before = client.get("/cas/?q=zygomatique").context["page"].paginator.count
    case_update(case=catalogue[2], title="Atelier zygomatique")
    assert before == 0
    assert client.get("/cas/?q=zygomatique").context["page"].paginator.count == 1


def test_commit_bumps_again_for_readers_that_cached_during_the_transaction(catalogue,
                                                                          django_capture_on_commit_callbacks):
    """A reader that cached pre-commit rows under the first bump is made unreachable by the second."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case_update(case=catalogue[0], launch_year=2001)
        during = freshness.data_version()
    assert freshness.data_version() != during


def test_version_survives_a_flushed_cache(catalogue):
    version = freshness.data_version()
    cache.clear()
    assert freshness.data_version() != version
    assert Case.objects.published().count() == 3


@pytest.mark.parametrize("url", ["/cas/?mode=participative", "/carte/donnees.geojson", "/statistiques/",
                                 "/api/v1/cases/?page_size=5"])
def test_warm_pages_run_fewer_queries_and_as_many_at_any_size(client, url):
    """From the cache, a page skips its aggregates; what is left does not grow with the cases either."""
    CaseFactory.create_batch(2, tools=2)
    cold, warm = queries(client, url), queries(client, url)
    CaseFactory.create_batch(8, tools=4)
    assert queries(client, url) == cold  # the write made the cache stale: computed again, same count
    assert queries(client, url) == warm < cold


def test_cache_keys_ignore_order_and_unknown_parameters():
    from django.http import QueryDict

    key = freshness.params_key
    assert key(QueryDict("mode=consumer&mode=enhanced&region=76")) == key(
        QueryDict("region=76&mode=enhanced&mode=consumer"))
    assert key(QueryDict("mode=consumer&utm=1&page=3")) == key(QueryDict("mode=consumer"))
    assert key(QueryDict("mode=consumer")) != key(QueryDict("mode=enhanced"))
    assert key(QueryDict("ordering=title")) != key(QueryDict("")) == key(QueryDict("ordering=title"), drop=["ordering"])


def test_the_api_list_refuses_a_bad_query_even_when_its_answer_is_cached(client):
    """The API list validates inside its cached sort: a refused query must never share a good one's entry."""
    CaseFactory.create_batch(2, tools=1)
    assert client.get("/api/v1/cases/?mode=enhanced").status_code == 200  # cached now
    for query in ("mode=enhanced&foo=1", "mode=enhanced&foo=", "mode=enhanced&cas=x", "mode=enhanced&region=ARA",
                  "mode=enhanced&mode=", "mode=enhanced&open_source=maybe"):
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 400, query
    # A cache-buster is allowed and shares the entry; page and page_size are validated by the paginator.
    assert client.get("/api/v1/cases/?mode=enhanced&_=123").status_code == 200
    assert client.get("/api/v1/cases/?mode=enhanced&page=0").status_code == 400


def test_writes_to_unpublished_cases_leave_the_cache_valid(client, catalogue, official, moderator):
    """Drafts and submissions weigh in no aggregate: under load they must not make every visitor recompute.
    Publishing one, and editing a published case's tool, still make every count change at once."""
    territory = CommuneFactory()  # reference data: writing it is a public change
    version = freshness.data_version()
    case = submitted(official, territory)  # a draft with three tools, saved and submitted
    DigitalTool.objects.filter(case=case).first().delete()  # a child of an unpublished case
    assert freshness.data_version() == version
    before = observe(client)
    case_publish(case=case, actor=moderator)
    assert freshness.data_version() != version
    assert {"count ", "home", "map "} <= assert_fresh(client, before)
    version = freshness.data_version()
    case_archive(case=case, actor=moderator)  # leaving publication is a public change too
    assert freshness.data_version() != version


def test_concurrent_requests_for_a_missing_entry_compute_it_once():
    """After a write every visitor misses the same entries: one computes, the others wait for its value."""
    import threading
    import time

    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return {"n": 42}

    results = []
    threads = [threading.Thread(target=lambda: results.append(freshness.cached("t", None, compute)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"n": 42}] * 4
    assert len(calls) == 1


def test_a_failed_computation_lets_the_next_request_compute():
    def fails():
        raise ValueError("bad query")

    with pytest.raises(ValueError):
        freshness.cached("t", None, fails)
    assert freshness.cached("t", None, lambda: 7) == 7  # no lock left behind, no wait


def test_the_cached_filter_panel_follows_writes_language_and_query(client, catalogue):
    """The panel's HTML is cached per data version, address and language: each must change it."""
    import re

    def enhanced_count(html):
        return re.search(r'data-facet="mode" data-value="enhanced">.*?<span class="facet-count">(\d+)', html,
                         re.S).group(1)

    french = client.get("/cas/").content.decode()
    assert enhanced_count(french) == "1"
    assert "Co-production renforcée" in french
    english = client.get("/cas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enhanced co-production" in english and "Co-production renforcée" not in english.split("</form>")[1]
    tool_add(case=catalogue[2], name="Budget participatif", tool_type=ToolType.PARTICIPATORY_BUDGET,
             coproduction_mode=CoproductionMode.ENHANCED, classification_rationale="Les habitants décident.")
    assert enhanced_count(client.get("/cas/").content.decode()) == "2"
    filtered = client.get("/cas/?dominant_theme=culture_tourism").content.decode()
    assert enhanced_count(filtered) == "1" and 'href="?dominant_theme=culture_tourism&amp;mode=enhanced"' in filtered
