from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.catalogue.loaders import load_study_cases
from cases.disclosure.gate import DisclosureRefused


class Command(BaseCommand):
    help = "Load (or update in place) the source study's cases A, B, C and its two Covid-19 initiatives."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(settings.STUDY_CASES_FILE), help="Data file to load.")

    def handle(self, *args, **options):
        try:
            stats = load_study_cases(options["file"])
        except DisclosureRefused as refused:
            # Loud, and nothing written: the load is one transaction.
            raise CommandError(f"Study cases not loaded: {refused.messages[0]}") from refused
        if not stats:
            self.stdout.write("Study cases already up to date: nothing changed.")
        for what, count in sorted(stats.items()):
            self.stdout.write(f"{what}: {count}")
