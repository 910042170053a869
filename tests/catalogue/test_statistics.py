import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.catalogue import selectors
from cases.catalogue.statistics import case_statistics
from tests.factories import CaseFactory, DigitalToolFactory

pytestmark = pytest.mark.django_db


def tables(params=""):
    return {t.key: t for t in case_statistics(selectors.case_filterset(filters=QueryDict(params)).qs)}


def test_tools_by_type_and_mode_follow_the_filters():
    mobility = CaseFactory(dominant_theme="mobility", population_city=150_000, launch_year=2017)
    DigitalToolFactory(case=mobility, tool_type="maas", coproduction_mode="consumer")
    DigitalToolFactory(case=mobility, tool_type="ideation", coproduction_mode="participative")
    health = CaseFactory(dominant_theme="health", launch_year=2020)
    DigitalToolFactory(case=health, tool_type="maas", coproduction_mode="consumer")
    all_ = tables()
    assert all_["tools_by_type"].cell("maas", "consumer") == 2
    assert all_["modes_by_theme"].cell("mobility", "participative") == 1
    assert all_["modes_by_population_band"].cell("100k_200k", "consumer") == 2
    assert [(r[0], r[3]) for r in all_["cases_by_launch_year"].matrix] == [("2017", 1), ("2020", 1)]
    only_health = tables("dominant_theme=health")
    assert only_health["tools_by_type"].cell("maas", "consumer") == 1
    assert only_health["tools_by_type"].as_dict()["rows"][0]["total"] == 1


def test_statistics_query_count_is_constant():
    def count():
        with CaptureQueriesContext(connection) as ctx:
            for table in case_statistics(selectors.case_filterset(filters=QueryDict("")).qs):
                table.matrix  # noqa: B018
        return len(ctx)

    CaseFactory(tools=2)
    few = count()
    for _ in range(8):
        CaseFactory(tools=4)
    assert count() == few
