"""The public read API v1 (Django REST framework): endpoints, CSV and GeoJSON exports, OpenAPI.

- ``public.py``: the ONE public representation of a case (pseudonymisation applied); every serializer,
  CSV row and GeoJSON feature reads cases through it.
- ``exports.py``: streamed CSV and GeoJSON.
- ``filters.py``: the shared ``CaseFilterSet`` wired to DRF, plus the tool and territory filters.
- ``serializers.py``, ``views.py`` (viewsets), ``urls.py``, ``permissions.py``, ``pagination.py``,
  ``renderers.py``, ``throttling.py``, ``exceptions.py``, ``docs.py`` (OpenAPI hooks and guide).

The token-authenticated write API of officials and moderators is the contributions context's
(``cases.contributions.api``); ``urls.py`` mounts it beside the read endpoints.
"""
