"""How to cite a case profile: an APA-style reference and a BibTeX entry, built on the server.

A pseudonymised case is cited under its pseudonym only (``display_name``), like everywhere else.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

PUBLISHER = "Observatoire de la co-création numérique locale"

# BibTeX's special characters, escaped so that titles such as "Budget 100 % citoyen" compile.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)


@dataclass(frozen=True)
class Citation:
    apa: str
    bibtex: str
    key: str


def case_citation(case, *, url: str, accessed: date) -> Citation:
    """The citation of ``case``'s public profile at ``url`` (its permalink), consulted on ``accessed``."""
    stamp = case.published_at or case.updated_at
    year = str(stamp.year) if stamp else _("s. d.")
    name = case.display_name
    apa = _("%(publisher)s. (%(year)s). %(title)s [Fiche de cas]. Consulté le %(accessed)s, à l'adresse %(url)s") % {
        "publisher": PUBLISHER, "year": year, "title": name, "accessed": date_format(accessed), "url": url,
    }
    key = "observatoire-" + re.sub(r"[^a-z0-9]+", "-", case.slug.lower()).strip("-") + (f"-{year}" if stamp else "")
    fields = [
        ("author", "{" + bibtex_escape(PUBLISHER) + "}"),
        ("title", bibtex_escape(name)),
        ("year", year if stamp else ""),
        ("howpublished", r"\url{" + url + "}"),
        ("url", url),
        ("urldate", accessed.isoformat()),
        ("note", bibtex_escape(_("Fiche de cas"))),
    ]
    body = ",\n".join(f"  {field} = {{{value}}}" for field, value in fields if value)
    return Citation(apa=apa, bibtex=f"@misc{{{key},\n{body}\n}}", key=key)
