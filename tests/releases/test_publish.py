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
    resources = {r["name"]: r for r in descriptor["resources"]}
    tools = resources["tools"]
    assert tools["schema"]["primaryKey"] == ["tool_id"]
    assert resources["cases"]["schema"]["primaryKey"] == ["public_id"]
    slug = next(f for f in resources["cases"]["schema"]["fields"] if f["name"] == "slug")
    assert slug["type"] == "string"  # an ordinary column
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


@pytest.mark.parametrize("child", ["tools", "stakeholders", "factors", "events", "sources"])
def test_every_child_table_is_keyed_by_the_cases_public_id(published, catalogue, child):
    _release, folder = published
    descriptor = json.loads((folder / "datapackage.json").read_text())
    schema = next(r for r in descriptor["resources"] if r["name"] == child)["schema"]
    assert {"fields": ["case_public_id"], "reference": {"resource": "cases", "fields": ["public_id"]}} \
        in schema["foreignKeys"]
    assert not any("case_slug" in fk["fields"] for fk in schema["foreignKeys"])
    named = str(catalogue["named"].public_id)
    rows = read_csv(folder, f"{child}.csv")
    cases = {row["public_id"] for row in read_csv(folder, "cases.csv")}
    assert rows and {row["case_public_id"] for row in rows} <= cases
    assert {row["case_slug"] for row in rows if row["case_public_id"] == named} == {"named-case"}


@pytest.mark.parametrize("child", ["tools", "factors"])
def test_frictionless_catches_tampering_and_broken_keys(published, catalogue, child):
    from frictionless import validate

    _release, folder = published
    path = folder / f"{child}.csv"
    named = str(catalogue["named"].public_id)
    path.write_text(path.read_text(encoding="utf-8").replace(named, "00000000-0000-4000-8000-000000000000", 1),
                    encoding="utf-8")
    errors = {error[0] for error in validate(str(folder / "datapackage.json")).flatten(["type"])}
    assert {"foreign-key", "hash-count", "byte-count"} <= errors


def test_a_renamed_case_is_updated_under_the_same_key(published, catalogue):
    named = catalogue["named"]
    Case.objects.filter(pk=named.pk).update(slug="ville-renommee")
    release = package.publish(now=datetime(2030, 1, 5, tzinfo=UTC)).release
    assert release.notes["updated"] == [str(named.public_id)]
    assert release.notes["added"] == [] and release.notes["withdrawn"] == []


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
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # A finding on several cases: one link row per case, each naming a case of cases.csv by public_id.
    links = read_csv(folder, "study_finding_cases.csv")
    assert len(links) > release.counts["study_findings"]
    assert {row["case_public_id"] for row in links} <= {row["public_id"] for row in read_csv(folder, "cases.csv")}
    findings = read_csv(folder, "study_findings.csv")
    assert all(len(f["case_public_ids"].split()) == len(f["case_slugs"].split()) for f in findings)


def test_files_left_by_a_failed_publication_are_replaced(catalogue, releases_storage):
    orphan = releases_storage / "2030.03.1"
    orphan.mkdir(parents=True)
    (orphan / "cases.csv").write_text("half-written")
    release = package.publish(now=datetime(2030, 3, 2, tzinfo=UTC)).release
    assert release.version == "2030.03.1" and package.verify(release) == []
