"""``manage.py purge_unconfirmed_accounts``: delete sign-ups whose address was never confirmed.

Run it daily (cron, systemd timer). A later sign-up takes over an unconfirmed address anyway; this
frees the personal data of sign-ups nobody confirmed.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.contributions.services import accounts_purge_unconfirmed


class Command(BaseCommand):
    help = "Delete the accounts whose e-mail address was never confirmed, after --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="age of a sign-up before it goes (default 7)")

    def handle(self, *args, days, **options):
        count = accounts_purge_unconfirmed(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{count} unconfirmed account(s) deleted.")
