"""Text normalisation shared by every search: accents, case and punctuation folded away.

Stored search columns hold the folded text and queries are folded the same way, so search is accent-
and case-insensitive on SQLite and PostgreSQL alike, without a database extension.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """``"Saint-Étienne, L'Haÿ"`` → ``"saint etienne l hay"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", ascii_only).strip()


def terms(query: str) -> list[str]:
    """The distinct folded words of a query, in order."""
    return list(dict.fromkeys(fold(query).split()))
