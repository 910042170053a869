"""The study's data held to the deck (shared/seed/): every figure, every joint finding, nothing more.

DECK is the deck's own text for each value; the tests fail if the data says anything else, or fills a
field of a study case that the deck does not give.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.models import (
    Case,
    CaseFieldProvenance,
    DigitalTool,
    FactorAssessment,
    ModerationEvent,
    Source,
    Stakeholder,
    Study,
    StudyFinding,
)

pytestmark = pytest.mark.django_db

DECK = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_e0b09f90619efbf6.txt"

# The table "Principales caractéristiques" (diap. 8), as published.
STUDY_TABLE = {
    "collectivite-a": {"population_city": 152_960, "population_epci": 296_390, "carrier": "commune_and_epci",
                       "launch_year": 2017, "horizon_year": 2032, "dominant_theme": "ecological_transition",
                       "management_mode": "global_performance_contract",
                       "observation_start_year": 2021, "observation_end_year": 2022},
    "collectivite-b": {"population_city": 109_443, "population_epci": 273_564, "carrier": "commune",
                       "launch_year": 2014, "horizon_year": 2026, "dominant_theme": "fifteen_minute_city",
                       "management_mode": "direct_with_contractors",
                       "observation_start_year": 2021, "observation_end_year": 2022},
    "collectivite-c": {"population_city": 25_532, "seasonal_population_peak": 110_000, "population_epci": 312_278,
                       "carrier": "commune", "launch_year": 2020, "horizon_year": 2026, "dominant_theme": "proximity",
                       "management_mode": "direct_with_contractors",
                       "observation_start_year": 2021, "observation_end_year": 2022},
}
# The deck's wording of each figure, as it stands in the extract (spaces as thousands separators).
DECK_TEXT = ["A 152 960 296 390", "B 109 443 273 564 Ville 2014 2026", "C 25 532",
             "110 000 (été) 312 278 Ville 2020 2026",
             "Transition", "Marché", "global de", "performance", "Ville du ¼", "Proximité", "Gestion", "recours ciblé",
             "(INSEE)", "Trois études de cas longitudinales (2021-2022)"]
CHARACTERISTICS = ("scope", "territory", "population_city", "population_epci", "population_year",
                   "seasonal_population_peak", "launch_year", "launch_date", "horizon_year", "dominant_theme",
                   "management_mode", "carrier", "observation_start_year", "observation_end_year", "website")
JOINT_TOOLS = {
    "consumer": {"Plateformes et applications interactives", "E-services", "Budgets participatifs",
                 "Solutions MaaS (Mobility as a Service)", "Assistance au stationnement"},
    "participative": {"Plateformes d’idéation", "Open data", "Innovation ouverte", "Maquettes 3D / jumeaux numériques"},
}
DIFFICULTIES = {"project_phasing": "Phasage du projet", "resources": "Ressources disponibles",
                "network_governance": "Gouvernance en réseau"}
COVID = ["initiative-citoyenne-de-la-crise-covid-19-1-sur-2", "initiative-citoyenne-de-la-crise-covid-19-2-sur-2"]


def _flat(text):
    # The extract breaks "co-construction" across lines; hyphens are rejoined.
    return re.sub(r"-\s+", "-", " ".join(text.replace("’", "'").split()))


@pytest.fixture(scope="module")
def deck():
    if not DECK.exists():
        pytest.skip("the deck is not beside the project")
    return _flat(DECK.read_text(encoding="utf-8"))


def test_the_deck_says_what_this_file_asserts(deck):
    for text in DECK_TEXT:
        assert _flat(text) in deck, text


def test_every_quote_of_a_finding_is_the_decks_text(study_cases, deck):
    lowered = deck.lower()
    for finding in StudyFinding.objects.all():
        for part in re.split(r"[—:;()]", finding.quote):
            part = _flat(part).strip(" .").lower()
            assert not part or part in lowered, (finding.key, part)
        assert _flat(finding.label).lower().removesuffix(" (mobility as a service)") in lowered, finding.label


@pytest.mark.parametrize(("slug", "expected"), STUDY_TABLE.items())
def test_each_figure_and_nothing_else(study_cases, slug, expected):
    case = Case.objects.get(slug=slug)
    for field in CHARACTERISTICS:
        if field in expected:
            assert getattr(case, field) == expected[field], field
        else:
            assert getattr(case, field) in ("", None), f"{slug}.{field} is filled but the deck does not give it"
    assert case.is_pseudonymised and case.pseudonym == case.title
    assert case.secondary_themes == []
    assert sorted(case.collection_methods) == ["participant_observation", "secondary_sources",
                                               "semi_structured_interviews"]
    provenance = {p.field: p for p in CaseFieldProvenance.objects.filter(case=case)}
    assert set(provenance) == set(expected), "every given field is credited to the study, and only those"
    assert {(p.provenance, p.provenance_reference) for p in provenance.values()} == {
        ("study", "diap. 8, tableau « Principales caractéristiques »")}


def test_study_cases_have_no_tool_factor_or_stakeholder_of_their_own(study_cases):
    slugs = [*STUDY_TABLE, *COVID]
    assert not DigitalTool.objects.filter(case__slug__in=slugs).exists()
    assert not FactorAssessment.objects.filter(case__slug__in=slugs).exists()
    assert not Stakeholder.objects.filter(case__slug__in=slugs).exists()


def test_the_joint_tool_list_is_recorded_once_for_a_b_and_c(study_cases):
    tools = StudyFinding.objects.filter(kind="tool").prefetch_related("cases")
    assert {mode: {t.label for t in tools if t.coproduction_mode == mode} for mode in JOINT_TOOLS} == JOINT_TOOLS
    assert tools.count() == 9 and not tools.filter(coproduction_mode="enhanced").exists()
    for tool in tools:
        assert sorted(c.slug for c in tool.cases.all()) == list(STUDY_TABLE)
        assert tool.reference == "diap. 9" and "etc." in tool.quote


def test_the_three_difficulties_are_the_studys_not_each_cases(study_cases):
    difficulties = StudyFinding.objects.filter(kind="difficulty").prefetch_related("cases")
    assert {d.factor: d.label for d in difficulties} == DIFFICULTIES
    for difficulty in difficulties:
        assert sorted(c.slug for c in difficulty.cases.all()) == list(STUDY_TABLE)
        assert difficulty.reference == "diap. 10"


def test_the_covid_initiatives_are_only_what_the_deck_says(study_cases):
    for slug in COVID:
        case = Case.objects.get(slug=slug)
        filled = {f: getattr(case, f) for f in CHARACTERISTICS if getattr(case, f) not in ("", None)}
        assert filled == {"carrier": "citizens"}, "no name, type, mode, scope or theme of their own"
        assert case.is_pseudonymised, "the deck does not name them"
        assert not case.tools.exists()
        mentioned = "deux initiatives citoyennes particulièrement médiatisées pendant la crise covid 19"
        assert mentioned in case.summary.lower()
    mention = StudyFinding.objects.get(key="deux-initiatives-citoyennes-covid-19")
    assert sorted(c.slug for c in mention.cases.all()) == COVID and mention.reference == "diap. 2"


def test_the_study_gives_no_authors_or_year(study_cases):
    study = Study.objects.get()
    assert (study.authors, study.year) == ("", None)
    assert (study.observation_start_year, study.observation_end_year) == (2021, 2022)
    assert sorted(study.cases.values_list("slug", flat=True)) == sorted([*STUDY_TABLE, *COVID])
    for case in study.cases.all():
        assert [s.citation for s in Source.objects.filter(case=case)] == [study.citation]


def _snapshot():
    return {
        "cases": list(Case.objects.order_by("pk").values()),
        "findings": list(StudyFinding.objects.order_by("pk").values()),
        "provenance": list(CaseFieldProvenance.objects.order_by("pk").values()),
        "sources": list(Source.objects.order_by("pk").values()),
        "history": Case.history.count() + DigitalTool.history.count() + FactorAssessment.history.count(),
        "moderation": ModerationEvent.objects.count(),
    }


def test_loader_is_idempotent(study_cases):
    before = _snapshot()
    call_command("load_study_cases", verbosity=0)
    assert _snapshot() == before


def test_loader_repairs_an_edited_figure(study_cases):
    Case.objects.filter(slug="collectivite-b").update(population_city=1)
    call_command("load_study_cases", verbosity=0)
    assert Case.objects.get(slug="collectivite-b").population_city == 109_443


def test_loader_retires_what_an_earlier_version_made_up(db):
    """The earlier data: named Covid cases with a theme and an enhanced tool, tools copied onto A."""
    from cases.catalogue.services import case_create, source_add, tool_add

    old = json.loads(Path(settings.STUDY_CASES_FILE).read_text(encoding="utf-8"))["retired_source_citations"][0]
    covid = case_create(title="Suivi citoyen des données de l’épidémie de Covid-19", status="published",
                        slug="suivi-citoyen-des-donnees-covid-19", scope="national", dominant_theme="health",
                        management_mode="citizen_led", carrier="citizens")
    a = case_create(title="Collectivité A", status="published", slug="collectivite-a", disclosure="pseudonymised",
                    pseudonym="Collectivité A")
    for case in (covid, a):
        source = source_add(case=case, kind="academic_publication", citation=old)
        tool_add(case=case, name="Outil", tool_type="civic_app", coproduction_mode="enhanced",
                 classification_rationale="étude source", source=source)
    call_command("load_study_cases", verbosity=0)
    covid.refresh_from_db()
    assert covid.slug == COVID[0] and (covid.scope, covid.dominant_theme, covid.management_mode) == ("", "", "")
    assert not DigitalTool.objects.exists()
    assert not Source.objects.filter(citation=old).exists()
    assert Case.objects.count() == 5


def test_an_editors_coding_survives_the_loader_and_is_not_the_studys(study_cases, moderator):
    from cases.catalogue.services import case_update

    case = Case.objects.get(slug=COVID[0])
    case_update(case=case, actor=moderator, dominant_theme="health")
    call_command("load_study_cases", verbosity=0)
    case.refresh_from_db()
    assert case.dominant_theme == "health"
    assert CaseFieldProvenance.objects.get(case=case, field="dominant_theme").provenance == "editors"
