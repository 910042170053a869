"""Reads of the reference territories: search by name or official code, one territory, filter menus."""

from django.db.models import F, Q, QuerySet
from django.http import Http404

from ..models import Territory
from ..text import terms

TERRITORY_SYNONYMS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def territory_search(*, query: str, kinds=None, limit: int = 20) -> QuerySet[Territory]:
    """Territories whose name holds every word of ``query`` as a word prefix, largest first.

    Accent-, case-, punctuation- and word-order-insensitive ("saint etienne", "St-Étienne",
    "etienne saint"); a query that is an official code (INSEE or SIREN) matches that code too.
    """
    words = [TERRITORY_SYNONYMS.get(w, w) for w in terms(query)]
    queryset = Territory.objects.with_parents()
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if not words:
        return queryset.none()
    by_name = Q()
    for word in words:
        by_name &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    by_code = Q(code__iexact=query.strip()) | Q(siren=query.strip())
    return queryset.filter(by_name | by_code).order_by(F("population").desc(nulls_last=True), "name")[:limit]


def territory_get(*, kind: str, code: str) -> Territory:
    try:
        return Territory.objects.with_parents().get(kind=kind, code=code)
    except Territory.DoesNotExist:
        raise Http404 from None


def territory_choices(kind: str, region: str = "") -> list[tuple[str, str]]:
    """``(code, name)`` of every territory of ``kind`` (régions, départements) for filter menus; only those
    of the région whose code is ``region``, when given."""
    queryset = Territory.objects.filter(kind=kind)
    if region:
        queryset = queryset.filter(region__code=region.strip().upper())
    return list(queryset.order_by("code").values_list("code", "name"))
