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
