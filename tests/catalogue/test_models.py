"""Database constraints hold on SQLite and PostgreSQL alike (CI runs this file on both)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import Case, ModerationEvent, Territory
from cases.vocabularies import CoproductionMode, Disclosure, population_band
from tests.factories import CaseFactory, CommuneFactory, DigitalToolFactory

pytestmark = pytest.mark.django_db


def _violates(**changes):
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**changes)


def test_horizon_cannot_precede_launch():
    _violates(launch_year=2020, horizon_year=2019)


def test_horizon_equal_to_launch_is_allowed():
    case = CaseFactory(launch_year=2020, horizon_year=2020)
    assert case.horizon_year == 2020


def test_populations_cannot_be_negative():
    _violates(population_city=-1)


def test_observation_end_cannot_precede_start():
    _violates(observation_start_year=2022, observation_end_year=2021)


def test_pseudonymised_case_needs_a_pseudonym():
    _violates(disclosure=Disclosure.PSEUDONYMISED, pseudonym="")


def test_unknown_status_is_refused_by_the_database():
    _violates(status="lost")


def test_territory_is_unique_per_kind_and_code():
    commune = CommuneFactory(code="2A004")
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(kind=commune.kind, code="2A004", name="Doublon")
    # The same code under another kind is another territory.
    Territory.objects.create(kind="departement", code="2A004", name="Pas un doublon")


def test_codes_are_text_and_keep_their_leading_zeros():
    commune = CommuneFactory(code="01001")
    commune.refresh_from_db()
    assert commune.code == "01001"
    assert Territory.objects.get(kind="commune", code="01001") == commune


def test_tool_needs_a_rationale():
    tool = DigitalToolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(tool).objects.filter(pk=tool.pk).update(classification_rationale="")


def test_full_clean_reports_the_constraint_message():
    case = CaseFactory.build(launch_year=2020, horizon_year=2010, territory=None, slug="x")
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "échéance" in str(error.value)


def test_moderation_events_are_append_only():
    case = CaseFactory()
    event = ModerationEvent.objects.create(case=case, to_status="published")
    event.comment = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_highest_mode_is_the_highest_on_the_continuum():
    case = CaseFactory()
    DigitalToolFactory(case=case, coproduction_mode=CoproductionMode.CONSUMER)
    assert case.highest_mode == CoproductionMode.CONSUMER
    DigitalToolFactory(case=case, coproduction_mode=CoproductionMode.ENHANCED)
    DigitalToolFactory(case=case, coproduction_mode=CoproductionMode.PARTICIPATIVE)
    assert Case.objects.get(pk=case.pk).highest_mode == CoproductionMode.ENHANCED


@pytest.mark.parametrize(
    ("population", "band"),
    [(None, None), (0, "lt_2k"), (1_999, "lt_2k"), (2_000, "2k_10k"), (152_960, "100k_200k"),
     (500_000, "500k_plus")],
)
def test_population_bands(population, band):
    result = population_band(population)
    assert (result[0] if result else None) == band


def test_history_is_kept_for_cases_and_children():
    case = CaseFactory(title="Avant")
    tool = DigitalToolFactory(case=case)
    case.title = "Après"
    case.save()
    tool.name = "Renommé"
    tool.save()
    assert [h.title for h in case.history.order_by("history_date")] == ["Avant", "Après"]
    assert tool.history.count() == 2
