"""Public pages through the HTTP client: content, pseudonymisation and constant query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.vocabularies import CoproductionMode
from tests.factories import (
    CaseFactory,
    CommuneFactory,
    EventFactory,
    FactorAssessmentFactory,
    SourceFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_home_lists_published_cases_only(client):
    CaseFactory(title="Publié")
    CaseFactory(title="Brouillon", draft=True)
    CaseFactory(title="Soumis", submitted=True)
    page = text_of(client.get("/"))
    assert "Publié" in page
    assert "Brouillon" not in page and "Soumis" not in page


def test_study_profile_shows_the_study_table(client, study_cases):
    response = client.get(reverse("cases:case_detail", args=["collectivite-a"]))
    assert response.status_code == 200
    page = text_of(response).replace("\u202f", " ").replace("\xa0", " ")
    # Exact study figures are never public (issue 10): the bands, and why.
    assert "152 960" not in page and "296 390" not in page
    assert "au moins 22 collectivités réelles correspondent" in page
    assert "Sa source a publié ses chiffres exacts" in page
    for expected in ["100 000 à 199 999 habitants", "200 000 à 499 999 habitants", "Ville + EPCI", "2017", "2032",
                     "Transition écologique",
                     "Marché global de performance", "Co-production active", "Co-production participative",
                     "Co-production renforcée", "Budgets participatifs", "Maquettes 3D / jumeaux numériques",
                     "Phasage du projet", "Gouvernance en réseau", "Entretiens semi-directifs"]:
        assert expected in page, expected


def test_profile_groups_tools_by_mode(client, study_cases):
    html = client.get("/cas/collectivite-b/").content.decode()
    consumer = html.split('id="mode-consumer"')[1].split('id="mode-participative"')[0]
    participative = html.split('id="mode-participative"')[1].split('id="mode-enhanced"')[0]
    assert "E-services" in consumer and "E-services" not in participative
    assert "Plateformes d’idéation" in participative


def test_seasonal_peak_of_case_c(client, study_cases):
    page = text_of(client.get("/cas/collectivite-c/")).replace("\u202f", " ").replace("\xa0", " ")
    # Neither the exact figure nor the seasonal peak — which would single a seaside resort out.
    assert "25 532" not in page and "110 000" not in page and "saisonnière" not in page
    assert "20 000 à 49 999 habitants" in page


def test_pseudonymised_case_shows_its_pseudonym_only(client):
    commune = CommuneFactory(name="Villeréelle-sur-Loire", code="42999", population=87_654)
    case = CaseFactory(pseudonymised=True, title="Le vrai nom", territory=commune, population_city=87_654)
    for url in ["/", case.get_absolute_url()]:
        page = text_of(client.get(url))
        assert case.pseudonym in page
        assert "Le vrai nom" not in page
        assert "Villeréelle" not in page and "42999" not in page
        assert "87 654" not in page.replace("\u202f", " ").replace("\xa0", " ")
    # Its (fictitious) région matches no real commune: the ladder widened the band and dropped the région.
    page = text_of(client.get(case.get_absolute_url()))
    assert "50 000 à 199 999 habitants" in page and "France métropolitaine" in page


def test_unpublished_profile_is_a_404_for_the_public(client):
    case = CaseFactory(draft=True)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get("/cas/does-not-exist/").status_code == 404


def test_summary_markdown_is_sanitised(client):
    case = CaseFactory(summary="**gras** <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<strong>gras</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html


def test_profile_shows_every_section(client):
    case = CaseFactory(tools=3)
    StakeholderFactory(case=case, name="Fab lab du quartier", helix="civil_society")
    FactorAssessmentFactory(case=case, factor="data_platform", assessment="partial", note="Hyperviseur")
    EventFactory(case=case, title="Premier vote")
    SourceFactory(case=case, citation="Entretien avec la DSI, 2023")
    page = text_of(client.get(case.get_absolute_url()))
    for expected in ["Fab lab du quartier", "Société civile", "Partiellement observé", "Hyperviseur",
                     "Premier vote", "Entretien avec la DSI, 2023", "Decidim"]:
        assert expected in page, expected


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _populate(n_cases, tools_per_case):
    cases = [CaseFactory(tools=tools_per_case) for _ in range(n_cases)]
    for case in cases:
        StakeholderFactory.create_batch(2, case=case)
        FactorAssessmentFactory(case=case)
        EventFactory.create_batch(2, case=case)
        SourceFactory.create_batch(2, case=case)
    return cases


def test_home_query_count_is_constant(client):
    _populate(2, 2)
    few = _queries(client, "/")
    _populate(8, 5)
    assert _queries(client, "/") == few


def test_profile_query_count_is_constant(client):
    small = CaseFactory(tools=1)
    big = CaseFactory(tools=12)
    for _ in range(6):
        StakeholderFactory(case=big)
        EventFactory(case=big)
        SourceFactory(case=big)
    for factor in ["resources", "project_phasing", "network_governance", "easy_access"]:
        FactorAssessmentFactory(case=big, factor=factor)
    assert _queries(client, big.get_absolute_url()) == _queries(client, small.get_absolute_url())


def test_language_switch_serves_english(client, study_cases):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/cas/collectivite-a/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_highest_mode_badge_on_cards(client):
    CaseFactory(tools=3)  # consumer, participative, enhanced
    assert f"mode-badge mode-{CoproductionMode.ENHANCED}" in client.get("/").content.decode()
