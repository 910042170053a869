"""Helpers for the contribution tests: a complete payload, and the POST the guided form would send."""

from cases.vocabularies import (
    Assessment,
    Carrier,
    CoproductionMode,
    Disclosure,
    Helix,
    ManagementMode,
    SourceKind,
    Theme,
    ToolStatus,
    ToolType,
)


def complete_payload(territory, *, tools=2, **case_fields) -> dict:
    """What an official who filled every section would send: valid for submission."""
    case = {
        "title": "Budget participatif et plateforme de concertation",
        "territory": territory.pk if territory else None,
        "carrier": Carrier.COMMUNE,
        "population_city": 48_000,
        "population_epci": 210_000,
        "population_year": 2023,
        "launch_year": 2019,
        "horizon_year": 2030,
        "dominant_theme": Theme.LOCAL_DEMOCRACY,
        "secondary_themes": [Theme.MOBILITY, Theme.DIGITAL_INCLUSION],
        "management_mode": ManagementMode.DIRECT_WITH_CONTRACTORS,
        "summary": "Les habitants **proposent** et votent des projets.",
        "website": "https://participer.example.fr",
        "disclosure": Disclosure.NAMED,
        "pseudonym": "",
    }
    case.update(case_fields)
    modes = [CoproductionMode.CONSUMER, CoproductionMode.PARTICIPATIVE, CoproductionMode.ENHANCED]
    return {
        "case": case,
        "tools": [
            {"name": f"Outil numéro {i + 1}", "tool_type": ToolType.PARTICIPATORY_BUDGET if i % 2 == 0
             else ToolType.IDEATION, "status": ToolStatus.DEPLOYED, "software": "Decidim", "open_source": True,
             "url": "", "launch_year": 2020, "end_year": None, "coproduction_mode": modes[i % 3],
             "classification_rationale": f"Justification de l'outil {i + 1} : les habitants votent."}
            for i in range(tools)
        ],
        "stakeholders": [{"name": "Conseil citoyen", "helix": Helix.CIVIL_SOCIETY, "role": "Anime les ateliers"}],
        "factors": {"resources": {"assessment": Assessment.PARTIAL, "note": "Deux agents à mi-temps"}},
        "sources": [{"kind": SourceKind.OFFICIAL_DOCUMENT, "citation": "Délibération du conseil municipal",
                     "url": "", "date": "2019-03-12"}],
    }


def form_data(payload: dict, action: str = "save") -> dict:
    """The POST body the guided form sends for ``payload`` (what a browser would submit)."""
    data = {"action": action}

    def put(key, value):
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            data[key] = "true" if value else "false"
        else:
            data[key] = value

    for name, value in payload.get("case", {}).items():
        put(f"case-{name}", value)
    for key in ("tools", "stakeholders", "events", "sources"):
        rows = payload.get(key, [])
        data[f"{key}-TOTAL_FORMS"] = str(len(rows))
        data[f"{key}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                put(f"{key}-{i}-{name}", value)
    for code, row in payload.get("factors", {}).items():
        put(f"factors-{code}__assessment", row.get("assessment"))
        put(f"factors-{code}__note", row.get("note"))
    return data
