"""REST API v1 (Django REST framework): read-only public endpoints, CSV and GeoJSON exports, OpenAPI.

Layout, so that write endpoints (token-authenticated officials and moderators) can be added beside the
read ones without touching them:

- ``public.py``: the ONE public representation of a case (pseudonymisation applied); every serializer,
  CSV row and GeoJSON feature reads cases through it.
- ``filters.py``: the shared ``CaseFilterSet`` wired to DRF, plus the tool and territory filters.
- ``serializers.py``, ``views.py`` (viewsets), ``urls.py``, ``permissions.py``, ``pagination.py``,
  ``renderers.py``, ``throttling.py``, ``exceptions.py``, ``docs.py`` (OpenAPI hooks and guide).
"""
