"""Every write that makes a pseudonymised case's content public passes the one disclosure gate.

Publication (case_publish) is covered in test_rule_and_gate; here: edits of a published case and of its
children, a case created published, a pseudonymisation, an approved update, the admin (case page, its
inlines, a child's own page, "revert to this version") and the study loader.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from cases.catalogue.history import CaseHistory
from cases.catalogue.services import (
    case_child_save,
    case_create,
    case_update,
    event_add,
    factor_assess,
    source_add,
    stakeholder_add,
    tool_add,
)
from cases.contributions.payload import case_payload, merged
from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.disclosure.gate import DisclosureRefused
from cases.disclosure.selectors import disclosure_review
from cases.models import Case, DigitalTool, ModerationEvent
from cases.moderation.services import case_publish, revision_publish
from cases.vocabularies import CaseStatus, Disclosure
from tests.contributions.utils import complete_payload

from .conftest import BIG_CITY, publish, real_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nantes(reference):
    return real_territory(reference, "commune", BIG_CITY)


@pytest.fixture
def public_case(nantes):
    """A pseudonymised case of Nantes, published through the gate, whose texts name nothing."""
    case = publish("Vrai titre", nantes, "Collectivité T")
    tool_add(case=case, name="Plateforme", tool_type="participation_platform", coproduction_mode="participative",
             classification_rationale="Les habitants proposent.")
    return case


def records(case):
    """The gate's override records: moderation events that are no transition."""
    return list(ModerationEvent.objects.filter(case=case, from_status=F("to_status")).order_by("pk"))


def test_an_edit_that_names_the_case_is_refused_then_overridden_and_recorded(public_case, moderator):
    versions = len(CaseHistory(public_case, public=True).versions())
    with pytest.raises(DisclosureRefused, match="Nantes"):
        case_update(case=public_case, summary="Le budget participatif de Nantes.")
    assert Case.objects.get(pk=public_case.pk).summary == "Une démarche de co-production numérique."
    case_update(case=public_case, actor=moderator, summary="Le budget participatif de Nantes.",
                disclosure_override="La ville a publié elle-même ce texte.")
    [record] = records(public_case)
    assert record.to_status == CaseStatus.PUBLISHED and record.actor == moderator
    assert "Nantes" in record.comment and "publié elle-même" in record.comment
    # A record starts no version of the public history and is no step of the contributor's workflow.
    assert len(CaseHistory(public_case, public=True).versions()) == versions
    # The next edit is judged on what it brings: the overridden name does not block it.
    case_update(case=public_case, launch_year=2020)
    assert len(records(public_case)) == 1


@pytest.mark.parametrize("write", [
    lambda case: tool_add(case=case, name="Carte", tool_type="participatory_mapping", coproduction_mode="consumer",
                          classification_rationale="La carte de Nantes Métropole."),
    lambda case: case_child_save(instance=_changed(case.tools.get(), classification_rationale="Voir www.x.fr.")),
    lambda case: stakeholder_add(case=case, name="Mairie", helix="public_sector", role="Loire-Atlantique"),
    lambda case: factor_assess(case=case, factor="resources", assessment="partial", note="https://x.fr/budget"),
    lambda case: event_add(case=case, date="2021-01-01", kind="launch", title="Lancement à Nantes"),
    lambda case: source_add(case=case, kind="press", citation="Ouest-France, <https://ouest-france.fr/a>"),
], ids=["tool added", "tool changed", "stakeholder", "factor", "event", "source"])
def test_every_child_write_is_gated(public_case, write):
    with pytest.raises(DisclosureRefused):
        write(public_case)
    assert DigitalTool.objects.get(case=public_case).classification_rationale == "Les habitants proposent."


