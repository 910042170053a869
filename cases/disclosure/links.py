"""Links in the free text of a pseudonymised case: found for the moderator, removed from every public value.

No URL of a pseudonymised case is ever public (issue 10): not its website, tool or source links (the
public view withholds those fields), and not a link written *inside* a text either — a Markdown link
``[budget](https://budget.ville-exemple.fr)``, an autolink ``<https://…>``, a bare ``https://…`` or
``www.…``, an e-mail address or a bare domain (``ville-exemple.fr``) names the collectivity as surely
as its name does.

- ``find_links(text)`` lists them, for the review page and the publication gate (``selectors``);
- ``strip_links(text)`` is the text a reader gets: a Markdown link keeps its words and loses its
  destination, everything else that is an address becomes ``LINK_PLACEHOLDER``;
- ``FREE_TEXT_FIELDS`` names the free-text fields of a case and of each child, for every place that
  produces public values (``cases.api.public``, ``cases.catalogue.history``, ``redaction.public_copy``
  for the HTML pages, the search index).

Pure functions of strings (``strip_fields`` only sets attributes): no database, no Django model import.
"""

from __future__ import annotations

import html
import re

# What replaces an address in a public text. Parentheses, not brackets: "[lien retiré](x)" would be a link.
LINK_PLACEHOLDER = "(lien retiré)"

# Free-text fields a reader sees, by model name (a history row's model name without "historical").
FREE_TEXT_FIELDS = {
    "case": ("summary",),
    "digitaltool": ("name", "software", "classification_rationale"),
    "stakeholder": ("name", "role"),
    "factorassessment": ("note",),
    "event": ("title", "description"),
    "source": ("citation", "note"),
}

def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Top-level domains: the country codes in use (IANA), and generic ones seen in French public life. A list
# rather than "any two letters", so that "Node.js" or "fin.Le" (a missing space) are not taken for domains.
COUNTRY_TLDS = _words("""
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz
    ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk
    fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir
    is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk
    ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl
    pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc
    td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
""")
GENERIC_TLDS = _words("""
    com org net info biz edu gov int mobi name pro coop asso museum aero travel jobs app dev site online
    website web page blog cloud tech digital city paris bzh alsace corsica eus bretagne normandie occitanie
    xyz fun social green earth care club agency studio space store shop immo health sante education school
    academy media news press radio art design data events community network solutions services group global
    world today life live email link one plus top
""")
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
# Lower case only (or all capitals): "ville.Le" is a missing space, "VILLE.FR" and "ville.fr" are domains.
_TLDS = sorted(COUNTRY_TLDS + GENERIC_TLDS, key=len, reverse=True)
_TLD = "(?-i:(?:" + "|".join(_TLDS) + ")|(?:" + "|".join(t.upper() for t in _TLDS) + "))"
# Trailing characters that end a sentence rather than an address.
_TRAILING = ".,;:!?'\"»)]}*_"

_MD_TEXT = r"(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*"  # link text: one level of nested brackets
_MD_DEST = r"(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))*)"  # <…>, or no spaces with balanced parentheses
_MD_TITLE = r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?"
MARKDOWN_INLINE = re.compile(rf"!?\[({_MD_TEXT})\]\(\s*({_MD_DEST}){_MD_TITLE}\s*\)")
MARKDOWN_REFERENCE = re.compile(rf"!?\[({_MD_TEXT})\]\[([^\[\]]*)\]")
MARKDOWN_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]+\]:[ \t]*(\S+).*$", re.MULTILINE)
AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]{1,31}:[^\s<>]*)|(?:[^\s<>@]+@[^\s<>]+))>", re.IGNORECASE)
URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]{1,31}://|www\.)[^\s<>]+", re.IGNORECASE)
EMAIL = re.compile(rf"[\w.+-]+@(?:{_LABEL}\.)+{_TLD}\b", re.IGNORECASE)
DOMAIN = re.compile(
    rf"(?<![\w@.-])(?:{_LABEL}\.)*[\w-]{{2,63}}\.{_TLD}(?![\w-])(?:[/?#][^\s<>]*)?", re.IGNORECASE)
NUMERIC_REFERENCE = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});")


def _unescape_numeric(text: str) -> str:
    # "ville-exemple&#46;fr" renders as "ville-exemple.fr": look at what the reader will read.
    return NUMERIC_REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)


def _trim(match: re.Match) -> tuple[str, str]:
    """The address matched, without the sentence punctuation that follows it, and that punctuation.

    A closing parenthesis stays when the address opened it (``…/wiki/Nantes_(ville)``).
    """
    found = kept = match.group(0)
    while kept and kept[-1] in _TRAILING:
        if kept[-1] == ")" and kept.count("(") >= kept.count(")"):
            break
        kept = kept[:-1]
    return kept, found[len(kept):]


def find_links(text: str) -> list[str]:
    """Every address written in ``text``, in order, once each: link destinations, URLs, e-mails, domains."""
    if not text:
        return []
    text = _unescape_numeric(text)
    found = []
    # A reference link ("[texte][1]") is found through its definition ("[1]: https://…").
    found += [m.group(2).strip("<>") or m.group(1) for m in MARKDOWN_INLINE.finditer(text)]
    found += [m.group(1) for m in MARKDOWN_DEFINITION.finditer(text)]
    found += [m.group(1) for m in AUTOLINK.finditer(text)]
    rest = AUTOLINK.sub(" ", MARKDOWN_DEFINITION.sub(" ", text))
    rest = MARKDOWN_REFERENCE.sub(" ", MARKDOWN_INLINE.sub(lambda m: f" {m.group(1)} ", rest))
    for pattern in (URL, EMAIL):
        found += [_trim(m)[0] for m in pattern.finditer(rest)]
        rest = pattern.sub(" ", rest)
    found += [_trim(m)[0] for m in DOMAIN.finditer(rest)]
    return [link for link in dict.fromkeys(found) if link]


def _placeholder(match: re.Match) -> str:
    return LINK_PLACEHOLDER + _trim(match)[1]


def strip_links(text: str) -> str:
    """``text`` without any address: what a reader of a pseudonymised case gets (idempotent)."""
    if not text:
        return text
    text = _unescape_numeric(text)
    text = MARKDOWN_DEFINITION.sub("", text)
    # Links keep their words; an image its alternative text. Applied until stable: link text may nest.
    for _round in range(3):
        stripped = MARKDOWN_REFERENCE.sub(r"\1", MARKDOWN_INLINE.sub(r"\1", text))
        if stripped == text:
            break
        text = stripped
    text = AUTOLINK.sub(LINK_PLACEHOLDER, text)
    for pattern in (URL, EMAIL, DOMAIN):
        text = pattern.sub(_placeholder, text)
    return text


def strip_fields(obj, model_name: str | None = None) -> None:
    """Replace, on ``obj`` itself, each free-text field of its model by its public text."""
    name = (model_name or obj._meta.model_name).removeprefix("historical")
    for field in FREE_TEXT_FIELDS.get(name, ()):
        value = getattr(obj, field, None)
        if value:
            setattr(obj, field, strip_links(value))
