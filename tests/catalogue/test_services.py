import pytest
from django.core.exceptions import ValidationError

from cases.catalogue.services import case_create, case_update, factor_assess, source_add, tool_add, tool_classify
from cases.models import CaseSecondaryTheme, ModerationEvent
from cases.moderation.services import case_publish, case_reject, case_request_changes
from cases.moderation.workflow import case_submit
from cases.vocabularies import CaseStatus, Disclosure, Theme
from tests.factories import CaseFactory, CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_case_create_snapshots_reference_populations():
    commune = CommuneFactory(population=172_565, population_year=2023, epci__population=401_000)
    case = case_create(title="Budget participatif", territory=commune)
    assert (case.population_city, case.population_epci, case.population_year) == (172_565, 401_000, 2023)
    assert case.status == CaseStatus.DRAFT
    assert case.moderation_events.get().to_status == CaseStatus.DRAFT


def test_given_populations_are_kept_over_the_snapshot():
    commune = CommuneFactory(population=172_565)
    case = case_create(title="X", territory=commune, population_city=170_000)
    assert case.population_city == 170_000


def test_slug_of_a_pseudonymised_case_never_carries_its_title():
    case = case_create(
        title="Saint-Étienne mobilités", disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité Z"
    )
    assert case.slug.startswith("brouillon-")  # opaque until published
    case_submit(case=case)
    case_publish(case=case)
    assert case.slug == "collectivite-z"
    case_update(case=case, disclosure=Disclosure.NAMED)
    assert case.slug == "saint-etienne-mobilites"


def test_a_draft_slug_reveals_nothing_about_other_drafts():
    case_create(title="Projet secret de la ville")
    mine = case_create(title="Projet secret de la ville")
    assert "projet" not in mine.slug


def test_slugs_are_unique():
    first = case_create(title="Même titre")
    second = case_create(title="Même titre")
    assert first.slug != second.slug


def test_case_create_validates_before_saving():
    with pytest.raises(ValidationError) as error:
        case_create(title="X", launch_year=2020, horizon_year=2000)
    assert "__all__" in error.value.message_dict or "horizon_year" in error.value.message_dict


def test_secondary_themes_are_set_and_replaced():
    case = case_create(title="X", secondary_themes=[Theme.MOBILITY, Theme.HEALTH])
    assert sorted(case.secondary_themes) == [Theme.HEALTH, Theme.MOBILITY]
    case_update(case=case, secondary_themes=[Theme.HEALTH, Theme.ECONOMY])
    assert sorted(CaseSecondaryTheme.objects.filter(case=case).values_list("theme", flat=True)) == [
        Theme.ECONOMY, Theme.HEALTH,
    ]


def test_workflow_submit_then_publish_records_each_transition():
    official, moderator = UserFactory(), UserFactory(moderator=True)
    case = case_create(title="X", actor=official)
    case_submit(case=case, actor=official)
    case_publish(case=case, actor=moderator, comment="OK")
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert case.submitted_by == official
    transitions = list(ModerationEvent.objects.filter(case=case).values_list("from_status", "to_status"))
    assert transitions == [("", "draft"), ("draft", "submitted"), ("submitted", "published")]


def test_invalid_transition_is_refused_and_writes_nothing():
    case = CaseFactory(draft=True)
    with pytest.raises(ValidationError):
        case_publish(case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert not case.moderation_events.exists()


def test_second_moderator_acting_on_a_stale_object_is_refused():
    case = CaseFactory(submitted=True)
    stale = type(case).objects.get(pk=case.pk)
    case_publish(case=case)
    with pytest.raises(ValidationError):
        case_reject(case=stale, comment="Trop tard")
    assert case.moderation_events.count() == 1


@pytest.mark.parametrize("action", [case_reject, case_request_changes])
def test_reject_and_request_changes_need_a_comment(action):
    case = CaseFactory(submitted=True)
    with pytest.raises(ValidationError):
        action(case=case, comment="  ")


def test_child_source_must_belong_to_the_same_case():
    case, other = CaseFactory(), CaseFactory()
    source = source_add(case=other, kind="press", citation="Article")
    with pytest.raises(ValidationError):
        tool_add(case=case, name="T", tool_type="maas", coproduction_mode="consumer",
                          classification_rationale="r", source=source)


def test_tool_classify_requires_a_rationale():
    case = CaseFactory()
    tool = tool_add(case=case, name="T", tool_type="maas", coproduction_mode="consumer",
                             classification_rationale="Usage interactif")
    with pytest.raises(ValidationError):
        tool_classify(tool=tool, coproduction_mode="participative", classification_rationale="")
    tool_classify(tool=tool, coproduction_mode="participative", classification_rationale="Co-conçu")
    tool.refresh_from_db()
    assert tool.coproduction_mode == "participative"


def test_factor_assess_revises_in_place():
    case = CaseFactory()
    factor_assess(case=case, factor="resources", assessment="partial")
    factor_assess(case=case, factor="resources", assessment="present", note="Équipe renforcée")
    assert case.factors.get().assessment == "present"
