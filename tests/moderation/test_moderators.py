"""Making a moderator from the command line."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.permissions import abilities, is_moderator
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db


def test_grant_and_revoke_moderator(official, capsys):
    call_command("grant_moderator", official.email.upper())
    official.refresh_from_db()
    assert is_moderator(official) and abilities(official)["moderate"]
    assert "est désormais modérateur" in capsys.readouterr().out
    call_command("grant_moderator", official.username, "--revoke")
    assert not is_moderator(get_user_model().objects.get(pk=official.pk))


def test_unknown_account_is_an_error():
    ContributorFactory()
    with pytest.raises(CommandError):
        call_command("grant_moderator", "personne@example.org")
