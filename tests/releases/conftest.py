"""Fixtures of the release tests: a storage in a temporary folder, and a small catalogue to publish."""

import pytest

from tests.factories import (
    CaseFactory,
    EventFactory,
    FactorAssessmentFactory,
    SourceFactory,
    StakeholderFactory,
)


@pytest.fixture(autouse=True)
def releases_storage(settings, tmp_path):
    """Every test publishes into its own folder (Django resets ``storages`` when STORAGES changes)."""
    settings.STORAGES = {**settings.STORAGES, "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "rel")}}}
    settings.SITE_URL = "https://observatoire.example"
    return tmp_path / "rel"


@pytest.fixture
def catalogue(db):
    """A named case with every kind of child, a pseudonymised case, a national one, and a draft."""
    named = CaseFactory(slug="named-case", title="Ville Nommée", tools=2, website="https://ville.example")
    source = SourceFactory(case=named, url="https://ville.example/deliberation")
    StakeholderFactory(case=named, source=source)
    FactorAssessmentFactory(case=named, source=source)
    EventFactory(case=named)
    hidden = CaseFactory(slug="pseudo-case", title="Secret Town", pseudonymised=True, tools=1,
                         website="https://secret-town.example")
    SourceFactory(case=hidden, url="https://secret-town.example/report")
    CaseFactory(slug="national-case", national=True, tools=1)
    CaseFactory(slug="draft-case", draft=True, tools=1)
    return {"named": named, "pseudonymised": hidden}
