"""The observatory's one Django app, ``cases``, organised as one package per context.

- ``territories/`` — reference territories (INSEE COG): model, loading, search, pages.
- ``catalogue/`` — cases and their evidence: model, shared FilterSet, selectors, services, public pages
  (list, profile, history, compare, map, statistics, methodology), the study's loader.
- ``contributions/`` — officials: accounts, profiles, working copies and proposed updates, the guided
  form, the token write API.
- ``moderation/`` — the workflow (transitions and their append-only log), the queue, decisions, e-mails.
- ``api/`` — the public read API (DRF) and its exports.

Shared by all: ``vocabularies`` (controlled vocabularies), ``permissions`` (the one gate),
``models`` (the registry Django loads), ``text``, ``markdown``, ``mail``, ``admin``, ``checks``,
``urls`` (one ``cases`` namespace for every page). Writes go through each context's ``services``,
reads through its ``selectors``.

One app rather than five: the contexts share one app label, so tables, migrations, content types,
permissions and admin URLs stay exactly as they were.
"""
