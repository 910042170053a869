"""Territory pages with factories: unknown territories, documented initiatives, pseudonymisation, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CaseFactory, CommuneFactory, EpciFactory

pytestmark = pytest.mark.django_db


def test_unknown_territory_is_a_404(client):
    assert client.get("/territoires/commune/00000/").status_code == 404
    assert client.get("/territoires/nonsense/1/").status_code == 404


def test_documented_initiatives_exclude_pseudonymised_and_unpublished(client):
    commune = CommuneFactory(name="Villebelle")
    CaseFactory(title="Budget participatif de Villebelle", territory=commune)
    CaseFactory(title="Cas secret", pseudonym="Collectivité S", pseudonymised=True, territory=commune)
    CaseFactory(title="Brouillon", territory=commune, draft=True)
    for url in [commune.get_absolute_url(), commune.epci.get_absolute_url(), commune.departement.get_absolute_url(),
                commune.region.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert "Budget participatif de Villebelle" in page, url
        assert "Cas secret" not in page and "Collectivité S" not in page and "Brouillon" not in page


def test_epci_page_query_count_is_constant_in_members_and_cases(client):
    epci = EpciFactory()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(epci.get_absolute_url()).status_code == 200
        return len(ctx)

    CaseFactory(territory=CommuneFactory(epci=epci), tools=2)
    few = count()
    for _ in range(6):
        CaseFactory(territory=CommuneFactory(epci=epci), tools=3)
    assert count() == few
