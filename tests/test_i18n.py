"""The English catalogue: complete, well-formed, and actually served when a visitor asks for English.

French is the source language (the strings in the code and templates); English comes from
cases/locale/en/LC_MESSAGES/django.po. The .mo is not committed: the page tests compile the committed
.po into a temporary LOCALE_PATHS so they test what is in git, not whatever .mo lies in the work tree.
"""
import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from cases.vocabularies import CoproductionMode

PO_FILE = Path(settings.BASE_DIR) / "cases" / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _parse_po(path):
    """Entries of a .po file as dicts {flags, msgctxt, msgid, msgid_plural, msgstr: {n: text}}, obsolete ones skipped.

    Just enough of the format for these checks (the stdlib has no .po reader): an entry ends where the next
    one's comments or keywords start after a msgstr, blank line or not.
    """
    entries, entry, current = [], None, None

    def new_entry():
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if entry is None or (starts_entry and entry["msgstr"]):
            entry, current = new_entry(), None
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(current, int):
                entry["msgstr"][current] += ast.literal_eval(line)
            else:
                entry[current] += ast.literal_eval(line)
        else:
            keyword, _space, literal = line.partition(" ")
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                current = int(match.group(1) or 0)
                entry["msgstr"][current] = ast.literal_eval(literal)
            else:
                current = keyword
                entry[keyword] = ast.literal_eval(literal)
    return [e for e in entries if e["msgid"] is not None]


@pytest.fixture(scope="module")
def catalogue():
    entries = _parse_po(PO_FILE)
    header = next(e for e in entries if e["msgid"] == "")
    return header, [e for e in entries if e["msgid"] != ""]


def _label(entry):
    return f"{entry['msgctxt'] + ' | ' if entry['msgctxt'] else ''}{entry['msgid']}"


def test_catalogue_header_is_final(catalogue):
    header, _entries = catalogue
    assert "fuzzy" not in header["flags"]  # a fuzzy header is skipped by msgfmt: plural forms would be lost
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    _header, entries = catalogue
    assert len(entries) > 500
    fuzzy = [_label(e) for e in entries if "fuzzy" in e["flags"]]
    untranslated = [_label(e) for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    assert fuzzy == []
    assert untranslated == []
    plural = [e for e in entries if e["msgid_plural"]]
    assert plural and all(sorted(e["msgstr"]) == [0, 1] for e in plural)


def test_translations_keep_the_placeholders(catalogue):
    _header, entries = catalogue
    wrong = []
    for e in entries:
        for index, msgstr in e["msgstr"].items():
            source = e["msgid_plural"] if index and e["msgid_plural"] else e["msgid"]
            expected, got = set(PLACEHOLDER.findall(source)), set(PLACEHOLDER.findall(msgstr))
            if e["msgid_plural"] and index == 0:  # "one tool" may leave out the count
                expected.discard("%(counter)s"), got.discard("%(counter)s")
            if expected != got:
                wrong.append((_label(e), index, sorted(expected), sorted(got)))
    assert wrong == []


def test_msgfmt_accepts_the_catalogue(tmp_path):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_FILE)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_agreed_terminology():
    with translation.override("en"):
        assert [str(mode.label) for mode in CoproductionMode] == [
            "Consumer co-production", "Participative co-production", "Enhanced co-production"]


# --- pages -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory):
    """The committed .po compiled into a LOCALE_PATHS of its own (changing the setting resets Django's caches)."""
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (apt-get install gettext)"
    root = tmp_path_factory.mktemp("locale")
    target = root / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(PO_FILE)], check=True)
    return root


@pytest.fixture
def english_catalogue(compiled_locale, settings):
    settings.LOCALE_PATHS = [compiled_locale]
    yield
    translation.activate(settings.LANGUAGE_CODE)


def text_of(response):
    # A continuum mode's name in the other language sits beside it on purpose (issue 14), marked with its
    # own ``lang``: it is not a missing translation.
    html = re.sub(r'<span class="other-name" lang="[a-z]+">.*?</span>', " ", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


ENGLISH_PAGES = {
    "/": ["Observatory of local digital co-creation", "Skip to content", "Key figures",
          "Consumer co-production", "Participative co-production", "Enhanced co-production"],
    "/cas/": ["Browse the cases", "Filter the cases", "Apply the filters", "Main theme", "Consumer co-production"],
    "/methodologie/": ["Methodology and codebook", "The co-production continuum", "Consumer co-production",
                       "Enhanced co-production", "Stakeholder helices", "fewer than 2,000 inhabitants"],
    "/a-propos-des-donnees/": ["About the data", "Territorial reference data", "Sources and licences",
                               "Territories loaded"],
    "/donnees/": ["Open data", "Frozen releases", "No release yet.", "free reuse, commercial included", "Live data"],
}
FRENCH_INTERFACE = ["Aller au contenu", "Navigation principale", "Chiffres clés", "Parcourir les cas",
                    "Appliquer les filtres", "Méthodologie et codebook", "Données de référence territoriales",
                    "Co-production active", "Co-production renforcée"]


def test_pages_in_english_after_choosing_the_language(client, study_cases, english_catalogue):
    for url, expected_texts in ENGLISH_PAGES.items():
        response = client.post("/i18n/setlang/", {"language": "en", "next": url})
        assert response.status_code == 302
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode(), url
        page = text_of(response)
        for expected in expected_texts:
            assert expected in page, (url, expected)
        for french in FRENCH_INTERFACE:
            assert french not in page, (url, french)


def test_pages_in_english_from_the_browser_preference(client, study_cases, english_catalogue):
    for url, expected_texts in ENGLISH_PAGES.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode(), url
        assert expected_texts[0] in text_of(response), url


@pytest.mark.parametrize("accept_language", [None, "de-DE,de;q=0.9"])
def test_french_is_the_default(client, study_cases, english_catalogue, accept_language):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    for url in ENGLISH_PAGES:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert '<html lang="fr">' in response.content.decode(), url
        page = text_of(response)
        assert "Aller au contenu" in page and "Skip to content" not in page, url
        if url in ("/", "/methodologie/"):
            assert "Co-production active" in page and "Consumer co-production" not in page, url
