"""publish_release: a valid Frictionless package, checksums that hold, no duplicate, never changed."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from cases.api.public import public_case
from cases.models import Case
from cases.releases import package
from cases.releases.models import Release, ReleaseIsFrozen
from cases.releases.tables import case_key
from cases.vocabularies import CaseStatus
from tests.factories import CaseFactory


def publish(**kwargs):
    out = io.StringIO()
    call_command("publish_release", stdout=out, **kwargs)
    return out.getvalue()


def read_csv(folder, name):
    with (folder / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def published(catalogue, releases_storage):
    publish()
    release = Release.objects.get()
    return release, releases_storage / release.version


def test_package_is_valid_frictionless(published):
    from frictionless import Package, validate

    _release, folder = published
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {resource.name for resource in Package(str(folder / "datapackage.json")).resources}
    assert {"cases", "tools", "stakeholders", "factors", "events", "sources", "territories", "vocabularies",
            "cases-geojson"} <= names


def test_checksums_reverify(published):
    release, folder = published
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {item["name"] for item in release.files} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    for item in release.files:
        assert (folder / item["name"]).stat().st_size == item["size"]
    assert package.verify(release) == []


def test_release_holds_only_what_the_site_shows(published):
    _release, folder = published
    cases = {row["slug"]: row for row in read_csv(folder, "cases.csv")}
    assert set(cases) == {"named-case", "pseudo-case", "national-case"}  # no draft
    hidden = cases["pseudo-case"]
    assert hidden["name"] != "Secret Town" and hidden["territory_code"] == "" and hidden["website"] == ""
    everything = "".join(path.read_text(encoding="utf-8") for path in folder.iterdir())
    assert "Secret Town" not in everything and "secret-town.example" not in everything
    assert "draft-case" not in everything
    codes = {(row["kind"], row["code"]) for row in read_csv(folder, "territories.csv")}
    assert (cases["named-case"]["territory_kind"], cases["named-case"]["territory_code"]) in codes
    assert {row["vocabulary"] for row in read_csv(folder, "vocabularies.csv")} >= {"coproduction_modes", "factors"}


def test_datapackage_states_licence_keys_and_labels(published):
    _release, folder = published
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    tools = next(r for r in descriptor["resources"] if r["name"] == "tools")
    assert tools["schema"]["primaryKey"] == ["tool_id"]
    assert tools["schema"]["foreignKeys"][0]["reference"] == {"resource": "cases", "fields": ["slug"]}
    mode = next(f for f in tools["schema"]["fields"] if f["name"] == "coproduction_mode")
    assert mode["constraints"]["enum"] == ["consumer", "participative", "enhanced"]
    assert mode["x-labels-en"]["enhanced"] and mode["categories"][0]["label"]
    readme = (folder / "README.md").read_text()
    assert "Licence Ouverte" in readme and "`coproduction_mode`" in readme and "sha256sum -c" in readme


def test_rerun_with_unchanged_data_makes_no_new_release(published):
    assert "inchangées" in publish()
    assert Release.objects.count() == 1


def test_next_release_notes_and_immutability(published, releases_storage):
    first, folder = published
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    CaseFactory(slug="new-case", tools=1)
    keys = {case.slug: case for case in Case.objects.filter(slug__in=["new-case", "named-case", "national-case"])}
    Case.objects.filter(slug="named-case").update(summary="Une présentation revue.")
    Case.objects.filter(slug="national-case").update(status=CaseStatus.DRAFT)
    outcome = package.publish(now=datetime(2030, 1, 5, tzinfo=UTC))
    second = outcome.release
    assert outcome.created and second.version == "2030.01.1"
    key = {slug: case_key(public_case(case)) for slug, case in keys.items()}
    assert second.notes["previous"] == first.version and second.notes["added"] == [key["new-case"]]
    assert second.notes["updated"] == [key["named-case"]] and second.notes["withdrawn"] == [key["national-case"]]
    # The first release's files are untouched.
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # Its row refuses to change, and its files refuse to be written again.
    first.notes = {}
    with pytest.raises(ReleaseIsFrozen):
        first.save()
    with pytest.raises(ReleaseIsFrozen):
        first.delete()
    with pytest.raises(ReleaseIsFrozen):
        Release.objects.filter(pk=first.pk).update(notes={})
    with pytest.raises(ReleaseIsFrozen):
        Release.objects.all().delete()
    with pytest.raises(ReleaseIsFrozen):
        package.store(Release.objects.get(pk=first.pk), folder)


def test_verify_reports_a_changed_file(published):
    release, folder = published
    assert "intacte" in publish(verify=True)
    (folder / "cases.csv").write_text("tampered")
    assert package.verify(release) == [f"{release.version}/cases.csv: changed (sha256 "
                                       f"{hashlib.sha256(b'tampered').hexdigest()}, 8 bytes)"]


def test_frictionless_catches_tampering_and_broken_keys(published):
    from frictionless import validate

    _release, folder = published
    tools = folder / "tools.csv"
    tools.write_text(tools.read_text(encoding="utf-8").replace("named-case", "ghost-case", 1), encoding="utf-8")
    errors = {error[0] for error in validate(str(folder / "datapackage.json")).flatten(["type"])}
    assert {"foreign-key", "hash-count", "byte-count"} <= errors


def test_queries_do_not_grow_with_the_number_of_cases(catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        package.publish(now=datetime(2030, 1, 1, tzinfo=UTC))
    for _ in range(6):
        CaseFactory(tools=2)
    with CaptureQueriesContext(connection) as more:
        package.publish(now=datetime(2030, 2, 1, tzinfo=UTC))
    assert len(more) <= len(few) + 2, [q["sql"][:120] for q in more.captured_queries]


def test_study_findings_table_when_the_research_context_is_installed(study_cases, releases_storage):
    pytest.importorskip("cases.research.selectors")
    from frictionless import validate

    release = package.publish().release
    folder = releases_storage / release.version
    assert release.counts["study_findings"] > 0
    assert validate(str(folder / "datapackage.json")).valid


def test_files_left_by_a_failed_publication_are_replaced(catalogue, releases_storage):
    orphan = releases_storage / "2030.03.1"
    orphan.mkdir(parents=True)
    (orphan / "cases.csv").write_text("half-written")
    release = package.publish(now=datetime(2030, 3, 2, tzinfo=UTC)).release
    assert release.version == "2030.03.1" and package.verify(release) == []
