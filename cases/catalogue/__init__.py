"""The catalogue of cases: the domain model and everything a reader of the public site sees.

- ``models.py`` — Case and its children; ``querysets.py`` — ``published()`` and prefetching;
- ``filters.py`` — the one ``CaseFilterSet`` shared by the HTML list, the map and the API;
- ``selectors.py`` — every read of published cases; ``statistics.py``, ``charts.py``, ``citation.py``,
  ``history.py`` (published versions, "as of" a date) — reads for one page each;
- ``services.py`` — writes to a case and its children;
- ``loaders.py`` — the source study's cases (``manage.py load_study_cases``);
- ``views/`` — ``profile`` (home, profile, history), ``listing`` (list, compare), ``map``, ``pages``
  (statistics, methodology, accessibility), ``filtering`` (facets shared by them); ``urls.py``.
"""
