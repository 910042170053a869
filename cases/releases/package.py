"""Building and publishing a release: a Frictionless Data Package written once into ``storages["releases"]``.

``publish()`` writes the data files into a temporary folder, fingerprints them, and stops there if the
latest release has the same fingerprint (re-running with unchanged data makes no new release). Otherwise
it adds the metadata (``datapackage.json``, the codebook ``README.md``, ``CITATION.cff``, ``datacite.json``,
``release-notes.json``) and ``SHA256SUMS``, then records the release and copies its files into the
storage — refusing to overwrite any file that is already there: a published release never changes.

What goes in is exactly what the public site shows: see ``cases.releases.tables``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.api import exports
from cases.api.public import public_case

from . import citation, codebook, licence
from .models import Release, ReleaseIsFrozen
from .tables import (
    case_key,
    case_tables,
    public_cases,
    referenced_territories,
    study_finding_tables,
    territory_table,
    vocabularies,
    vocabulary_table,
)

MEDIA_TYPES = {".csv": "text/csv", ".geojson": "application/geo+json", ".json": "application/json",
               ".md": "text/markdown", ".cff": "application/x-yaml", "": "text/plain"}
CHUNK = 1 << 16


def storage():
    return storages["releases"]


def sha256_of(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def describe(path: Path) -> dict:
    with path.open("rb") as stream:
        sha256, size = sha256_of(stream)
    return {"name": path.name, "size": size, "sha256": sha256, "media_type": MEDIA_TYPES[path.suffix]}


@dataclass
class Data:
    """The data files of a release, written in ``directory``."""

    directory: Path
    tables: list = field(default_factory=list)
    vocabularies: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    case_digests: dict = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        lines = "".join(f"{item['sha256']}  {item['name']}\n" for item in self.files)
        return hashlib.sha256(lines.encode()).hexdigest()


def _writer(stream):
    return csv.writer(stream, lineterminator="\r\n")


def write_data(directory: Path) -> Data:
    """Write every table's CSV and the GeoJSON, reading each public case once."""
    base_url = citation.site_url()
    data = Data(directory, vocabularies=vocabularies())
    per_case = case_tables(base_url)
    streams = {t.name: (directory / f"{t.name}.csv").open("w", encoding="utf-8", newline="") for t in per_case}
    writers = {name: _writer(stream) for name, stream in streams.items()}
    counts = dict.fromkeys(streams, 0)
    territory_ids: set[int] = set()
    try:
        for table in per_case:
            writers[table.name].writerow(table.header)
        for case in public_cases().iterator(chunk_size=exports.CHUNK_SIZE):
            case = public_case(case)
            digest = hashlib.sha256()
            for table in per_case:
                for row in table.rows(case):
                    writers[table.name].writerow(row)
                    counts[table.name] += 1
                    digest.update(json.dumps([table.name, row], default=str, ensure_ascii=False).encode())
            data.case_digests[case_key(case)] = digest.hexdigest()
            territory_ids |= referenced_territories(case)
    finally:
        for stream in streams.values():
            stream.close()
    reference = [*study_finding_tables(), territory_table(territory_ids), vocabulary_table(data.vocabularies)]
    for table in reference:
        with (directory / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = _writer(stream)
            writer.writerow(table.header)
            counts[table.name] = 0
            for row in table.rows():
                writer.writerow(row)
                counts[table.name] += 1
    with (directory / "cases.geojson").open("wb") as stream:
        for chunk in exports.cases_geojson(public_cases(children=False), base_url=base_url):
            stream.write(chunk)
    data.tables = per_case + reference
    data.counts = counts
    data.files = [describe(directory / f"{t.name}.csv") for t in data.tables] + [describe(directory / "cases.geojson")]
    return data


def release_notes(previous: Release | None, digests: dict[str, str]) -> dict:
    """Cases added, updated and withdrawn since ``previous``, by ``tables.case_key``."""
    before = previous.case_digests if previous else {}
    return {
        "previous": previous.version if previous else None,
        "added": sorted(set(digests) - set(before)),
        "updated": sorted(key for key in set(digests) & set(before) if digests[key] != before[key]),
        "withdrawn": sorted(set(before) - set(digests)),
    }


def next_version(now: datetime) -> str:
    """Calendar versioning, ``YYYY.MM.N``: the N-th release of that month."""
    prefix = f"{now:%Y.%m}."
    taken = {release.version for release in Release.objects.filter(version__startswith=prefix)}
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def datapackage(release: Release, data: Data) -> dict:
    sizes = {item["name"]: item for item in data.files}

    def stats(name):
        return {"bytes": sizes[name]["size"], "hash": f"sha256:{sizes[name]['sha256']}"}

    resources = [{
        "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource", "title": table.title,
        "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        **stats(f"{table.name}.csv"), "schema": table.schema(data.vocabularies),
    } for table in data.tables]
    resources.append({
        "name": "cases-geojson", "path": "cases.geojson", "title": "Cas (carte)",
        "description": "FeatureCollection RFC 7946 des cas (WGS 84), les propriétés de cases.csv.",
        "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8", **stats("cases.geojson"),
    })
    return {
        "profile": "data-package",
        "name": "observatoire-co-creation-numerique-locale",
        "id": citation.release_url(release),
        "title": citation.TITLE,
        "description": citation.DESCRIPTION,
        "version": release.version,
        "created": exports.instant(release.created_at),  # the API's one instant format (RFC 3339)
        "homepage": citation.site_url(reverse("cases:data")),
        "keywords": citation.KEYWORDS,
        "licenses": [licence.datapackage_licence()],
        "contributors": [{"title": citation.PUBLISHER, "role": "publisher", "path": citation.site_url("/")}],
        "resources": resources,
    }


def write_metadata(release: Release, data: Data) -> None:
    directory = data.directory
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage(release, data), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "release-notes.json").write_text(
        json.dumps({"version": release.version, **release.notes}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (directory / "CITATION.cff").write_text(citation.cff(release), encoding="utf-8")
    (directory / "datacite.json").write_text(
        json.dumps(citation.datacite(release), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "README.md").write_text(codebook.readme(release, data), encoding="utf-8")
    names = [item["name"] for item in data.files] + [
        "datapackage.json", "README.md", "release-notes.json", "CITATION.cff", "datacite.json"]
    files = [describe(directory / name) for name in names]
    # sha256sum(1) format: ``sha256sum -c SHA256SUMS`` checks a downloaded release.
    (directory / "SHA256SUMS").write_text("".join(f"{item['sha256']}  {item['name']}\n" for item in files))
    release.files = [*files, describe(directory / "SHA256SUMS")]


def store(release: Release, directory: Path) -> None:
    """Copy the release's files into the storage, once: an existing file is never overwritten."""
    target = storage()
    for item in release.files:
        name = release.path(item["name"])
        if target.exists(name):
            raise ReleaseIsFrozen(f"{name} already exists in the releases storage")
        with (directory / item["name"]).open("rb") as stream:
            saved = target.save(name, File(stream, name=item["name"]))
        if saved != name:
            raise ReleaseIsFrozen(f"{name} was stored as {saved}")


def _remove_unrecorded(version: str) -> None:
    """Delete the files a failed publication left under ``version``. Called only by ``publish``, inside the
    transaction that has just inserted that version's row: the unique version makes any other publisher of
    it wait, then fail, so these files belong to no recorded release and nobody can have cited them."""
    target = storage()
    if target.exists(version):
        for name in target.listdir(version)[1]:
            target.delete(f"{version}/{name}")


@dataclass(frozen=True)
class Outcome:
    release: Release
    created: bool


def publish(*, now: datetime | None = None) -> Outcome:
    """Publish a release of the public data, or return the latest one if nothing public has changed."""
    now = now or timezone.now()
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        data = write_data(Path(tmp))
        latest = Release.objects.first()
        if latest is not None and latest.fingerprint == data.fingerprint:
            return Outcome(latest, False)
        release = Release(version=next_version(now), created_at=now, fingerprint=data.fingerprint,
                          counts=data.counts, case_digests=data.case_digests,
                          notes=release_notes(latest, data.case_digests))
        write_metadata(release, data)
        # The row claims the version (unique); if copying fails, the row goes away with the transaction.
        with transaction.atomic():
            release.save()
            _remove_unrecorded(release.version)
            store(release, Path(tmp))
    return Outcome(release, True)


def verify(release: Release) -> list[str]:
    """What differs between the release's manifest and its stored files (empty: intact)."""
    problems, target = [], storage()
    for item in release.files:
        name = release.path(item["name"])
        if not target.exists(name):
            problems.append(f"{name}: missing")
            continue
        with target.open(name, "rb") as stream:
            sha256, size = sha256_of(stream)
        if (sha256, size) != (item["sha256"], item["size"]):
            problems.append(f"{name}: changed (sha256 {sha256}, {size} bytes)")
    return problems
