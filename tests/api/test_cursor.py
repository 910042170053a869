"""Cursor (keyset) pagination of ``/api/v1/cases/`` and ``/api/v1/tools/``: a crawl that other writes cannot
make skip or repeat a row, strict cursor values, constant queries, the fast path, the schema."""

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from cases.api import fastlist
from cases.catalogue.services import case_child_delete, case_update, tool_add
from cases.models import DigitalTool
from cases.moderation.services import case_archive
from tests.api.support import api_client, count_queries, fresh_throttle, read_json  # noqa: F401
from tests.factories import CaseFactory, CommuneFactory, RegionFactory

pytestmark = pytest.mark.django_db

CASES, TOOLS = "/api/v1/cases/", "/api/v1/tools/"


def pid(n: int) -> uuid.UUID:
    """A public_id that sorts at position ``n`` (the first hex digits are ``n``)."""
    return uuid.UUID(f"{n:08x}-0000-4000-8000-000000000000")


def crawl(api, url, params, between_pages=lambda page_number: None, key="public_id"):
    """Follow ``next`` from ``?cursor=`` to the end, calling ``between_pages`` after each page."""
    response = api.get(url, {**params, "cursor": ""})
    seen, number = [], 0
    while True:
        assert response.status_code == 200, response.content[:300]
        data = read_json(response)
        assert "count" not in data
        seen += [row[key] for row in data["results"]]
        number += 1
        between_pages(number)
        if data["next"] is None:
            return seen
        assert number < 50, "the crawl does not end"
        response = api.get(data["next"])


def test_a_case_crawl_returns_each_case_exactly_once_while_others_come_and_go(api):
    stable = [CaseFactory(public_id=pid(10 * n), title=f"Stable {n}") for n in range(1, 11)]
    doomed = [CaseFactory(public_id=pid(10 * n + 5), title=f"Retiré {n}") for n in range(1, 11)]
    newcomers = []

    def write(page_number):
        # Before and after the cursor: a publication, a withdrawal and a hard deletion, a rename whose new
        # slug sorts first (a page-number crawl ordered by slug would then repeat or skip a row).
        newcomers.append(CaseFactory(public_id=pid(page_number * 20 + 1)))
        newcomers.append(CaseFactory(public_id=pid(200 - page_number)))
        if doomed:
            case_archive(case=doomed.pop(0))
        if doomed:
            doomed.pop().delete()
        renamed = stable[-page_number % len(stable)]
        case_update(case=renamed, title=f"AAA {page_number} {renamed.title}")
        type(renamed).objects.filter(pk=renamed.pk).update(slug=f"aaa-{page_number}-{renamed.slug}")

    seen = crawl(api, CASES, {"page_size": 3}, write)
    assert len(seen) == len(set(seen)), "a case came twice"
    assert {str(case.public_id) for case in stable} <= set(seen), "a case present all along was skipped"
    assert seen == sorted(seen)
    # Every newcomer sorting after the position of the cursor when it arrived came too.
    assert str(pid(199)) in seen


def test_a_page_number_crawl_under_the_same_writes_is_what_the_cursor_avoids(api):
    """The baseline: with page numbers an insertion before the current page repeats a row."""
    for n in range(1, 7):
        CaseFactory(slug=f"cas-{n}", public_id=pid(n))
    first = [row["slug"] for row in read_json(api.get(CASES, {"page_size": 3}))["results"]]
    CaseFactory(slug="aaa-nouveau")
    second = [row["slug"] for row in read_json(api.get(CASES, {"page_size": 3, "page": 2}))["results"]]
    assert set(first) & set(second) == {"cas-3"}


def test_a_tool_crawl_returns_each_tool_exactly_once_while_others_come_and_go(api):
    cases = [CaseFactory(tools=3) for _n in range(4)]
    tools = list(DigitalTool.objects.order_by("pk"))
    stable, doomed = tools[::2], tools[1::2]
    added = []

    def write(page_number):
        case = cases[page_number % len(cases)]
        added.append(tool_add(case=case, name=f"Nouveau {page_number}", tool_type="ideation",
                              coproduction_mode="participative", classification_rationale="Idées."))
        if doomed:
            case_child_delete(instance=doomed.pop(0 if page_number % 2 else -1))
        tool = stable[-1]
        tool.name = f"Renommé {page_number}"
        tool.save()
        if page_number == 2:
            case_archive(case=cases[-1])  # its tools leave the list with it

    seen = crawl(api, TOOLS, {"page_size": 2}, write, key="id")
    assert len(seen) == len(set(seen))
    kept = {tool.pk for tool in stable if tool.case_id != cases[-1].pk}
    assert kept <= set(seen)
    assert seen == sorted(seen)
    assert added[-2].pk in seen  # inserted after the cursor's position: reached by the crawl


