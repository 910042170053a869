"""``manage.py publish_release``: publish a frozen release of the public data (a Frictionless Data Package).

Re-running it with unchanged data publishes nothing and names the latest release. ``--verify`` checks
that every published release's files are still exactly what was published (size and SHA-256).
"""

from django.core.management.base import BaseCommand, CommandError

from cases.releases.models import Release
from cases.releases.package import publish, verify


class Command(BaseCommand):
    help = "Publie une version figée des données publiques (Data Package Frictionless)."

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true",
                            help="Vérifier les fichiers de toutes les versions publiées au lieu d'en publier une.")

    def handle(self, *args, **options):
        if options["verify"]:
            return self._verify()
        outcome = publish()
        release = outcome.release
        if outcome.created:
            notes = release.notes
            self.stdout.write(self.style.SUCCESS(
                f"Version {release.version} publiée : {release.counts.get('cases', 0)} cas, {len(release.files)} "
                f"fichiers, {release.size} octets ({len(notes['added'])} ajoutés, {len(notes['updated'])} "
                f"modifiés, {len(notes['withdrawn'])} retirés)."))
        else:
            self.stdout.write(f"Données inchangées : la dernière version, {release.version}, reste à jour.")

    def _verify(self):
        failures = 0
        for release in Release.objects.all():
            problems = verify(release)
            failures += len(problems)
            for problem in problems:
                self.stderr.write(problem)
            if not problems:
                self.stdout.write(f"{release.version} : intacte ({len(release.files)} fichiers).")
        if failures:
            raise CommandError(f"{failures} fichier(s) publiés ont changé ou manquent.")
