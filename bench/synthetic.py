"""A synthetic national-scale dataset for the benchmarks: cases and tools over REAL territories.

Shared by every script in ``bench/``::

    from bench.synthetic import setup_django, build
    setup_django()            # a dedicated SQLite file var/bench.sqlite3, unless DATABASE_URL is set
    summary = build(n_cases=10_000, n_tools=50_000, seed=20_240_601)

Territories come from the Territory table; when it is empty, ``manage.py load_territories`` fills it.
Cases are spread over communes weighted by population (big towns carry
more initiatives), with 10 % pseudonymised, some intercommunal and a few national ones. Rows are
written with ``bulk_create`` (no history rows: this is a benchmark, not an edit) and ``search_text``
is computed in bulk by ``services.search_text_of``, as ``services.case_reindex`` does.

A second ``build`` with the same arguments reuses the existing dataset (it is keyed by a slug prefix).
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG_PREFIX = "bench-"
DEFAULT_SEED = 20_240_601


def setup_django(sqlite_name: str = "bench.sqlite3", *, migrate: bool = True) -> None:
    """Configure Django for a benchmark: DATABASE_URL if given, else ``var/<sqlite_name>``; migrate."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var / sqlite_name}")
    # Production-like settings (DEBUG off, no query log) that accept the test client's host.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.test_settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


# --- territories ------------------------------------------------------------------------------------

def ensure_territories() -> str:
    """Make sure real territories are loaded; returns how ("present" or "load_territories")."""
    from django.core.management import call_command

    from cases.models import Territory

    if Territory.objects.filter(kind="commune", latitude__isnull=False).exists():
        return "present"
    call_command("load_territories", verbosity=0)
    return "load_territories"


# --- cases ------------------------------------------------------------------------------------------

SOFTWARE = ["Decidim", "CONSUL", "Cap Collectif", "Fluicity", "CitizenLab", "OpenDataSoft", "CKAN",
            "uData", "développement interne", ""]
TITLE_STEMS = ["Budget participatif", "Plateforme citoyenne", "Ville intelligente", "Territoire connecté",
               "Démarche de participation", "Jumeau numérique", "Données ouvertes", "Mobilité partagée",
               "Fabrique citoyenne", "Laboratoire d'innovation publique"]
SUMMARY_SENTENCES = [
    "La collectivité associe ses habitants à la conception de ses services grâce au numérique.",
    "Un programme de transition écologique appuyé sur une plateforme de données urbaines.",
    "Les habitants proposent, discutent puis votent des projets d'aménagement.",
    "Un portail open data ouvre les données de mobilité, d'énergie et de déchets.",
    "Une maquette 3D sert de support aux concertations de quartier.",
    "Des ateliers d'idéation réunissent élus, agents, entreprises et associations.",
    "Une application signale les dysfonctionnements de l'espace public.",
    "Le projet mobilise un partenariat d'innovation avec des entreprises locales.",
]
RATIONALE = {
    "consumer": "Les usagers interagissent avec un service existant : autonomisation, pas de conception.",
    "participative": "Les habitants participent à la conception de l'offre de service public.",
    "enhanced": "Les habitants impulsent la transformation et produisent un nouveau service.",
}


def existing(prefix: str = SLUG_PREFIX) -> dict:
    from cases.models import Case, DigitalTool

    return {
        "cases": Case.objects.filter(slug__startswith=prefix).count(),
        "tools": DigitalTool.objects.filter(case__slug__startswith=prefix).count(),
    }


def clear(prefix: str = SLUG_PREFIX) -> None:
    """Delete the synthetic cases (children first, so each delete is a plain DELETE)."""
    from cases.models import (
        Case,
        CaseCollectionMethod,
        CaseSecondaryTheme,
        DigitalTool,
        Event,
        FactorAssessment,
        ModerationEvent,
        Source,
        Stakeholder,
    )

    for model in (DigitalTool, Stakeholder, FactorAssessment, Event, CaseSecondaryTheme, CaseCollectionMethod,
                  ModerationEvent, Source):
        model.objects.filter(case__slug__startswith=prefix).delete()
    Case.objects.filter(slug__startswith=prefix).delete()


