"""Provenance rules, blind double coding, reconciliation and Krippendorff's alpha."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from cases.catalogue import selectors
from cases.catalogue.services import case_child_save, case_update, tool_classify
from cases.contributions.services import case_apply_content, contribution_start
from cases.models import CaseFieldProvenance, Coding, DigitalTool, Reconciliation, StudyFinding
from cases.permissions import abilities
from cases.research import agreement, services
from tests.factories import CaseFactory, DigitalToolFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Krippendorff's alpha on hand-computed examples ---------------------------------------------

def test_nominal_alpha_matches_the_hand_computation():
    """Two coders, four factor items: (P,P) (P,A) (A,A) (A,A).

    Coincidences: o_PP = 2, o_PA = o_AP = 1, o_AA = 4; n_P = 3, n_A = 5, n = 8.
    D_o = 2/8; D_e = 2·3·5 / (8·7) = 30/56; alpha = 1 − (2/8)/(30/56) = 1 − 14/30 = 8/15.
    """
    rows = [["present", "present", "absent", "absent"], ["present", "absent", "absent", "absent"]]
    assert agreement.alpha(rows, "factor") == pytest.approx(8 / 15)


def test_ordinal_alpha_of_the_continuum_matches_the_hand_computation():
    """(1,1) (2,2) (3,3) (1,2) with 1 = active, 2 = participative, 3 = enhanced.

    n_1 = 3, n_2 = 3, n_3 = 2, n = 8. Ordinal δ²: (1,2) = (6 − 3)² = 9; (1,3) = (8 − 2.5)² = 30.25;
    (2,3) = (5 − 2.5)² = 6.25. D_o = 2·9/8 = 2.25; D_e = 2(9·9 + 6·30.25 + 6·6.25)/56 = 600/56;
    alpha = 1 − 2.25·56/600 = 0.79.
    """
    rows = [["consumer", "participative", "enhanced", "consumer"],
            ["consumer", "participative", "enhanced", "participative"]]
    assert agreement.alpha(rows, "continuum") == pytest.approx(0.79)


def test_alpha_is_undefined_with_fewer_than_two_double_coded_items():
    report = agreement.agreement("continuum", [("tool:1", 1, "consumer"), ("tool:1", 2, "enhanced")])
    assert report.alpha is None and report.items == 1 and report.reading == "undefined"


# --- provenance ---------------------------------------------------------------------------------

def test_a_contribution_is_self_declared_and_a_moderators_change_is_the_editors(official, moderator):
    case = contribution_start(actor=official, title="Mon initiative", territory=None)
    case_apply_content(case=case, actor=moderator, content={
        "case": {"title": "Mon initiative", "launch_year": 2020},
        "tools": [{"name": "Budget", "tool_type": "participatory_budget", "coproduction_mode": "consumer",
                   "classification_rationale": "Vote en ligne."}],
    })
    tool = DigitalTool.objects.get(case=case)
    assert tool.provenance == "self_declared", "published by a moderator, asserted by the official"
    assert CaseFieldProvenance.objects.get(case=case, field="launch_year").provenance == "self_declared"
    tool_classify(tool=tool, coproduction_mode="participative", classification_rationale="Relu.", actor=moderator)
    tool.refresh_from_db()
    assert (tool.provenance, tool.provenance_study, tool.validated_at) == ("editors", None, None)
    case_update(case=case, actor=moderator, horizon_year=2030)
    assert CaseFieldProvenance.objects.get(case=case, field="horizon_year").provenance == "editors"


def test_an_unchanged_row_keeps_its_provenance(moderator):
    tool = DigitalToolFactory(provenance="self_declared")
    case_child_save(instance=tool, actor=moderator)
    tool.refresh_from_db()
    assert tool.provenance == "self_declared"


def test_a_value_credited_to_the_study_names_the_study():
    tool = DigitalToolFactory.build(case=CaseFactory(), provenance="study")
    with pytest.raises(ValidationError):
        tool.full_clean()


def test_provenance_filter_in_the_shared_filterset(study_cases):
    tool = DigitalToolFactory(case=CaseFactory(status="published"), provenance="editors")
    found = {c.slug for c in selectors.case_list(filters=QueryDict("provenance=editors"))}
    assert found == {tool.case.slug}
    assert len(selectors.case_list(filters=QueryDict("provenance=study"))) == 5


def test_profile_badge_states_the_provenance(client):
    tool = DigitalToolFactory(case=CaseFactory(status="published"), provenance="editors")
    html = client.get(tool.case.get_absolute_url()).content.decode()
    assert 'data-provenance="editors"' in html and "Éditeurs de l" in html


# --- blind coding and reconciliation -------------------------------------------------------------

def test_only_moderators_may_code_and_reconcile(client, official):
    assert abilities(official)["code"] is False and abilities(official)["reconcile"] is False
    client.force_login(official)
    assert client.get("/moderation/codage/").status_code == 403
    assert client.get("/moderation/reconciliation/").status_code == 403


def test_coding_is_blind(client, study_cases, moderator):
    other = UserFactory(moderator=True)
    finding = StudyFinding.objects.get(key="outil-solutions-maas")
    item = f"finding:{finding.pk}"
    services.coding_record(coder=other, vocabulary="continuum", item=item, value="enhanced",
                           rationale="SECRET-RATIONALE")
    client.force_login(moderator)
    html = client.get("/moderation/codage/?vocabulaire=continuum").content.decode()
    assert finding.label in html and "SECRET-RATIONALE" not in html
    response = client.post("/moderation/codage/", {"vocabulaire": "continuum", "item": item, "value": "consumer"})
    assert response.status_code == 302
    assert Coding.objects.get(coder=moderator, item=item).value == "consumer"


def test_unknown_items_and_values_are_refused(study_cases, moderator):
    with pytest.raises(ValidationError):
        services.coding_record(coder=moderator, vocabulary="continuum", item="finding:999999", value="consumer")
    finding = StudyFinding.objects.filter(kind="tool").first()
    with pytest.raises(ValidationError):
        services.coding_record(coder=moderator, vocabulary="continuum", item=f"finding:{finding.pk}", value="x")


def test_disagreement_is_reconciled_with_who_and_why(client, moderator):
    other = UserFactory(moderator=True)
    tool = DigitalToolFactory(case=CaseFactory(status="published"), coproduction_mode="consumer")
    item = f"tool:{tool.pk}"
    services.coding_record(coder=moderator, vocabulary="continuum", item=item, value="consumer")
    services.coding_record(coder=other, vocabulary="continuum", item=item, value="participative")
    client.force_login(moderator)
    assert item in client.get("/moderation/reconciliation/").content.decode()
    client.post("/moderation/reconciliation/", {"vocabulary": "continuum", "item": item, "value": "participative",
                                                "reason": "Les usagers conçoivent l'offre."})
    decision = Reconciliation.objects.get(item=item)
    assert (decision.value, decision.decided_by, decision.reason) == (
        "participative", moderator, "Les usagers conçoivent l'offre.")
    tool.refresh_from_db()
    assert (tool.coproduction_mode, tool.provenance, tool.validated_by) == ("participative", "editors", moderator)
    assert tool.validated_at is not None


def test_alpha_is_published_on_the_methodology_page_from_real_codings(client, study_cases):
    """A fixture of double codings of the study's joint tools: 9 items, 2 coders, 1 disagreement."""
    first, second = UserFactory(moderator=True), UserFactory(moderator=True)
    for finding in StudyFinding.objects.filter(kind="tool"):
        item = f"finding:{finding.pk}"
        services.coding_record(coder=first, vocabulary="continuum", item=item, value=finding.coproduction_mode)
        value = "enhanced" if finding.key == "outil-open-data" else finding.coproduction_mode
        services.coding_record(coder=second, vocabulary="continuum", item=item, value=value)
    report = agreement.agreement("continuum")
    assert (report.items, report.coders, report.level) == (9, 2, "ordinal")
    assert 0 < report.alpha < 1
    html = client.get("/methodologie/").content.decode()
    assert f"{report.alpha:.3f}".replace(".", ",") in html or f"{report.alpha:.3f}" in html
    assert 'data-vocabulary="continuum"' in html


def test_admin_action_validates_every_coded_value_of_a_case(client, study_cases, superuser):
    from cases.models import Case

    case = Case.objects.get(slug="collectivite-a")
    client.force_login(superuser)
    client.post("/admin/cases/case/", {"action": "validate_selected", "_selected_action": [case.pk]})
    rows = CaseFieldProvenance.objects.filter(case=case)
    assert rows.exists() and all(r.validated_by == superuser and r.validated_at for r in rows)
    assert all(r.provenance == "study" for r in rows), "validating keeps who asserted it"


def test_reference_populations_snapshotted_on_a_new_case_are_the_editors(official):
    from tests.factories import CommuneFactory

    commune = CommuneFactory(population=12_345)
    case = contribution_start(actor=official, title="Initiative", territory=commune)
    assert CaseFieldProvenance.objects.get(case=case, field="population_city").provenance == "editors"
    assert CaseFieldProvenance.objects.get(case=case, field="territory").provenance == "self_declared"
