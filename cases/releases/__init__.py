"""Frozen, citable releases of the public data (issue 12): a Frictionless Data Package per version.

- ``licence``   the licence of the case data (Licence Ouverte 2.0) in every form it is stated;
- ``tables``    the tables of a release and their Table Schemas, read from the public representation;
- ``package``   ``publish_release``: writes the package once, checks it never changes;
- ``citation``  APA, BibTeX, CITATION.cff, DataCite JSON;
- ``metadata``  DCAT (JSON-LD) and schema.org ``Dataset`` for harvesters;
- ``views``, ``urls``, ``api``  the /donnees/ page, the files, ``/api/v1/releases/``.
"""