def test_a_cursor_crawl_keeps_the_filters(api):
    region = RegionFactory(code="84")
    inside = {str(CaseFactory(territory=CommuneFactory(region=region)).public_id) for _n in range(5)}
    CaseFactory.create_batch(3)
    seen = crawl(api, CASES, {"page_size": 2, "region": "84"})
    assert sorted(seen) == sorted(inside)


def test_previous_goes_back_a_page_and_next_forward_again(api):
    for n in range(1, 8):
        CaseFactory(public_id=pid(n))
    first = read_json(api.get(CASES, {"cursor": "", "page_size": 3}))
    assert first["previous"] is None
    second = read_json(api.get(first["next"]))
    back = read_json(api.get(second["previous"]))
    assert [row["public_id"] for row in back["results"]] == [row["public_id"] for row in first["results"]]
    assert back["previous"] is None
    assert read_json(api.get(back["next"]))["results"] == second["results"]
    third = read_json(api.get(second["next"]))
    assert [row["public_id"] for row in third["results"]] == [str(pid(7))] and third["next"] is None


def test_cursor_pages_equal_the_page_number_pages_row_for_row(api):
    for n in range(1, 6):
        CaseFactory(public_id=pid(n), slug=f"cas-{n}", tools=n % 3)
    by_page = read_json(api.get(CASES, {"page_size": 5}))["results"]
    by_cursor = read_json(api.get(CASES, {"page_size": 5, "cursor": ""}))["results"]
    assert by_cursor == by_page  # same keys, same values: the same fast path


def test_the_cursor_list_uses_the_fast_path(api, monkeypatch):
    CaseFactory(tools=2)
    calls = []
    original = fastlist.case_summaries

    def spy(cases, request):
        calls.append(len(cases))
        return original(cases, request)

    monkeypatch.setattr(fastlist, "case_summaries", spy)
    assert api.get(CASES, {"cursor": ""}).status_code == 200
    assert calls == [1]


@pytest.mark.parametrize("url", [CASES, TOOLS])
def test_a_cursor_page_runs_a_constant_number_of_queries(api, url):
    CaseFactory(tools=2)
    few, first = count_queries(api, f"{url}?cursor=&page_size=50")
    for _n in range(8):
        CaseFactory(tools=3)
    many, _ = count_queries(api, f"{url}?cursor=&page_size=50")
    assert few == many
    later, _ = count_queries(api, read_json(first)["next"] or f"{url}?cursor=&page_size=2")
    assert later == few


def test_the_tool_page_list_runs_a_constant_number_of_queries(api):
    CaseFactory(tools=1)
    few, _ = count_queries(api, f"{TOOLS}?page_size=50")
    for _n in range(6):
        CaseFactory(tools=3)
    assert count_queries(api, f"{TOOLS}?page_size=50")[0] == few


def _token(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("url", [CASES, TOOLS])
@pytest.mark.parametrize("cursor", [
    "abc", "!!!!", "x" * 40, _token("q" + "0" * 32), _token("n"), _token("nnot-a-key"), _token("n-1"),
    _token("n" + "9" * 30), _token("n1.5"), "é", _token("n" + "0" * 32) + "%%",
])
def test_a_malformed_cursor_is_a_400_on_the_cursor(api, url, cursor):
    response = api.get(url, {"cursor": cursor})
    assert response.status_code == 400, response.content[:300]
    assert list(read_json(response)["errors"]) == ["cursor"]


@pytest.mark.parametrize("query", ["cursor=&page=2", "cursor=&ordering=title", "cursor=&cursor="])
def test_a_cursor_with_page_ordering_or_twice_is_a_400(api, query):
    CaseFactory()
    response = api.get(f"{CASES}?{query}")
    assert response.status_code == 400
    assert "cursor" in read_json(response)["errors"]


def test_a_cursor_from_the_cases_does_not_walk_the_tools(api):
    CaseFactory(public_id=pid(1), tools=1)
    case_next = _token("n" + pid(1).hex)
    assert api.get(TOOLS, {"cursor": case_next}).status_code == 400


def test_page_numbers_still_work_with_count(api):
    CaseFactory.create_batch(3, tools=1)
    for url in (CASES, TOOLS):
        data = read_json(api.get(url, {"page_size": 2}))
        assert data["count"] == 3 and "page=2" in data["next"]
        assert parse_qs(urlsplit(data["next"]).query)["page"] == ["2"]


def test_the_schema_documents_the_cursor(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in (CASES, TOOLS):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert "cursor" in parameters and "exactement une fois" in parameters["cursor"]["description"]
        assert "page" in parameters
    page = schema["components"]["schemas"]["PaginatedCaseSummaryList"]
    assert page["required"] == ["results"]
    assert "cursor" not in {p["name"] for p in schema["paths"]["/api/v1/territories/"]["get"]["parameters"]}
