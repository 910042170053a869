"""The rule as a pure function, and the publication gate with its recorded override."""

import pytest
from django.core.exceptions import ValidationError

from cases.catalogue.services import case_create
from cases.disclosure import rule
from cases.disclosure.names import Name, find_link_occurrences, find_occurrences
from cases.moderation.services import case_publish
from cases.vocabularies import CaseStatus, Disclosure

from .conftest import BIG_CITY, REGION, real_territory


def test_ladder_is_deterministic_and_in_documented_order(candidates):
    index = rule.CandidateIndex(candidates)
    lyon = rule.Attributes("commune", "84", 522_250, 1_400_000)
    decision = rule.generalise(lyon, index, 5)
    assert decision.steps == ("widen_bands", "drop_epci_band", "region_to_area")
    assert decision.published == rule.Published("commune", None, "metro", "200k_plus", None)
    assert decision.k >= 5 and rule.generalise(lyon, index, 5) == decision
    assert rule.exact_matches(lyon, index) == 1


def test_overseas_region_and_min_k_setting(candidates):
    index = rule.CandidateIndex(candidates)
    guadeloupe = rule.Attributes("region", "01", None, None)
    assert rule.generalise(guadeloupe, index, 5).published.area == "outremer"
    assert rule.generalise(guadeloupe, index, 5).k == 5  # the five overseas régions
    assert rule.generalise(guadeloupe, index, 6).steps[-1] == "area_to_france"  # one of the 18 régions
    assert not rule.generalise(guadeloupe, index, 19).passes  # nothing coarser is left: refused
    assert rule.generalise(rule.Attributes(None, None, None, None), index, 5).k is None  # national


def test_index_counts_equal_brute_force(candidates):
    index = rule.CandidateIndex(candidates)
    published = rule.Published("commune", None, "metro", "50k_200k", "200k_plus")
    brute = sum(1 for c in candidates if c.kind == "commune" and rule.area_of(c.region) == "metro"
                and c.city is not None and 50_000 <= c.city < 200_000 and c.epci is not None and c.epci >= 200_000)
    assert index.count(published) == brute


def test_names_are_folded_whole_words():
    names = [Name("territory", "Saint-Étienne"), Name("neighbour", "Eu"), Name("domain", "ville-exemple.fr")]
    found = find_occurrences([("a", "La SAINT ETIENNE métropole"), ("b", "En Europe"),
                              ("c", "voir ville-exemple.fr/budget")], names)
    assert [(o.where, o.name.text) for o in found] == [("a", "Saint-Étienne"), ("c", "ville-exemple.fr")]


def test_links_in_free_text_are_occurrences():
    texts = [("présentation", "Voir [le budget](https://budget.ville-exemple.fr/) ou www.autre.fr."),
             ("note", "Écrire à contact@mairie.fr ; la fin.Le projet utilise Node.js.")]
    found = [(o.where, o.name.kind, o.name.text) for o in find_link_occurrences(texts)]
    assert found == [("présentation", "link", "https://budget.ville-exemple.fr/"),
                     ("présentation", "link", "www.autre.fr"), ("note", "link", "contact@mairie.fr")]


def _submitted(reference, **fields):
    territory = real_territory(reference, "commune", BIG_CITY)
    return case_create(title="Vrai titre", territory=territory, status=CaseStatus.SUBMITTED,
                       disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité T", **fields)


@pytest.mark.django_db
def test_publication_refused_while_a_name_remains_unless_overridden(reference, moderator):
    case = _submitted(reference, summary="Le budget participatif de Nantes, ouvert à tous.")
    with pytest.raises(ValidationError, match="Nantes"):
        case_publish(case=case, actor=moderator)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    case_publish(case=case, actor=moderator, disclosure_override="Nom cité avec l'accord écrit de la ville.")
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    # The override is its own moderation event (a record: from == to), the publication another.
    record = case.moderation_events.get(from_status=CaseStatus.SUBMITTED, to_status=CaseStatus.SUBMITTED)
    assert "Dérogation" in record.comment and "accord écrit" in record.comment and "Nantes" in record.comment
    assert record.actor == moderator
    assert "Dérogation" not in case.moderation_events.get(to_status=CaseStatus.PUBLISHED).comment


@pytest.mark.django_db
def test_publication_refused_when_k_stays_below_min(reference, moderator, settings):
    settings.DISCLOSURE_MIN_K = 20  # Corse is one of 13 metropolitan régions: never 20
    territory = real_territory(reference, "region", REGION)
    case = case_create(title="Région", territory=territory, scope="region", status=CaseStatus.SUBMITTED,
                       disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité U")
    with pytest.raises(ValidationError, match="minimum 20"):
        case_publish(case=case, actor=moderator)


@pytest.mark.django_db
def test_review_page_shows_k_steps_and_occurrences(client, reference, moderator):
    case = _submitted(reference, summary="À Nantes.")
    client.force_login(moderator)
    page = client.get(f"/moderation/cas/{case.pk}/").content.decode()
    assert "Contrôle de divulgation" in page and "region_to_area" in page and "Nantes" in page
    refused = client.post(f"/moderation/cas/{case.pk}/action/", {"action": "publish"}, follow=True)
    assert "Contrôle de divulgation non satisfait" in refused.content.decode()
