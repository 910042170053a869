"""The data page gives the reference data's provenance in French first, English second (issue 14)."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from cases.territories.reference_notes import CHOICE_REASONS, CHOICE_SOURCES, UPSTREAM

META = json.loads((settings.BASE_DIR / "cases/data/reference/meta.json").read_text(encoding="utf-8"))


def test_every_recorded_choice_and_source_has_a_french_note():
    assert set(META["choices"]) == set(CHOICE_REASONS) == set(CHOICE_SOURCES)
    assert {source["package"] for source in META["sources"]} == set(UPSTREAM)


def test_the_english_notes_are_the_recorded_ones():
    with translation.override("en"):
        for field, choice in META["choices"].items():
            assert str(CHOICE_REASONS[field]) == choice["reason"]


@pytest.mark.django_db
def test_the_french_data_page_is_in_french(client):
    html = client.get("/a-propos-des-donnees/", headers={"accept-language": "fr"}).content.decode()
    assert 'lang="en"' not in html.split("<main", 1)[1]
    assert "Official COG 2026 list" not in html and "perimeter of 2025" not in html
    assert "Liste officielle du COG 2026" in html
    english = client.get("/a-propos-des-donnees/", headers={"accept-language": "en"}).content.decode()
    assert "Official COG 2026 list" in english
