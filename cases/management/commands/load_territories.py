import time

from django.core.management.base import BaseCommand

from cases.territories.loading import ORDER, REFERENCE_DIR, load_territories


class Command(BaseCommand):
    help = ("Load or update every French commune, EPCI, EPT, département and région from the committed "
            "reference data (COG); idempotent, keeps primary keys.")

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(REFERENCE_DIR), help="Folder of the reference files.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = load_territories(options["directory"])
        elapsed = time.perf_counter() - started
        for kind in ORDER:
            self.stdout.write(f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
                              f"{report.unchanged[kind]} unchanged")
        self.stdout.write(f"Territories loaded in {elapsed:.1f} s" if report.changed
                          else f"Territories already up to date ({elapsed:.1f} s)")
