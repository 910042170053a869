"""How to cite a release: APA, BibTeX, CITATION.cff and DataCite JSON, all from the same few facts.

A release is cited by its version and the address of its page; the citation reads only the release's
frozen fields (version, date, manifest), so it is the same every time it is shown.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from . import licence

PUBLISHER = "Observatoire de la co-création numérique locale"
TITLE = "Observatoire de la co-création numérique locale : cas d'usage des outils numériques de co-création " \
        "des collectivités françaises"
TITLE_EN = "Observatory of local digital co-creation: French local authorities' digital co-creation tools"
DESCRIPTION = ("Cas d'usage publiés des outils numériques de co-création des collectivités françaises, classés sur "
               "le continuum de la co-production (Osborne & Strokosch, 2013) : cas, outils, parties prenantes, "
               "facteurs, événements, sources, vocabulaires et territoires cités.")
KEYWORDS = ["co-production", "co-création", "participation citoyenne", "collectivités territoriales",
            "civic tech", "open data"]


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def release_url(release) -> str:
    return site_url(reverse("cases:release_detail", kwargs={"version": release.version}))


def file_url(release, name: str) -> str:
    return site_url(reverse("cases:release_file", kwargs={"version": release.version, "name": name}))


def apa(release) -> str:
    year = release.created_at.year
    return f"{PUBLISHER}. ({year}). {TITLE} (Version {release.version}) [Jeu de données]. {release_url(release)}"


def bibtex(release) -> str:
    key = "observatoire_cocreation_" + release.version.replace(".", "_").replace("-", "_")
    return (
        f"@misc{{{key},\n"
        f"  author = {{{{{PUBLISHER}}}}},\n"
        f"  title = {{{{{TITLE}}}}},\n"
        f"  year = {{{release.created_at.year}}},\n"
        f"  version = {{{release.version}}},\n"
        f"  howpublished = {{\\url{{{release_url(release)}}}}},\n"
        f"  note = {{Jeu de donn\\'ees, {licence.SHORT_NAME}}}\n"
        "}\n"
    )


def _yaml(value: str) -> str:
    # JSON strings are valid YAML scalars: no hand-made quoting rules.
    import json

    return json.dumps(value, ensure_ascii=False)


def cff(release) -> str:
    """CITATION.cff 1.2.0 (YAML) for the release, as GitHub and Zenodo read it."""
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml('Pour citer ces données, merci d’utiliser ces métadonnées.')}",
        "type: dataset",
        f"title: {_yaml(TITLE)}",
        "authors:",
        f"  - name: {_yaml(PUBLISHER)}",
        f"version: {_yaml(release.version)}",
        f"date-released: {release.created_at.date().isoformat()}",
        f"license: {licence.SPDX}",
        f"url: {_yaml(release_url(release))}",
        f"repository-artifact: {_yaml(file_url(release, 'datapackage.json'))}",
        f"abstract: {_yaml(DESCRIPTION)}",
        "keywords:",
        *(f"  - {_yaml(word)}" for word in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def datacite(release) -> dict:
    """DataCite Metadata Schema 4.5 attributes (JSON), ready for a DOI request."""
    return {
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Data Package"},
        "titles": [{"title": TITLE, "lang": "fr"}, {"title": TITLE_EN, "lang": "en", "titleType": "TranslatedTitle"}],
        "creators": [{"name": PUBLISHER, "nameType": "Organizational"}],
        "publisher": PUBLISHER,
        "publicationYear": str(release.created_at.year),
        "version": release.version,
        "language": "fr",
        "dates": [{"date": release.created_at.date().isoformat(), "dateType": "Issued"}],
        "subjects": [{"subject": word} for word in KEYWORDS],
        "descriptions": [{"description": DESCRIPTION, "descriptionType": "Abstract", "lang": "fr"}],
        "rightsList": [{"rights": licence.NAME, "rightsUri": licence.URL, "rightsIdentifier": licence.SPDX,
                        "rightsIdentifierScheme": "SPDX", "schemeUri": "https://spdx.org/licenses/"}],
        "formats": ["text/csv", "application/geo+json", "application/json"],
        "url": release_url(release),
    }


def citations(release) -> dict:
    import json

    return {"apa": apa(release), "bibtex": bibtex(release), "cff": cff(release),
            "datacite": json.dumps(datacite(release), ensure_ascii=False, indent=2)}
