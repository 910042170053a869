"""The shared FilterSet and the facet counts, through the selectors every page and the API use."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.catalogue import selectors
from cases.catalogue.services import case_reindex
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    DepartementFactory,
    DigitalToolFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def titles(params):
    filters = QueryDict(params) if isinstance(params, str) else params
    return sorted(c.title for c in selectors.case_list(filters=filters))


@pytest.fixture
def occitanie():
    region = RegionFactory(code="76", name="Occitanie")
    herault = DepartementFactory(code="34", name="Hérault", region=region)
    return CommuneFactory(code="34172", name="Montpellier", departement=herault, region=region,
                          epci__departement=herault, epci__region=region)


def test_full_text_is_accent_and_case_insensitive_and_prefix_tolerant():
    case = CaseFactory(title="Budget participatif écologique", summary="Les habitants votent.")
    DigitalToolFactory(case=case, name="Plateforme Décidim", software="Decidim")
    case_reindex(case=case)
    CaseFactory(title="Autre chose")
    for query in ["ecologique", "ÉCOLOGIQUE", "budg partic", "decidim", "HABITANTS vot"]:
        assert titles(QueryDict(mutable=True) | {"q": query}) == ["Budget participatif écologique"], query
    assert titles("q=inexistant") == []


def test_pseudonymised_case_is_not_found_by_its_real_title():
    CaseFactory(pseudonymised=True, pseudonym="Collectivité Z", title="Montpellier Smart City")
    assert titles("q=montpellier") == []
    assert titles("q=collectivite z") == ["Montpellier Smart City"]  # found by its pseudonym


def test_mode_tool_and_theme_filters():
    a = CaseFactory(title="A", dominant_theme="mobility", tools=1)  # consumer
    CaseFactory(title="B", dominant_theme="health", tools=2)  # consumer + participative
    DigitalToolFactory(case=a, tool_type="maas", coproduction_mode="consumer")
    assert titles("mode=participative") == ["B"]
    assert titles("mode=consumer") == ["A", "B"]
    assert titles("dominant_theme=mobility&dominant_theme=health") == ["A", "B"]
    assert titles("tool_type=maas") == ["A"]
    assert titles("mode=participative&dominant_theme=mobility") == []


def test_region_and_departement(occitanie):
    CaseFactory(title="Nommé", territory=occitanie)
    CaseFactory(title="Pseudo", territory=occitanie, pseudonymised=True)
    CaseFactory(title="Ailleurs")
    assert titles("region=76") == ["Nommé", "Pseudo"]
    assert titles("departement=34") == ["Nommé"], "a pseudonymised case is never located by département"


def test_population_bands_and_year_ranges():
    CaseFactory(title="Petite", population_city=8_000, launch_year=2015, horizon_year=2020)
    CaseFactory(title="Grande", population_city=300_000, launch_year=2021, horizon_year=2030)
    assert titles("population_city_band=2k_10k") == ["Petite"]
    assert titles("population_city_band=2k_10k&population_city_band=200k_500k") == ["Grande", "Petite"]
    assert titles("launch_year_min=2016") == ["Grande"]
    assert titles("horizon_year_max=2025") == ["Petite"]


def test_invalid_values_are_reported_not_crashing():
    filterset = selectors.case_filterset(filters=QueryDict("mode=bogus&launch_year_min=abc"))
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"mode", "launch_year_min"}


def test_facets_count_disjunctively():
    CaseFactory(title="A", dominant_theme="mobility")
    CaseFactory(title="B", dominant_theme="health")
    facets = {f.name: f for f in selectors.case_facets(filters=QueryDict("dominant_theme=mobility"))}
    theme = {o.value: (o.count, o.selected) for o in facets["dominant_theme"].options}
    assert theme == {"mobility": (1, True), "health": (1, False)}


def test_facet_query_count_is_constant(occitanie):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.case_facets(filters=QueryDict("mode=consumer"))
        return len(ctx)

    CaseFactory(tools=2, territory=occitanie)
    few = count()
    for _ in range(10):
        CaseFactory(tools=3, secondary_themes=["health", "economy"])
    assert count() == few
