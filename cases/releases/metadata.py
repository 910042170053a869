"""Metadata for harvesters on /donnees/: DCAT (JSON-LD, as data.gouv.fr-style catalogues read it) and a
schema.org ``Dataset`` (as dataset search engines read it). Both describe the latest release's files
and the live API, under the same licence.
"""

from __future__ import annotations

import json

from django.urls import reverse

from . import citation, licence

IANA = "https://www.iana.org/assignments/media-types/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"


def _page() -> str:
    return citation.site_url(reverse("cases:data"))


def _api_exports() -> list[tuple[str, str, str]]:
    return [
        ("API JSON", citation.site_url(reverse("api:case-list")), "application/json"),
        ("CSV (API)", citation.site_url("/api/v1/cases.csv"), "text/csv"),
        ("GeoJSON (API)", citation.site_url("/api/v1/cases.geojson"), "application/geo+json"),
    ]


def dcat(releases) -> dict:
    """A DCAT-AP style catalogue with one dataset; its distributions are the latest release's files."""
    latest = releases[0] if releases else None
    distributions = []
    if latest is not None:
        for item in latest.files:
            distributions.append({
                "@type": "dcat:Distribution",
                "dct:title": item["name"],
                "dcat:downloadURL": {"@id": citation.file_url(latest, item["name"])},
                "dcat:accessURL": {"@id": citation.release_url(latest)},
                "dcat:mediaType": {"@id": IANA + item["media_type"]},
                "dcat:byteSize": {"@value": str(item["size"]), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                  "spdx:checksumValue": item["sha256"]},
                "dct:license": {"@id": licence.URL},
            })
    for title, url, media_type in _api_exports():
        distributions.append({"@type": "dcat:Distribution", "dct:title": title, "dcat:accessURL": {"@id": url},
                              "dcat:mediaType": {"@id": IANA + media_type}, "dct:license": {"@id": licence.URL}})
    dataset = {
        "@id": _page() + "#dataset",
        "@type": "dcat:Dataset",
        "dct:title": {"@value": citation.TITLE, "@language": "fr"},
        "dct:description": {"@value": citation.DESCRIPTION, "@language": "fr"},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": citation.PUBLISHER},
        "dct:license": {"@id": licence.URL},
        "dct:language": {"@id": EU_AUTHORITY + "language/FRA"},
        "dct:spatial": {"@id": EU_AUTHORITY + "country/FRA"},
        "dcat:keyword": citation.KEYWORDS,
        "dcat:landingPage": {"@id": _page()},
        "dcat:distribution": distributions,
    }
    if latest is not None:
        dataset["dcat:version"] = latest.version
        dataset["dct:modified"] = {"@value": latest.created_at.date().isoformat(), "@type": "xsd:date"}
        dataset["dcat:hasVersion"] = [{"@id": citation.release_url(release)} for release in releases]
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "spdx": "http://spdx.org/rdf/terms#",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@graph": [
            {"@id": _page() + "#catalog", "@type": "dcat:Catalog",
             "dct:title": {"@value": citation.PUBLISHER, "@language": "fr"},
             "dct:publisher": {"@type": "foaf:Organization", "foaf:name": citation.PUBLISHER},
             "foaf:homepage": {"@id": citation.site_url("/")}, "dcat:dataset": {"@id": _page() + "#dataset"}},
            dataset,
        ],
    }


def schema_org(releases) -> dict:
    """schema.org ``Dataset`` (Google Dataset Search and the like)."""
    latest = releases[0] if releases else None
    downloads = [{"@type": "DataDownload", "name": title, "contentUrl": url, "encodingFormat": media_type}
                 for title, url, media_type in _api_exports()]
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": _page() + "#dataset",
        "name": citation.TITLE,
        "description": citation.DESCRIPTION,
        "url": _page(),
        "license": licence.URL,
        "isAccessibleForFree": True,
        "inLanguage": "fr",
        "keywords": citation.KEYWORDS,
        "creator": {"@type": "Organization", "name": citation.PUBLISHER, "url": citation.site_url("/")},
        "publisher": {"@type": "Organization", "name": citation.PUBLISHER, "url": citation.site_url("/")},
        "spatialCoverage": {"@type": "Place", "name": "France"},
        "distribution": downloads,
    }
    if latest is not None:
        dataset.update(version=latest.version, datePublished=latest.created_at.date().isoformat(),
                       citation=citation.apa(latest))
        dataset["distribution"] = [
            {"@type": "DataDownload", "name": item["name"], "contentUrl": citation.file_url(latest, item["name"]),
             "encodingFormat": item["media_type"], "contentSize": f"{item['size']} B"}
            for item in latest.files
        ] + downloads
    return dataset


def script(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped so that no value
    can close the element (the escapes Django's ``json_script`` uses)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
