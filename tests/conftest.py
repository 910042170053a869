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
