"""Sorting by name sorts on the public name: a pseudonymised case's real title must not place it."""

import pytest
from django.http import QueryDict

from cases.catalogue import selectors
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_title_ordering_uses_the_pseudonym():
    CaseFactory(title="Mairie", slug="m")
    CaseFactory(title="Aaaa vrai nom", pseudonym="Zzz Collectivité", pseudonymised=True, slug="z")
    CaseFactory(title="Bibliothèque", slug="b")
    names = [c.display_name for c in selectors.case_list(filters=QueryDict("ordering=title"))]
    assert names == ["Bibliothèque", "Mairie", "Zzz Collectivité"]
    assert [c.display_name for c in selectors.case_list()] == names  # the default order too
    assert [c.display_name for c in selectors.case_list(filters=QueryDict("ordering=-title"))] == names[::-1]
