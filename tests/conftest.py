import pytest
from django.core.management import call_command


@pytest.fixture
def study_cases(db):
    """The source study's five cases, loaded by the real command."""
    call_command("load_study_cases", verbosity=0)


@pytest.fixture
def moderator(db):
    from tests.factories import UserFactory

    return UserFactory(moderator=True)


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(superuser=True)


@pytest.fixture(scope="session", autouse=True)
def _connections_end_with_their_request():
    """The live server (browser and export-reader tests) answers each request in a thread of its own.
    Production keeps a connection for a minute (CONN_MAX_AGE); kept here, the thread's last one outlived
    the run and PostgreSQL refused to drop the test database ("being accessed by other users")."""
    from django.db import connections

    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the (process-wide) cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def official(db):
    """An active official (a contributor) with a declared collectivity."""
    from tests.factories import ContributorFactory

    return ContributorFactory()


@pytest.fixture
def other_official(db):
    from tests.factories import ContributorFactory

    return ContributorFactory()
