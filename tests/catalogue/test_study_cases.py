"""The source study's cases: every figure of its table, its tools, its difficulties; idempotent loading."""

import pytest
from django.core.management import call_command

from cases.models import Case, DigitalTool, FactorAssessment, ModerationEvent, Source

pytestmark = pytest.mark.django_db

# The study's table "Principales caractéristiques", as published.
STUDY_TABLE = {
    "collectivite-a": {"population_city": 152_960, "population_epci": 296_390, "carrier": "commune_and_epci",
                           "launch_year": 2017, "horizon_year": 2032, "dominant_theme": "ecological_transition",
                           "management_mode": "global_performance_contract", "seasonal_population_peak": None},
    "collectivite-b": {"population_city": 109_443, "population_epci": 273_564, "carrier": "commune",
                           "launch_year": 2014, "horizon_year": 2026, "dominant_theme": "fifteen_minute_city",
                           "management_mode": "direct_with_contractors", "seasonal_population_peak": None},
    "collectivite-c": {"population_city": 25_532, "population_epci": 312_278, "carrier": "commune",
                           "launch_year": 2020, "horizon_year": 2026, "dominant_theme": "proximity",
                           "management_mode": "direct_with_contractors", "seasonal_population_peak": 110_000},
}
CONSUMER_TYPES = {"civic_app", "e_service", "participatory_budget", "maas", "smart_parking"}
PARTICIPATIVE_TYPES = {"ideation", "open_data_portal", "open_innovation", "digital_twin"}


def _snapshot():
    return {
        "cases": list(Case.objects.order_by("pk").values()),
        "tools": list(DigitalTool.objects.order_by("pk").values()),
        "factors": list(FactorAssessment.objects.order_by("pk").values()),
        "sources": list(Source.objects.order_by("pk").values()),
        "history": Case.history.count() + DigitalTool.history.count() + FactorAssessment.history.count(),
        "moderation": ModerationEvent.objects.count(),
    }


def test_loader_is_idempotent(study_cases):
    before = _snapshot()
    call_command("load_study_cases", verbosity=0)
    assert _snapshot() == before


@pytest.mark.parametrize(("slug", "expected"), STUDY_TABLE.items())
def test_each_figure_of_the_study_table(study_cases, slug, expected):
    case = Case.objects.get(slug=slug)
    assert {field: getattr(case, field) for field in expected} == expected
    assert case.is_pseudonymised and case.pseudonym == case.title
    assert case.territory is None, "the study does not say which collectivity it is"
    assert case.population_year is None, "the study gives no census year"
    assert case.population_disclosure == "exact", "the study published these figures"
    assert (case.observation_start_year, case.observation_end_year) == (2021, 2022)
    assert sorted(case.collection_methods) == [
        "participant_observation", "secondary_sources", "semi_structured_interviews",
    ]
    assert case.status == "published"


@pytest.mark.parametrize("slug", STUDY_TABLE)
def test_tools_are_active_and_participative_none_enhanced(study_cases, slug):
    tools = DigitalTool.objects.filter(case__slug=slug)
    by_mode = {mode: {t.tool_type for t in tools if t.coproduction_mode == mode}
               for mode in ("consumer", "participative", "enhanced")}
    assert by_mode == {"consumer": CONSUMER_TYPES, "participative": PARTICIPATIVE_TYPES, "enhanced": set()}
    assert all(t.classification_rationale and t.source for t in tools)


@pytest.mark.parametrize("slug", STUDY_TABLE)
def test_three_implementation_difficulties_and_no_invented_factor(study_cases, slug):
    factors = FactorAssessment.objects.filter(case__slug=slug)
    assert {(f.factor, f.assessment) for f in factors} == {
        ("project_phasing", "present"), ("resources", "present"), ("network_governance", "present"),
    }


def test_the_two_covid_initiatives_are_citizen_led_and_enhanced(study_cases):
    covid = Case.objects.filter(scope="national").prefetch_related("tools")
    assert covid.count() == 2
    for case in covid:
        assert case.carrier == "citizens" and case.management_mode == "citizen_led"
        assert case.territory is None and case.disclosure == "named"
        assert [t.coproduction_mode for t in case.tools.all()] == ["enhanced"]
        assert case.launch_year is None, "the study gives no launch date"


def test_every_study_case_cites_the_study(study_cases):
    assert Case.objects.count() == 5
    for case in Case.objects.prefetch_related("sources"):
        assert [s.kind for s in case.sources.all()] == ["academic_publication"]


def test_loader_repairs_an_edited_figure(study_cases):
    Case.objects.filter(slug="collectivite-b").update(population_city=1)
    call_command("load_study_cases", verbosity=0)
    assert Case.objects.get(slug="collectivite-b").population_city == 109_443
