"""Retry the e-mails that could not be sent when they were written (mail server down): run from cron."""

from django.core.management.base import BaseCommand

from cases.outbox.services import send_queued


class Command(BaseCommand):
    help = "Envoie les e-mails en attente (échecs précédents du serveur de messagerie)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="au plus ce nombre de messages")

    def handle(self, *args, limit=None, **options):
        sent, failed = send_queued(limit=limit)
        self.stdout.write(f"sent={sent} failed={failed}")
        if failed:
            # A non-zero exit status makes cron (or the orchestrator) report the failure.
            raise SystemExit(1)
