"""The JSON list's fast path (``cases.api.fastlist``) against ``CaseSummarySerializer``: same output, same schema."""

import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from cases.api import fastlist
from cases.api.serializers import CaseSummarySerializer
from cases.models import Case
from cases.vocabularies import PopulationDisclosure
from tests.api.support import api_client, fresh_throttle  # noqa: F401  (fixtures)
from tests.factories import CaseFactory, DigitalToolFactory, RegionFactory


@pytest.fixture
def varied_cases(study_cases):
    """The study's cases (pseudonymised and national ones) plus edge cases of every kind."""
    CaseFactory(pseudonymised=True, population_disclosure=PopulationDisclosure.EXACT, tools=2,
                seasonal_population_peak=300_000)
    CaseFactory(pseudonymised=True, territory=RegionFactory(latitude=None, longitude=None))
    CaseFactory(national=True, tools=1, website="https://example.org/")
    case = CaseFactory(tools=4, launch_year=None, horizon_year=None, population_city=None)
    DigitalToolFactory(case=case, url="https://outil.example.org/")


def test_fast_path_equals_the_serializer_byte_for_byte(varied_cases):
    request = APIRequestFactory().get("/api/v1/cases/")
    cases = list(Case.objects.published().with_profile().order_by("slug"))
    assert len(cases) >= 8
    expected = CaseSummarySerializer(cases, many=True, context={"request": request}).data
    fast = fastlist.case_summaries(fastlist.load_cases([case.pk for case in cases]), request)
    assert fast == json.loads(json.dumps(expected))
    renderer = JSONRenderer()
    assert renderer.render(fast) == renderer.render(expected)


def test_schema_of_the_list_is_the_serializers(api):
    """The fast path changes no declared field: the schema still documents ``CaseSummarySerializer``."""
    schema = api.get("/api/schema/", {"format": "json"}).json()
    ok = schema["paths"]["/api/v1/cases/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PaginatedCaseSummaryList"}
    page = schema["components"]["schemas"]["PaginatedCaseSummaryList"]
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/CaseSummary"}
    documented = list(schema["components"]["schemas"]["CaseSummary"]["properties"])
    assert documented == list(CaseSummarySerializer().fields)


def test_fast_path_keys_follow_the_serializer(db):
    request = APIRequestFactory().get("/api/v1/cases/")
    case = CaseFactory(tools=1)
    [row] = fastlist.case_summaries(fastlist.load_cases([case.pk]), request)
    assert list(row) == list(CaseSummarySerializer().fields)