def build(n_cases: int = 10_000, n_tools: int = 50_000, seed: int = DEFAULT_SEED, *, rebuild: bool = False,
          published_share: float = 0.97, verbose: bool = False) -> dict:
    """Create (or reuse) ``n_cases`` cases holding ``n_tools`` tools over real territories.

    Returns a summary: counts, how territories were obtained, and a few slugs handy for benchmarks
    (``sample_slugs``: published named cases with tools, in a stable order).
    """
    from django.db import transaction
    from django.utils import timezone

    from cases.catalogue.freshness import data_changed  # bulk_create sends no signal: cached aggregates
    from cases.catalogue.services import search_text_of
    from cases.models import (
        Case,
        CaseSecondaryTheme,
        DigitalTool,
        Event,
        FactorAssessment,
        Source,
        Stakeholder,
        Territory,
    )
    from cases.vocabularies import (
        SUGGESTED_MODE,
        Assessment,
        Carrier,
        CaseStatus,
        CoproductionMode,
        Disclosure,
        EventKind,
        Factor,
        Helix,
        ManagementMode,
        PopulationDisclosure,
        Scope,
        SourceKind,
        Theme,
        ToolStatus,
        ToolType,
    )

    if n_tools < n_cases:
        raise ValueError("every synthetic case has at least one tool: n_tools >= n_cases")
    territories = ensure_territories()
    current = existing()
    if not rebuild and current == {"cases": n_cases, "tools": n_tools}:
        analyze()
        data_changed()
        return _summary(territories, reused=True)
    clear()

    rng = random.Random(seed)
    communes = list(
        Territory.objects.filter(kind="commune", latitude__isnull=False, population__isnull=False)
        .values_list("pk", "name", "population", "epci_id").order_by("code")
    )
    if not communes:
        raise RuntimeError("no located commune in the Territory table")
    epci_population = dict(Territory.objects.filter(kind="epci").values_list("pk", "population"))
    epci_name = dict(Territory.objects.filter(kind="epci").values_list("pk", "name"))
    # sqrt-weighted: large towns carry more initiatives without drowning every village.
    picked = rng.choices(communes, weights=[max(p, 1) ** 0.5 for _pk, _n, p, _e in communes], k=n_cases)
    now = timezone.now()
    themes, modes_mgmt, tool_types = list(Theme.values), list(ManagementMode.values), list(ToolType.values)
    modes, tool_statuses = list(CoproductionMode.values), list(ToolStatus.values)

    cases = []
    for i, (commune_pk, commune_name, population, epci_pk) in enumerate(picked):
        kind = rng.random()
        pseudonymised = kind < 0.10
        national = 0.10 <= kind < 0.12
        intercommunal = 0.12 <= kind < 0.25 and epci_pk is not None
        launch = rng.randint(2008, 2024)
        place = epci_name.get(epci_pk, commune_name) if intercommunal else commune_name
        title = f"{rng.choice(TITLE_STEMS)} — {'France' if national else place}"
        status = CaseStatus.PUBLISHED if rng.random() < published_share else rng.choice(
            [CaseStatus.DRAFT, CaseStatus.SUBMITTED])
        cases.append(Case(
            title=title,
            slug=f"{SLUG_PREFIX}{i:05d}",
            territory_id=None if national else (epci_pk if intercommunal else commune_pk),
            scope=Scope.NATIONAL if national else (Scope.EPCI if intercommunal else Scope.COMMUNE),
            carrier=Carrier.CITIZENS if national else rng.choice(
                [Carrier.COMMUNE, Carrier.EPCI, Carrier.COMMUNE_AND_EPCI]),
            population_city=None if national else population,
            population_epci=None if national else epci_population.get(epci_pk),
            population_year=None if national else 2023,
            launch_year=launch,
            horizon_year=launch + rng.randint(1, 15) if rng.random() < 0.7 else None,
            dominant_theme=rng.choice(themes),
            management_mode=rng.choice(modes_mgmt),
            summary=" ".join(rng.sample(SUMMARY_SENTENCES, 3)),
            observation_start_year=2021 if rng.random() < 0.2 else None,
            disclosure=Disclosure.PSEUDONYMISED if pseudonymised else Disclosure.NAMED,
            pseudonym=f"Collectivité S{i}" if pseudonymised else "",
            population_disclosure=PopulationDisclosure.BAND,
            status=status,
            published_at=now - timedelta(days=rng.randint(0, 1500)) if status == CaseStatus.PUBLISHED else None,
        ))

    # Every case gets one tool, the rest are spread at random (some cases get many).
    per_case = [1] * n_cases
    for index in rng.choices(range(n_cases), k=n_tools - n_cases):
        per_case[index] += 1

    # Children hold their (still unsaved) case; bulk_create copies the pk over once the case is saved.
    tools, themes_rows, factors, people, events, sources = [], [], [], [], [], []
    for case, count in zip(cases, per_case, strict=True):
        tool_names = []
        for position in range(count):
            tool_type = rng.choice(tool_types)
            suggested = SUGGESTED_MODE.get(tool_type)
            mode = suggested if suggested and rng.random() < 0.7 else rng.choice(modes)
            software = rng.choice(SOFTWARE)
            name = f"{ToolType(tool_type).label} {position + 1}"
            tool_names.append((name, software))
            tools.append(DigitalTool(
                case=case, name=name, tool_type=tool_type, coproduction_mode=mode,
                classification_rationale=RATIONALE[mode], status=rng.choice(tool_statuses),
                launch_year=rng.randint(case.launch_year, 2025), software=software,
                open_source=software in ("Decidim", "CONSUL", "CKAN"), position=position,
            ))
        for theme in rng.sample(themes, rng.randint(0, 2)):
            if theme != case.dominant_theme:
                themes_rows.append(CaseSecondaryTheme(case=case, theme=theme))
        for factor in rng.sample(list(Factor.values), 4):
            factors.append(FactorAssessment(case=case, factor=factor, assessment=rng.choice(list(Assessment.values))))
        for helix in rng.sample(list(Helix.values), 2):
            people.append(Stakeholder(case=case, name=f"Acteur {helix}", helix=helix, role="Partenaire"))
        events.append(Event(case=case, date=date(case.launch_year, 1, 1), date_precision="year",
                            kind=EventKind.LAUNCH, title="Lancement"))
        sources.append(Source(case=case, kind=SourceKind.SECONDARY_SOURCE,
                              citation=f"Rapport d'activité {case.launch_year}"))
        case.search_text = search_text_of(case, tool_names)

    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=1000)
        for model, rows in ((DigitalTool, tools), (CaseSecondaryTheme, themes_rows), (FactorAssessment, factors),
                            (Stakeholder, people), (Event, events), (Source, sources)):
            model.objects.bulk_create(rows, batch_size=2000)
    analyze()
    data_changed()
    if verbose:
        print(f"built {n_cases} cases, {n_tools} tools", file=sys.stderr)
    return _summary(territories, reused=False)


def analyze() -> None:
    """Refresh the planner's statistics: after a bulk load they describe empty tables, and PostgreSQL
    then picks nested loops that take seconds (a production database is analysed by autovacuum)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _summary(territories: str, *, reused: bool) -> dict:
    from django.db.models import Count

    from cases.models import Case

    sample = list(
        Case.objects.published().filter(slug__startswith=SLUG_PREFIX, disclosure="named", territory__isnull=False)
        .annotate(n=Count("tools")).filter(n__gte=3).order_by("slug").values_list("slug", flat=True)[:12]
    )
    return {**existing(), "territories": territories, "reused": reused, "sample_slugs": sample}


if __name__ == "__main__":
    setup_django()
    print(build(verbose=True))
