"""Property-based check of the API against its own OpenAPI schema (schemathesis, in-process WSGI).

Every operation of ``/api/schema/`` is called with generated parameters on a database holding the study's
cases and a few placed, pseudonymised and national ones: no response may be a server error or break the
schema. Bounded (``max_examples``) so that it stays a few seconds per operation.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.api.support import fresh_throttle  # noqa: F401

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db, settings_no_throttle, study_cases):
    from tests.factories import CaseFactory, CommuneFactory, RegionFactory

    region = RegionFactory(code="84", latitude=45.5, longitude=4.5)
    CaseFactory(slug="named-case", tools=3, territory=CommuneFactory(region=region, code="69123"))
    CaseFactory(slug="pseudo-case", tools=2, pseudonymised=True, territory=CommuneFactory(region=region))
    CaseFactory(slug="national-case", national=True, tools=1)
    # As Django's test client does: a WSGI request must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        # The fuzzing phase only: the CI step (.ci/run) runs every phase against gunicorn.
        config = SchemathesisConfig.from_dict({"phases": {"examples": {"enabled": False},
                                                          "coverage": {"enabled": False},
                                                          "stateful": {"enabled": False}}})
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), config=config)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def settings_no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    # Every check but one: a well-formed code that names no territory, a page past the last or an unknown
    # case are schema-valid and still refused (400/404) by design — see the README, "Schema checks".
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
