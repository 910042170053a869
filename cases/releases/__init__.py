"""Frozen, citable releases of the public data (issue 12): a Frictionless Data Package per version.

- ``models``    Release: the record of a published version (insert-only);
- ``tables``    the tables of a release and their Table Schemas, read from the public representation;
- ``package``   ``publish_release``: writes the package once, and ``verify`` checks it never changed;
- ``codebook``  the package's README (data dictionary, FR/EN labels);
- ``citation``  APA, BibTeX, CITATION.cff, DataCite JSON;
- ``licence``   the licence of the case data (Licence Ouverte 2.0), and its ``Link`` header on the API;
- ``metadata``  DCAT (JSON-LD) and schema.org ``Dataset`` for harvesters;
- ``views``, ``urls``, ``api``  the /donnees/ page, the files, ``/api/v1/releases/``.
"""
