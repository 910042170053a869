"""Identifying names in free text: the pure scan behind the moderator's review.

A pseudonymised case must not name itself in its texts. The names looked for are given by
``cases.disclosure.selectors`` (the territory's, its EPCI's, its département's, its neighbours' — the
communes of the same EPCI and département, an approximation of "adjacent" since the reference data has
no contiguity — the host of every URL of the case, and its exact population figures). Text and names are folded with
``cases.text.fold`` (accents, case, punctuation), and a name matches only as whole words, so
"Saint-Étienne" is found in "saint etienne métropole" but "Eu" is not found in "Europe".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..text import fold
from .links import find_links

# Folded names shorter than this are too common as words ("eu", "y", "bu") to be searched usefully.
MIN_NAME_LENGTH = 3


@dataclass(frozen=True)
class Name:
    kind: str  # territory, epci, departement, region, neighbour, domain, figure, link
    text: str  # as written, for the moderator


@dataclass(frozen=True)
class Occurrence:
    where: str  # the field, e.g. "Outil « Carte » — justification"
    name: Name
    excerpt: str  # the folded text around the match


def domain_name(url: str) -> Name | None:
    """The host of ``url`` without ``www.``: ``https://www.ville-exemple.fr/x`` → ``ville-exemple.fr``."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    return Name("domain", host) if host else None


def find_occurrences(texts, names) -> list[Occurrence]:
    """Every ``(where, text)`` of ``texts`` in which one of ``names`` appears as whole folded words."""
    folded_names = []
    for name in names:
        folded = fold(name.text)
        if len(folded.replace(" ", "")) >= MIN_NAME_LENGTH:
            folded_names.append((f" {folded} ", name))
    found = []
    for where, text in texts:
        padded = f" {fold(text)} "
        if padded.strip() == "":
            continue
        seen = set()
        for needle, name in folded_names:
            position = padded.find(needle)
            if position >= 0 and needle not in seen:
                seen.add(needle)
                start = max(0, position - 30)
                found.append(Occurrence(where, name, padded[start:position + len(needle) + 30].strip()))
    return found


def find_link_occurrences(texts) -> list[Occurrence]:
    """Every address (link, URL, e-mail, domain) written in ``(where, text)`` of ``texts``: none may be public."""
    return [Occurrence(where, Name("link", link), link) for where, text in texts for link in find_links(text)]
