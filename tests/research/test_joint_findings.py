"""Joint findings are kept joint: shown on each linked profile, counted once everywhere."""

import csv
import io

import pytest
from django.http import QueryDict

from cases.catalogue import selectors
from cases.catalogue.statistics import case_statistics
from tests.api.support import api_client, body, fresh_throttle  # noqa: F401

pytestmark = pytest.mark.django_db


def _tables(params=""):
    return {t.key: t for t in case_statistics(selectors.case_filterset(filters=QueryDict(params)).qs)}


def test_statistics_count_the_joint_tool_list_once(study_cases):
    tables = _tables()
    by_type = tables["tools_by_type"]
    assert sum(by_type.column_totals) == 9, "nine tools, not 27"
    assert by_type.cell("maas", "consumer") == 1
    assert by_type.cell("ideation", "participative") == 1
    theme = tables["modes_by_theme"]
    assert theme.cell("joint", "consumer") == 5 and theme.cell("joint", "participative") == 4
    assert theme.cell("proximity", "consumer") == 0
    assert sum(tables["modes_by_population_band"].column_totals) == 9
    assert selectors.public_figures()["tools"] == 9


def test_statistics_page_shows_one_count_per_joint_tool(client, study_cases):
    response = client.get("/statistiques/")
    assert response.status_code == 200
    assert "Rapportés conjointement pour plusieurs cas (étude)" in response.content.decode()


def test_each_linked_profile_says_jointly_for_a_b_and_c(client, study_cases):
    for slug in ("collectivite-a", "collectivite-b", "collectivite-c"):
        html = client.get(f"/cas/{slug}/").content.decode()
        assert ("Rapporté conjointement pour Collectivité A, Collectivité B et Collectivité C par l’étude source "
                "(diap. 9)") in html
        assert "(diap. 10)" in html
        assert html.count('data-finding-level="study"') == 9 + 3 + 1
        assert 'data-provenance="study"' in html


def test_mode_filter_finds_the_cases_the_study_reports_a_mode_for(study_cases):
    found = selectors.case_list(filters=QueryDict("mode=participative"))
    assert sorted(c.slug for c in found) == ["collectivite-a", "collectivite-b", "collectivite-c"]
    assert not selectors.case_list(filters=QueryDict("mode=enhanced")).exists()


def test_tools_csv_lists_each_joint_tool_once(api, study_cases):
    rows = list(csv.DictReader(io.StringIO(body(api.get("/api/v1/tools/?format=csv")).decode())))
    assert len(rows) == 9
    for row in rows:
        assert row["finding_level"] == "study" and row["provenance"] == "study"
        assert row["case_slug"] == "collectivite-a collectivite-b collectivite-c"
        assert row["provenance_reference"] == "diap. 9" and row["validated"] == "0"
    filtered = list(csv.DictReader(io.StringIO(body(api.get("/api/v1/tools/?format=csv&mode=consumer")).decode())))
    assert len(filtered) == 5


def test_case_api_gives_field_provenance_and_study_findings(api, study_cases):
    data = api.get("/api/v1/cases/collectivite-c/").json()
    provenance = {row["field"]: row for row in data["field_provenance"]}
    assert provenance["dominant_theme"]["provenance"] == "study"
    assert provenance["dominant_theme"]["provenance_reference"].startswith("diap. 8")
    assert provenance["dominant_theme"]["validated"] is False
    levels = {f["finding_level"] for f in data["study_findings"]}
    assert levels == {"study"} and len(data["study_findings"]) == 13
    tool = next(f for f in data["study_findings"] if f["key"] == "outil-solutions-maas")
    assert tool["cases"] == ["collectivite-a", "collectivite-b", "collectivite-c"]
    assert tool["coproduction_mode"] == "consumer"


def test_cases_csv_counts_findings_and_states_provenance(api, study_cases):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(body(api.get("/api/v1/cases/?format=csv")).decode()))}
    assert rows["collectivite-a"]["provenance"] == "study"
    assert rows["collectivite-a"]["finding_level"] == "case"
    assert rows["collectivite-a"]["study_finding_count"] == "13"
    assert rows["collectivite-a"]["tool_count"] == "0", "the joint tools are the study's, not A's"


def test_list_cards_count_the_joint_tools_apart(client, study_cases):
    html = client.get("/cas/").content.decode()
    assert "9 outils rapportés conjointement par l’étude" in html.replace("&#x27;", "’").replace("'", "’")
