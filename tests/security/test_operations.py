"""Operations: e-mails leave after the commit and a mail-server failure loses nothing (the outbox); deploy
checks that fail on a weakened CSP, a proxy without NUM_PROXIES or a development mail backend; axe-core
never collected; port 8000 published on the loopback only; JSON logs."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from smtplib import SMTPException

import pytest
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.checks import run_checks
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from cases.models import OutgoingEmail
from cases.vocabularies import CaseStatus
from tests.contributions.utils import complete_payload, form_data
from tests.factories import CommuneFactory

ROOT = Path(__file__).resolve().parents[2]


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("451 mail server down")


@pytest.mark.django_db
def test_a_mail_server_failure_loses_no_submission_and_the_mail_is_retried(
    client, official, moderator, settings, django_capture_on_commit_callbacks
):
    from cases.contributions.services import contribution_start

    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    commune = CommuneFactory()
    draft = contribution_start(actor=official, title="Budget participatif", territory=commune)
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:contrib_edit", args=[draft.pk]),
                               form_data(complete_payload(commune), "submit"))
    assert response.status_code == 302  # not a 500: the submission is saved
    draft.refresh_from_db()
    assert draft.status == CaseStatus.SUBMITTED
    pending = OutgoingEmail.objects.filter(sent_at__isnull=True)
    assert {m.recipient for m in pending} == {official.email, moderator.email}
    assert all(m.attempts == 1 and "mail server down" in m.last_error for m in pending)

    with pytest.raises(SystemExit):  # cron hears of it
        call_command("send_queued_mail")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_mail")
    from django.core import mail

    assert sorted(m.to[0] for m in mail.outbox) == sorted([official.email, moderator.email])
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert set(OutgoingEmail.objects.values_list("body", flat=True)) == {""}  # no one-time link kept


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_sends_nothing(moderator):
    from django.db import transaction

    from cases.moderation.workflow import case_submit
    from tests.factories import CaseFactory

    case = CaseFactory(status=CaseStatus.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_submit(case=case, actor=moderator)
        raise RuntimeError("rolled back")
    assert not OutgoingEmail.objects.exists()


def deploy_errors():
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("observatory.E")}


def test_deploy_checks_fail_on_a_weakened_csp(settings):
    assert not {"observatory.E010", "observatory.E011", "observatory.E012"} & deploy_errors()
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": ["'self'", "'unsafe-inline'"]}}
    assert "observatory.E012" in deploy_errors()
    settings.CONTENT_SECURITY_POLICY = {"REPORT_ONLY": True}
    assert "observatory.E011" in deploy_errors()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csp" not in m]
    assert "observatory.E010" in deploy_errors()


def test_deploy_checks_fail_on_a_proxy_without_num_proxies(settings):
    assert not {"observatory.E021", "observatory.E022"} & deploy_errors()
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "observatory.E022" in deploy_errors()
    settings.NUM_PROXIES = 1
    assert "observatory.E021" in deploy_errors()  # DRF would still read the forged header
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert not {"observatory.E021", "observatory.E022"} & deploy_errors()


def test_deploy_checks_fail_on_a_development_mail_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "observatory.E030" in deploy_errors()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "observatory.E030" not in deploy_errors()


def test_production_defaults_to_smtp_and_development_to_the_console():
    def backend(debug):
        env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "x" * 60}
        env.pop("EMAIL_BACKEND", None)
        code = "import observatory.settings as s; print(s.EMAIL_BACKEND, s.LOG_FORMAT)"
        return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.split()

    assert backend("false") == ["django.core.mail.backends.smtp.EmailBackend", "json"]
    assert backend("true") == ["django.core.mail.backends.console.EmailBackend", "text"]


def test_axe_core_is_not_collected_for_production():
    from django.apps import apps

    ignore = apps.get_app_config("staticfiles").ignore_patterns
    collected = [path for finder in [FileSystemFinder()] for path, _storage in finder.list(ignore)]
    assert "vendor/leaflet/leaflet.js" in collected
    assert not [path for path in collected if "axe" in path]


def test_compose_publishes_the_site_on_the_loopback_only():
    compose = (ROOT / "docker-compose.yml").read_text()
    published = re.findall(r'^\s*-\s*"?([\d.:\[\]]+)"?\s*$', compose.split("ports:")[1].split("\n\n")[0], re.M)
    assert published and all(port.startswith("127.0.0.1:") for port in published)


def test_logs_are_json_lines(settings, capsys):
    from pythonjsonlogger.json import JsonFormatter

    formatter_settings = dict(settings.LOGGING["formatters"]["json"])
    formatter_settings.pop("()")
    formatter = JsonFormatter(formatter_settings.pop("fmt"), **formatter_settings)
    record = logging.LogRecord("cases", logging.ERROR, __file__, 1, "e-mail %s not sent", (7,), None)
    line = json.loads(formatter.format(record))
    assert line["level"] == "ERROR" and line["message"] == "e-mail 7 not sent" and line["name"] == "cases"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"  # DEBUG off, as in production


def test_compose_file_is_consistent():
    """`docker compose config` runs in CI where the compose plugin exists (.ci/run); this is the part of it
    that needs no Docker: services, dependencies, and every ${VARIABLE} documented in .env.example."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "mailer"}
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name
    assert services["mailer"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "HEALTHCHECK" in (ROOT / "Dockerfile").read_text()  # what service_healthy waits for
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert used <= documented
    assert "load_territories" in (ROOT / "scripts" / "entrypoint.sh").read_text()


@pytest.mark.django_db
def test_a_message_being_sent_is_not_sent_again_by_another_sender(monkeypatch):
    from django.core import mail
    from django.core.mail.backends.locmem import EmailBackend

    from cases.outbox.services import send_queued

    OutgoingEmail.objects.create(subject="Objet", body="Texte", recipient="a@example.org")
    real_send = EmailBackend.send_messages
    nested = []

    def send_while_cron_runs(self, messages):
        nested.append(send_queued())  # the cron job starts while the on-commit sender is sending
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_while_cron_runs)
    assert send_queued() == (1, 0)
    assert nested == [(0, 0)] and len(mail.outbox) == 1
