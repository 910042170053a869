"""Aggregates cached under a data version: fresh at once after any write, constant cost per page.

Facet counts, statistics tables, map data, key figures and the ordered ids of a filtered list are each
one GROUP BY (or sort) over every matching case: their cost grows with the number of cases. They are
cached under a key that holds the *data version*, a counter in the shared cache that every write bumps:
a write makes every older entry unreachable, so nothing is ever served stale and nothing needs deleting
(entries age out, Redis evicts the least used).

Who bumps: a ``post_save``/``post_delete`` receiver on every model an aggregate reads (cases, tools,
secondary themes, collection methods, territories) — so services, the admin and loaders are all
covered whatever path they take — plus the few bulk writes that send no signal (``case_reindex``'s
``UPDATE``, the territory loader, the benchmark's ``bulk_create``), which call ``data_changed()``.

The version is bumped twice: at once, so the writer's own next read (in the same transaction) is
fresh, and again on commit, because a concurrent reader may have cached the *pre-commit* rows under the
first bump; the second makes that entry unreachable too. Several processes share the version through
the cache, which is why production sets ``REDIS_URL`` (the in-process cache is one process's only),
with an eviction policy (``allkeys-lru`` in docker-compose.yml) since every filter set has its entries.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "observatory:data-version"
# Entries are unreachable after the next write anyway; the timeout only bounds memory on a quiet site.
TIMEOUT = 6 * 3600


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock-based start: a restarted or flushed cache never reuses an older version number.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.set(VERSION_KEY, time.time_ns(), None)


def data_changed() -> None:
    """Make every cached aggregate stale: now, and again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def params_key(params, *, drop=()) -> str:
    """A stable digest of the filter parameters (order-insensitive, repeated values sorted).

    Only parameters the shared FilterSet knows count: an unknown one cannot multiply cache entries.
    """
    from .filters import CaseFilterSet

    known = set(CaseFilterSet.base_filters) - set(drop)
    if params is None:
        items = []
    elif hasattr(params, "lists"):
        items = [(name, sorted(values)) for name, values in params.lists() if name in known]
    else:
        items = [(name, sorted(value) if isinstance(value, list | tuple) else [value])
                 for name, value in dict(params).items() if name in known]
    text = repr(sorted((str(name), [str(v) for v in values]) for name, values in items if any(values)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached(kind: str, params, compute, *, drop=(), per_language: bool = False):
    """``compute()``'s value for ``params`` at the current data version, computed at most once per version."""
    language = get_language() if per_language else "-"
    key = f"observatory:{kind}:{data_version()}:{language}:{params_key(params, drop=drop)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixture loading: loaddata bumps nothing row by row
        return
    data_changed()


def connect_signals() -> None:
    """Bump the version on every save or delete of a row an aggregate reads (called from ``apps.ready``)."""
    from ..models import Case, CaseCollectionMethod, CaseSecondaryTheme, DigitalTool, StudyFinding, Territory

    # A study's joint findings count in the statistics and the facets (cases.research) too.
    for model in (Case, DigitalTool, CaseSecondaryTheme, CaseCollectionMethod, Territory, StudyFinding):
        post_save.connect(_changed, sender=model, dispatch_uid=f"freshness-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"freshness-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=StudyFinding.cases.through, dispatch_uid="freshness-finding-cases")
