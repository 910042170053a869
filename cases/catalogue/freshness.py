"""Aggregates cached under a data version: fresh at once after any write, constant cost per page.

Facet counts, statistics tables, map data, key figures and the ordered ids of a filtered list are each
one GROUP BY (or sort) over every matching case: their cost grows with the number of cases. They are
cached under a key that holds the *data version*, a counter in the shared cache that every write bumps:
a write makes every older entry unreachable, so nothing is ever served stale and nothing needs deleting
(entries age out, Redis evicts the least used).

Who bumps: a ``post_save``/``post_delete`` receiver on every model an aggregate reads (cases, tools,
secondary themes, collection methods, territories) — so services, the admin and loaders are all
covered whatever path they take — when the write touches a published case (or one leaving
publication: drafts and submissions weigh in no aggregate, so they invalidate nothing); plus the few
bulk writes that send no signal (``case_reindex``'s ``UPDATE``, the territory loader, the benchmark's
``bulk_create``), which call ``data_changed()``.

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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import get_language

VERSION_KEY = "observatory:data-version"
# Entries are unreachable after the next write anyway; the timeout only bounds memory on a quiet site.
TIMEOUT = 6 * 3600
# How long a request waits for another process computing the same entry before computing it itself.
COMPUTE_WAIT = 5


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


def params_key(params, *, drop=(), every_param: bool = False) -> str:
    """A stable digest of the filter parameters (order-insensitive, repeated values sorted).

    Only parameters the shared FilterSet knows count: an unknown one cannot multiply cache entries.
    With ``every_param``, every parameter counts but the ``_``-prefixed cache-busters, which never
    change an answer.
    """
    from .filters import CaseFilterSet

    known = set(CaseFilterSet.base_filters)

    def counts(name):
        return name not in drop and (not name.startswith("_") if every_param else name in known)

    if params is None:
        items = []
    elif hasattr(params, "lists"):
        items = [(name, sorted(values)) for name, values in params.lists() if counts(name)]
    else:
        items = [(name, sorted(value) if isinstance(value, list | tuple) else [value])
                 for name, value in dict(params).items() if counts(name)]
    text = repr(sorted((str(name), [str(v) for v in values]) for name, values in items if every_param or any(values)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached(kind: str, params, compute, *, drop=(), per_language: bool = False, every_param: bool = False):
    """``compute()``'s value for ``params`` at the current data version, computed at most once per version.

    ``every_param``: key on every parameter, not only the FilterSet's — for a ``compute`` that also
    validates the query, since an unknown parameter must reach it (and get its 400) every time.
    """
    language = get_language() if per_language else "-"
    key = f"observatory:{kind}:{data_version()}:{language}:{params_key(params, drop=drop, every_param=every_param)}"
    value = cache.get(key)
    if value is not None:
        return value
    # Right after a write every visitor finds the same entries missing. One process computes each; the
    # others wait for its value (a bounded time) instead of computing the same aggregate side by side.
    lock = f"{key}:computing"
    if not cache.add(lock, 1, COMPUTE_WAIT):
        deadline = time.monotonic() + COMPUTE_WAIT
        while time.monotonic() < deadline and cache.get(lock) is not None:  # gone: computed, or failed
            time.sleep(0.02)
        value = cache.get(key)
        if value is not None:
            return value
    try:
        value = compute()
        cache.set(key, value, TIMEOUT)
    finally:
        cache.delete(lock)
    return value


def case_is_public(case_id) -> bool:
    """Whether the case is published now: only published cases are counted, listed, mapped or exported.

    Read from the database, not from an instance that may be stale. A case that is not published (a
    draft, a submission, a rejected or archived case) weighs in no aggregate, so writes to it leave
    every cached entry valid: under load, officials' drafts do not make every visitor recompute.
    """
    from ..vocabularies import CaseStatus
    from .models import Case

    return case_id is not None and Case.objects.filter(pk=case_id, status=CaseStatus.PUBLISHED).exists()


def _case_was_public(sender, instance, raw=False, **kwargs) -> None:
    # pre_save: a published case that stops being published (archived, withdrawn) changes the aggregates too.
    if not raw:
        instance._freshness_was_public = instance.pk is not None and case_is_public(instance.pk)


def _case_changed(sender, instance, raw=False, **kwargs) -> None:
    from ..vocabularies import CaseStatus

    if raw:  # fixture loading: loaddata bumps nothing row by row
        return
    # A deletion or an unknown past counts as public: a needless bump only costs a recomputation.
    was_public = getattr(instance, "_freshness_was_public", True) or "created" not in kwargs
    if was_public or instance.status == CaseStatus.PUBLISHED:
        data_changed()


def _child_changed(sender, instance, raw=False, **kwargs) -> None:
    # After a cascade the case row is gone: its own post_delete bumped if it was published.
    if not raw and case_is_public(instance.case_id):
        data_changed()


def _changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        data_changed()


def connect_signals() -> None:
    """Bump the version on every write that can change what an aggregate reads (called from ``apps.ready``):
    a published case (or one leaving publication), a child of a published case, a territory, a study finding.
    """
    from ..models import Case, CaseCollectionMethod, CaseSecondaryTheme, DigitalTool, StudyFinding, Territory

    pre_save.connect(_case_was_public, sender=Case, dispatch_uid="freshness-before-Case")
    receivers = {Case: _case_changed, DigitalTool: _child_changed, CaseSecondaryTheme: _child_changed,
                 CaseCollectionMethod: _child_changed, Territory: _changed,
                 # A study's joint findings count in the statistics and the facets (cases.research) too.
                 StudyFinding: _changed}
    for model, receiver in receivers.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"freshness-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"freshness-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=StudyFinding.cases.through, dispatch_uid="freshness-finding-cases")
