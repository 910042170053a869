"""Fixtures of the attack tests: real reference territories, pseudonymised cases of every hard kind.

The candidate lists come from the shipped reference files, read once per session (``read_reference``);
the database only gets the handful of real territories the fixture cases sit on, so every test stays fast.
"""

import pytest
from django.core.management import call_command

from cases.catalogue.services import case_create, case_update, tool_add
from cases.disclosure import rule
from cases.disclosure.selectors import reference_index
from cases.moderation.services import case_publish
from cases.territories.loading import read_reference
from cases.vocabularies import CaseStatus, Disclosure

# Real collectivities of the official files (COG 2026).
BIG_CITY = "44109"  # Nantes, > 200 000 inhabitants
SMALL_COMMUNE = "01001"  # L'Abergement-Clémenciat, < 1 000
OVERSEAS_COMMUNE = "97415"  # Saint-Paul, La Réunion
REGION = "94"  # Corse: a région-level case
NAMED_THEN_PSEUDONYMISED = "38185"  # Grenoble
NAMED_NEIGHBOURS = ["34172", "67482", "33063", "35238"]  # Montpellier, Strasbourg, Bordeaux, Rennes


@pytest.fixture(scope="session")
def reference():
    data = read_reference()
    return {(row["kind"], row["code"]): row for rows in data.values() for row in rows}


@pytest.fixture(scope="session")
def candidates(reference):
    reference_index()  # warm the rule's own cache once, too
    return rule.candidates_from_reference(read_reference())


def real_territory(reference, kind, code):
    """The real territory ``kind``/``code`` (and its parents) in the test database."""
    from cases.models import Territory

    row = reference[(kind, code)]
    parents = {}
    if kind != "region" and row.get("region_code"):
        parents["region"] = real_territory(reference, "region", row["region_code"])
    if kind in ("commune", "epci") and row.get("departement_code"):
        parents["departement"] = real_territory(reference, "departement", row["departement_code"])
    if kind == "commune" and row.get("epci_code"):
        parents["epci"] = real_territory(reference, "epci", row["epci_code"])
    fields = {name: row[name] for name in ("name", "population", "population_year", "latitude", "longitude",
                                           "cog_year", "siren", "epci_type")}
    territory, _created = Territory.objects.get_or_create(kind=kind, code=code, defaults={**fields, **parents})
    return territory


def publish(title, territory, pseudonym=None, summary="Une démarche de co-production numérique.", **fields):
    """A case through the real services: submitted, then published by a moderator (disclosure gate)."""
    disclosure = {"disclosure": Disclosure.PSEUDONYMISED, "pseudonym": pseudonym} if pseudonym else {}
    case = case_create(title=title, territory=territory, status=CaseStatus.SUBMITTED, summary=summary,
                       **disclosure, **fields)
    case_publish(case=case)
    case.refresh_from_db()
    return case


@pytest.fixture
def world(db, reference):
    """The study's cases, named neighbours, and one pseudonymised case of each hard kind."""
    call_command("load_study_cases", verbosity=0)
    for code in NAMED_NEIGHBOURS:
        publish(f"Cas nommé {code}", real_territory(reference, "commune", code))
    cases = {
        "big city": publish("Vrai titre grande ville", real_territory(reference, "commune", BIG_CITY),
                            "Collectivité G"),
        "small commune": publish("Vrai titre petite commune", real_territory(reference, "commune", SMALL_COMMUNE),
                                 "Collectivité P"),
        "overseas commune": publish("Vrai titre outre-mer", real_territory(reference, "commune", OVERSEAS_COMMUNE),
                                    "Collectivité O"),
        "région": publish("Vrai titre région", real_territory(reference, "region", REGION), "Collectivité R",
                          scope="region"),
    }
    named = publish("Budget participatif de Grenoble",
                    real_territory(reference, "commune", NAMED_THEN_PSEUDONYMISED),
                    website="https://www.grenoble.fr/")
    tool_add(case=named, name="Plateforme de budget participatif", tool_type="participation_platform",
             coproduction_mode="participative", classification_rationale="Budget participatif en ligne.",
             url="https://budgetparticipatif.grenoble.fr/")
    old = {"slug": named.slug, "tool_ids": list(named.tools.values_list("pk", flat=True)),
           "published_at": named.published_at}
    case_update(case=named, disclosure=Disclosure.PSEUDONYMISED, pseudonym="Collectivité N",
                summary="Une démarche de co-production numérique.")
    named.refresh_from_db()
    tool = named.tools.get()
    cases["named then pseudonymised"] = named
    from cases.models import Case

    for slug in ("collectivite-a", "collectivite-b", "collectivite-c"):
        cases[slug] = Case.objects.get(slug=slug)
    return {"cases": cases, "old": old, "tool": tool}
