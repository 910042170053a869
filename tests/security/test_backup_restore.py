"""Backups (scripts/backup.sh, scripts/restore.sh): a backup taken after cases, their history and
moderation events exist restores them all, over a database that has changed since. On SQLite by default;
on PostgreSQL (pg_dump / pg_restore) when the suite runs on PostgreSQL. Each run uses a database of its own,
built by the real commands in subprocesses, as an operator would."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]

CREATE = """
from django.core.management import call_command
call_command("load_study_cases", verbosity=0)
from django.contrib.auth import get_user_model
from cases.contributions.services import contribution_start
from cases.moderation.services import case_request_changes
from cases.moderation.workflow import case_submit
users = get_user_model().objects
official = users.create_user("officiel@example.org", "officiel@example.org", "x" * 16)
moderator = users.create_user("moderateur@example.org", "moderateur@example.org", "x" * 16)
case = contribution_start(actor=official, title="Initiative sauvegardée", territory=None)
case_submit(case=case, actor=official)
case_request_changes(case=case, actor=moderator, comment="Précisez le budget.")
"""

FINGERPRINT = """
import json
from django.contrib.auth import get_user_model
from cases.models import Case, CaseRevision, ModerationEvent, OutgoingEmail
print("FINGERPRINT" + json.dumps({
    "cases": sorted(Case.objects.values_list("pk", "slug", "status", "title")),
    "history": sorted(Case.history.values_list("history_id", "id", "status")),
    "events": sorted(ModerationEvent.objects.values_list("pk", "case_id", "from_status", "to_status", "comment")),
    "revisions": CaseRevision.objects.count(),
    "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    "outbox": OutgoingEmail.objects.count(),
}, default=str))
"""

DAMAGE = """
from django.contrib.auth import get_user_model
from cases.models import Case
Case.objects.all().delete()
get_user_model().objects.all().delete()
"""


def run(env, *args):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=300).stdout


def manage(env, *args):
    return run(env, sys.executable, "manage.py", *args)


def fingerprint(env, before=""):
    """Run ``before`` then print the fingerprint, in one process (each Django start costs seconds)."""
    out = manage(env, "shell", "-c", before + FINGERPRINT)
    return json.loads(out.split("FINGERPRINT", 1)[1])


@pytest.fixture
def database_url(tmp_path):
    """A database of this test's own: a SQLite file, or a new PostgreSQL database on the suite's server."""
    current = os.environ.get("DATABASE_URL", "")
    if not current.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(current)
    name = f"obs_backup_{uuid.uuid4().hex[:8]}"
    admin = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"],
                 "password": config["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield current.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_cases_history_and_moderation_events(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true", "LOG_LEVEL": "ERROR",
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "PYTHON": sys.executable}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage(env, "migrate", "--noinput", "-v0")
    before = fingerprint(env, CREATE)
    assert len(before["cases"]) >= 6 and before["history"] and len(before["events"]) >= 2
    assert ["Précisez le budget." in event for event in before["events"]].count(True) == 1

    backup = tmp_path / ("backup.dump" if database_url.startswith("postgres") else "backup.sqlite3")
    assert run(env, "scripts/backup.sh", str(backup)).strip() == str(backup)
    # What a restore is for: the data changed (or was lost) since.
    assert fingerprint(env, DAMAGE)["cases"] == []

    run(env, "scripts/restore.sh", str(backup))
    assert fingerprint(env) == before
