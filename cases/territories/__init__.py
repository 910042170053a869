"""Reference territories: every French commune, EPCI, EPT, département and région from the official
geographic code (INSEE COG), loaded from ``cases/data/reference``, never typed by hand.

- ``models.py`` — Territory; ``loading.py`` — ``load_territories`` (idempotent);
- ``selectors.py`` — search by name or code, one territory, filter menus;
- ``geo.py`` — map points and what a pseudonymised case may show of its place;
- ``views.py`` + ``urls.py`` — territory pages, the autocomplete, the data page.
"""