def _changed(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


def test_a_draft_is_not_gated_until_published(nantes, moderator):
    case = case_create(title="Vrai titre", territory=nantes, disclosure=Disclosure.PSEUDONYMISED,
                       pseudonym="Collectivité D", summary="À Nantes.")
    tool_add(case=case, name="Outil", tool_type="e_service", coproduction_mode="consumer",
             classification_rationale="Sur nantes.fr.")
    case_update(case=case, summary="À Nantes, sur www.nantes.fr.")
    assert not records(case)


def test_a_case_created_published_is_gated(nantes):
    fields = {"title": "Vrai titre", "territory": nantes, "status": CaseStatus.PUBLISHED,
              "disclosure": Disclosure.PSEUDONYMISED, "pseudonym": "Collectivité C2"}
    with pytest.raises(DisclosureRefused, match="Nantes"):
        case_create(summary="Le budget de Nantes.", **fields)
    assert not Case.objects.filter(pseudonym="Collectivité C2").exists()
    case = case_create(summary="Le budget de Nantes.", disclosure_override="Essai", **fields)
    assert len(records(case)) == 1


def test_pseudonymising_a_published_case_judges_all_its_texts(nantes):
    case = publish("Budget participatif de Nantes", nantes, summary="Le budget participatif de Nantes.")
    with pytest.raises(DisclosureRefused, match="Nantes"):
        case_update(case=case, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité Z")
    case.refresh_from_db()
    assert case.disclosure == Disclosure.NAMED
    case_update(case=case, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité Z",
                summary="Un budget participatif.")
    assert Case.objects.get(pk=case.pk).is_pseudonymised


def _published_by_an_official(official, moderator, territory):
    case = contribution_start(actor=official, title="Budget participatif", territory=territory)
    payload = complete_payload(territory, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité R")
    revision_submit(revision=revision_save(case=case, actor=official, data=payload), actor=official)
    case.refresh_from_db()
    case_publish(case=case, actor=moderator)
    case.refresh_from_db()
    return case


def test_an_approved_update_is_gated_and_the_review_shows_it_first(client, nantes, official, moderator):
    case = _published_by_an_official(official, moderator, nantes)
    payload = case_payload(case)
    payload["tools"][0]["classification_rationale"] = "Les habitants de Nantes votent sur budget.nantes.fr."
    revision = revision_submit(revision=revision_save(case=case, actor=official, data=merged(case_payload(case), {
        "tools": payload["tools"]})), actor=official)
    # The review shows the update's problems before any decision.
    client.force_login(moderator)
    page = client.get(f"/moderation/cas/{case.pk}/").content.decode()
    review = re.search(r'aria-labelledby="disclosure-title">(.*?)</section>', page, re.S).group(1)
    assert "Nantes" in review and "budget.nantes.fr" in review
    with pytest.raises(DisclosureRefused, match=r"budget\.nantes\.fr"):
        revision_publish(revision=revision, actor=moderator)
    assert "Nantes" not in DigitalTool.objects.filter(case=case).first().classification_rationale
    revision_publish(revision=revision, actor=moderator, disclosure_override="Accord de la ville.")
    assert "Accord de la ville" in records(case)[-1].comment


# --- the admin -----------------------------------------------------------------------------------------

class _Form(HTMLParser):
    """The fields of the admin's change form as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append(tuple(self._textarea))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


def admin_form(client, url, **changes) -> dict:
    """The form at ``url`` as it stands, with ``changes``: what the admin POSTs."""
    html = client.get(url).content.decode()
    form = re.search(r'<form[^>]*id="\w+_form".*?</form>', html, re.S).group(0)  # not the logout form
    parser = _Form()
    parser.feed(form)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value.lstrip("\n"))
    for name, value in changes.items():
        data[name] = [value]
    return data


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_admin_case_page_refusal_is_a_form_error_then_an_override(admin_client, public_case):
    url = reverse("admin:cases_case_change", args=[public_case.pk])
    data = admin_form(admin_client, url, summary="Le budget participatif de Nantes.")
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Contrôle de divulgation non satisfait" in refused.content.decode()
    assert Case.objects.get(pk=public_case.pk).summary == "Une démarche de co-production numérique."
    data["disclosure_override"] = ["Texte validé par la ville."]
    assert admin_client.post(url, data).status_code == 302
    assert Case.objects.get(pk=public_case.pk).summary == "Le budget participatif de Nantes."
    assert "Texte validé par la ville" in records(public_case)[-1].comment


def test_admin_inline_tool_is_judged_with_its_case(admin_client, public_case):
    url = reverse("admin:cases_case_change", args=[public_case.pk])
    data = admin_form(admin_client, url, **{"tools-0-classification_rationale": "Sur https://nantes.fr/budget."})
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "nantes.fr" in response.content.decode()
    assert DigitalTool.objects.get(case=public_case).classification_rationale == "Les habitants proposent."


def test_admin_tool_page_goes_through_the_services_and_the_gate(admin_client, public_case):
    tool = public_case.tools.get()
    url = reverse("admin:cases_digitaltool_change", args=[tool.pk])
    response = admin_client.post(url, admin_form(admin_client, url, classification_rationale="Nantes Métropole."))
    assert response.status_code == 200 and "Contrôle de divulgation non satisfait" in response.content.decode()
    assert DigitalTool.objects.get(pk=tool.pk).classification_rationale == "Les habitants proposent."
    response = admin_client.post(url, admin_form(admin_client, url, classification_rationale="Ateliers en ligne."))
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.classification_rationale == "Ateliers en ligne." and tool.provenance == "editors"


def test_admin_revert_to_a_version_is_gated_too(admin_client, public_case, moderator):
    case_update(case=public_case, summary="À Nantes.", disclosure_override="Essai", actor=moderator)
    version = public_case.history.order_by("-history_id").first()
    case_update(case=public_case, summary="Un budget participatif.")
    url = reverse("admin:cases_case_simple_history", args=[public_case.pk, version.history_id])
    response = admin_client.post(url, admin_form(admin_client, url))
    assert response.status_code == 200 and "Contrôle de divulgation non satisfait" in response.content.decode()
    assert Case.objects.get(pk=public_case.pk).summary == "Un budget participatif."


# --- the study loader --------------------------------------------------------------------------------------

def test_study_cases_pass_the_gate_with_their_k(db):
    call_command("load_study_cases", verbosity=0)
    call_command("load_study_cases", verbosity=0)  # the second run writes nothing and checks again
    for slug, k in (("collectivite-a", 22), ("collectivite-b", 22), ("collectivite-c", 82)):
        case = Case.objects.get(slug=slug)
        review = disclosure_review(case)
        assert review.passes and review.decision.k == k and not review.occurrences, slug
        assert not records(case), slug


def test_the_loader_fails_loudly_and_writes_nothing(db, settings, tmp_path):
    data = json.loads(Path(settings.STUDY_CASES_FILE).read_text(encoding="utf-8"))
    data["cases"][0]["summary"] += " Voir https://www.ville-a.example.fr/budget."
    broken = tmp_path / "study.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"Contrôle de divulgation.*ville-a\.example\.fr"):
        call_command("load_study_cases", file=str(broken), verbosity=0)
    assert not Case.objects.exists()
    # Loaded once cleanly, then an update that would make A name itself: refused, A unchanged.
    call_command("load_study_cases", verbosity=0)
    with pytest.raises(CommandError, match=r"ville-a\.example\.fr"):
        call_command("load_study_cases", file=str(broken), verbosity=0)
    assert "ville-a" not in Case.objects.get(slug="collectivite-a").summary
