"""The admin works for a researcher: every changelist with its filters and search, the case page
with its children inline, and a case created there goes through the services."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case, ModerationEvent
from tests.factories import CaseFactory, CommuneFactory, DigitalToolFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label == "cases"],
                         ids=lambda m: m.__name__)
def test_every_changelist_filters_and_searches(admin_client, model):
    tool = DigitalToolFactory()
    SourceFactory(case=tool.case)
    ModerationEvent.objects.create(case=tool.case, to_status="published")
    url = reverse(f"admin:cases_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Outil"}).status_code == 200
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter


def test_case_change_page_has_every_inline(admin_client, study_cases):
    case = Case.objects.get(slug="collectivite-a")
    html = admin_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    for prefix in ["tools", "stakeholders", "factors", "events", "sources"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    assert "Marché global de performance" in html  # vocabulary labels are readable


def _management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_admin_creates_a_case_with_a_tool_through_the_services(admin_client):
    commune = CommuneFactory(population=51_000, population_year=2023)
    data = {"title": "Jumeau numérique de quartier", "territory": commune.pk, "disclosure": "named",
            "population_disclosure": "band", "dominant_theme": "urban_planning",
            "secondary_themes": ["mobility", "health"], "launch_year": "2021", "horizon_year": "2027"}
    for prefix in ["tools", "stakeholders", "factors", "events", "sources", "moderation_events"]:
        data.update(_management(prefix, 1 if prefix == "tools" else 0))
    data.update({"tools-0-name": "Maquette 3D", "tools-0-tool_type": "digital_twin",
                 "tools-0-coproduction_mode": "participative", "tools-0-classification_rationale": "Concertation",
                 "tools-0-position": "0"})
    response = admin_client.post(reverse("admin:cases_case_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(title="Jumeau numérique de quartier")
    assert case.slug.startswith("brouillon-")  # a draft's slug is opaque; the public one comes at publication
    assert sorted(case.secondary_themes) == ["health", "mobility"]
    assert case.tools.get().name == "Maquette 3D"
    assert case.moderation_events.get().to_status == "draft"
    assert case.tools.get().history.count() == 1


def test_admin_shows_constraint_errors_instead_of_crashing(admin_client):
    case = CaseFactory()
    url = reverse("admin:cases_case_change", args=[case.pk])
    data = {"title": case.title, "disclosure": "pseudonymised", "pseudonym": "",
            "population_disclosure": "band", "launch_year": "2020", "horizon_year": "2010"}
    for prefix in ["tools", "stakeholders", "factors", "events", "sources", "moderation_events"]:
        data.update(_management(prefix))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "échéance" in response.content.decode()
