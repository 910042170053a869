"""Recompute every case's public values (cases.disclosure): after a new reference vintage, a change of
DISCLOSURE_MIN_K, or rows written in bulk (bench/synthetic.py) that bypassed ``Case.save``."""

from django.core.management.base import BaseCommand

from cases.disclosure.selectors import public_values
from cases.models import Case


class Command(BaseCommand):
    help = "Recompute the generalised public values of every case (disclosure control)."

    def handle(self, *args, **options):
        changed = failing = 0
        for case in Case.objects.select_related("territory", "territory__region").iterator(chunk_size=500):
            values = public_values(case)
            if any(getattr(case, name) != value for name, value in values.items()):
                Case.objects.filter(pk=case.pk).update(**values)
                changed += 1
            if case.is_pseudonymised and values["disclosure_k"] is not None and case.status == "published":
                from django.conf import settings

                failing += values["disclosure_k"] < settings.DISCLOSURE_MIN_K
        self.stdout.write(f"{changed} case(s) updated; {failing} published pseudonymised case(s) below the minimum k.")
