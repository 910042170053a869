"""Every read of published cases for pages, the API and exports (territories: ``cases.territories.selectors``).

Selectors return querysets with their ``select_related``/``prefetch_related`` already set, so a page
runs the same number of queries whatever the number of rows.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from ..disclosure.redaction import public_copy
from ..models import Case, DigitalTool, StudyFinding
from ..permissions import abilities, is_moderator
from ..territories.geo import Place
from ..text import fold
from ..vocabularies import (
    POPULATION_BANDS,
    Carrier,
    CoproductionMode,
    Disclosure,
    ManagementMode,
    Theme,
    ToolStatus,
    ToolType,
)
from . import facts
from .filters import CaseFilterSet
from .freshness import cached, params_key

# Query parameters that never narrow the cases (pages, comparison basket, order).
NON_FILTER_PARAMS = ("page", "cas", "ordering", "page_size", "format")


def case_filterset(*, filters=None, user=None) -> CaseFilterSet:
    """The shared FilterSet bound to ``filters`` (a QueryDict or dict) over the published cases."""
    return CaseFilterSet(filters or {}, queryset=Case.objects.published().with_public_name())


def case_list(*, filters=None, user=None) -> QuerySet[Case]:
    """Published cases matching ``filters``, ready for list cards (territory, tools prefetched).

    Invalid filter values are ignored here; pages show ``case_filterset(...).errors`` next to the
    field and the API answers 400.
    """
    queryset = case_filterset(filters=filters, user=user).qs
    if not queryset.query.order_by:
        # Never the primary key, even to break ties: its creation order would place a case pseudonymised
        # after publication where its named self was (the slug is public and unique).
        queryset = queryset.order_by("public_name", "slug")
    return queryset.with_profile()


def case_list_keys(*, filters=None, user=None) -> QuerySet[Case]:
    """The published cases matching ``filters``, unordered, as their ``pk`` and ``public_id`` only: what a
    cursor page (``cases.api.pagination``) sorts and slices on the unique ``public_id`` index."""
    return case_filterset(filters=filters, user=user).qs.order_by().only("pk", "public_id")


class CaseIdList(Sequence):
    """A filtered, ordered list of published cases held as their ids; slicing it fetches those cases.

    ``Paginator`` takes it like a queryset: its length is the count, a page is one ``pk IN (…)`` query
    (plus the prefetches of ``with_profile``), whatever the page number — no ``OFFSET`` scan.
    """

    def __init__(self, ids, loader=None):
        self.ids = ids
        self.loader = loader  # ``loader(ids)`` → cases in that order; default: ``with_profile``

    def __len__(self):
        return len(self.ids)

    def count(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0] if index >= 0 else self[len(self) + index:][0]
        wanted = self.ids[index]
        if not wanted:
            return []
        return LazyCases(wanted, self.loader or _with_profile)


def _with_profile(ids) -> list[Case]:
    by_pk = {case.pk: case for case in Case.objects.with_public_name().with_profile().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class LazyCases(Sequence):
    """A page of cases, read from the database when first iterated: a page whose cards' HTML is cached
    (``ids_key``) renders without reading them at all."""

    def __init__(self, ids, loader):
        self.ids, self._loader, self._cases = ids, loader, None

    @property
    def ids_key(self) -> str:
        return hashlib.sha256(repr(self.ids).encode()).hexdigest()[:32]

    def _loaded(self) -> list[Case]:
        if self._cases is None:
            self._cases = self._loader(self.ids)
        return self._cases

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        return self._loaded()[index]

    def __iter__(self):
        return iter(self._loaded())


TITLE_ORDER = ("public_name", "slug")


def case_list_ids(*, filters=None, user=None, default_ordering=TITLE_ORDER, loader=None,
                  validate=None) -> CaseIdList:
    """``case_list`` as a ``CaseIdList``: the sort over every matching case runs once per data version.

    ``default_ordering`` applies without an ``ordering`` parameter (the API sorts on ``slug``).
    ``validate(filterset)`` raises on a query its caller refuses (the API's 400). It runs with the sort,
    so a query already answered at this data version builds no FilterSet at all; a refused one is never
    cached. Validation reads only the query and the data (territory codes), both part of the cache key.
    """
    def compute():
        if validate is None and default_ordering == TITLE_ORDER and not _selected(filters, "ordering"):
            # The default order of the pages: the matching ids sorted on their rank in it (``facts``).
            # Every matching id is one of the facts' cases (``_Matching``), so every one has a rank.
            return sorted(matching_ids(filters=filters, user=user), key=facts.current().title_rank.__getitem__)
        filterset = case_filterset(filters=filters, user=user)
        if validate is not None:
            validate(filterset)
        queryset = filterset.qs
        if not queryset.query.order_by:
            queryset = queryset.order_by(*default_ordering)
        return list(queryset.values_list("pk", flat=True))

    kind = f"ids:{','.join(default_ordering)}{':validated' if validate is not None else ''}"
    if validate is None:
        ids = cached(kind, filters, compute, drop=("page", "cas", "page_size"))
    else:  # every parameter but the page's reaches ``validate``, unknown ones included
        ids = cached(kind, filters, compute, drop=("page", "page_size"), every_param=True)
    return CaseIdList(ids, loader)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


# (filter parameter, vocabulary) — the facets of the browse page; ``facts.VALUES`` says what each counts.
FACET_FIELDS = [
    ("mode", CoproductionMode),
    ("dominant_theme", Theme),
    ("secondary_theme", Theme),
    ("management_mode", ManagementMode),
    ("carrier", Carrier),
    ("tool_type", ToolType),
    ("tool_status", ToolStatus),
]


def _selected(filters, name) -> list[str]:
    if hasattr(filters, "getlist"):
        return filters.getlist(name)
    value = (filters or {}).get(name, [])
    return value if isinstance(value, list) else [value]


def _without(filters, names):
    data = filters.copy() if hasattr(filters, "copy") else dict(filters or {})
    for name in names:
        data.pop(name, None)
    return data


# Facets whose filter keeps the cases having any chosen value of one fact that ``facts`` indexes (an IN or
# an EXISTS of the FilterSet): the cases a selection gives are the union of the index's sets, no query.
INDEXED_FACETS = tuple(name for name, _vocabulary in FACET_FIELDS)
_NOTHING_CHOSEN = params_key({})


class _Matching:
    """The ids of the published cases matching a filter set, or all of it but one filter: the indexed
    facets from ``facts``, the other filters in one query per distinct set (none when there are none)."""

    def __init__(self, filters, user):
        self.filters, self.user = filters, user
        filterset = case_filterset(filters=filters, user=user)
        filterset.errors  # noqa: B018 - validates: an invalid value applies nowhere, as in the FilterSet's query
        index = facts.current().index
        self.chosen = {name: set().union(*(index[name].get(value, ()) for value in values))
                       for name in INDEXED_FACETS if (values := filterset.form.cleaned_data.get(name))}
        self._queried: dict[str, set] = {}

    def _queried_ids(self, without) -> set:
        data = _without(self.filters, (*INDEXED_FACETS, *without))
        key = params_key(data, drop=NON_FILTER_PARAMS)
        if key not in self._queried:
            published = facts.current().cases
            # Cached: the same région or search recurs under many facet choices, from every process. Kept
            # within the facts' cases: one published while this request ran counts from the next version.
            self._queried[key] = set(published) if key == _NOTHING_CHOSEN else cached(
                "ids-unindexed", data, lambda: set(
                    case_filterset(filters=data, user=self.user).qs.order_by().values_list("pk", flat=True)),
                drop=NON_FILTER_PARAMS) & published.keys()
        return self._queried[key]

    def ids(self, without=None) -> set:
        ids = self._queried_ids(() if without is None or without in INDEXED_FACETS else (without,))
        for name, members in self.chosen.items():
            if name != without:
                ids = ids & members
        return ids


def matching_ids(*, filters=None, user=None) -> set:
    """The ids of the published cases matching ``filters`` (invalid values ignored, as ``case_list``)."""
    return _Matching(filters, user).ids()


def _facet_raw_counts(filters, user) -> dict:
    """Every facet's counts, as plain data (no labels): what the cache keeps.

    Each facet counts the cases matching every *other* filter (``facts``): set intersections, and one
    ids query per distinct set of the filters no index holds (région, bands, search, years…).
    """
    matching = _Matching(filters, user)
    raw = {name: facts.count(name, matching.ids(without=name)) for name, _vocabulary in FACET_FIELDS}
    # Sorted on the name as the database did; the page sorts on the folded name.
    regions = facts.count("region", matching.ids(without="region"))
    raw["region"] = sorted(((code, name, n) for (code, name), n in regions.items()), key=lambda row: row[1])
    for name in ("population_city_band", "population_epci_band"):
        counts = facts.count(name, matching.ids(without=name))
        raw[name] = {code: counts.get(code, 0) for code, _low, _high, _label in POPULATION_BANDS}
    return raw


def case_facets(*, filters=None, user=None) -> list[Facet]:
    """Each facet's options with the number of cases they would give.

    Counts are disjunctive: a facet is counted with every *other* filter applied, so ticking a second
    option of the same facet shows how many cases it adds. One query per facet, whatever the row count,
    and none at all while the data have not changed (``freshness``: cached under the data version).
    """
    raw = cached("facets", filters, lambda: _facet_raw_counts(filters, user), drop=NON_FILTER_PARAMS)
    facets = []
    for name, vocabulary in FACET_FIELDS:
        counts = raw[name]
        chosen = set(_selected(filters, name))
        facets.append(Facet(
            name=name,
            label=str(CaseFilterSet.base_filters[name].label),
            options=[FacetOption(value, label, counts.get(value, 0), value in chosen)
                     for value, label in vocabulary.choices if counts.get(value) or value in chosen],
        ))
    chosen = set(_selected(filters, "region"))
    # Sorted in Python on the folded name: databases sort "Île-de-France" after "Provence" (byte order).
    regions = sorted(raw["region"], key=lambda row: fold(row[1]))
    facets.append(Facet("region", str(CaseFilterSet.base_filters["region"].label),
                        [FacetOption(code, name, n, code in chosen) for code, name, n in regions]))
    for name in ("population_city_band", "population_epci_band"):
        counts = raw[name]
        chosen = set(_selected(filters, name))
        facets.append(Facet(name, str(CaseFilterSet.base_filters[name].label), [
            FacetOption(code, str(label), counts[code], code in chosen)
            for code, _low, _high, label in POPULATION_BANDS if counts[code] or code in chosen
        ]))
    return facets


class CaseGone(Http404):
    """The slug was retired when its case became pseudonymised: 410 Gone, with nothing about the case.

    A subclass of Http404, so that a caller that does not handle it still answers a plain 404.
    """


def _missing(slug: str):
    from ..models import RetiredSlug

    return CaseGone() if RetiredSlug.objects.filter(slug=slug).exists() else Http404()


def case_get(*, slug: str, user=None) -> Case:
    """One case with every child its profile shows; 404 unless ``user`` may view it (410 if retired).

    A read-only copy for the profile pages: a pseudonymised case's texts come without any address written
    in them and its dates cut to the year (``disclosure.redaction.public_copy``), whoever looks, and the
    copy cannot be saved.
    """
    queryset = Case.objects.with_children()
    try:
        case = queryset.get(slug=slug)
    except Case.DoesNotExist:
        raise _missing(slug) from None
    # Non-moderators only ever reach published cases — or their own.
    if not is_moderator(user) and not abilities(user, case)["view"]:
        raise Http404
    return public_copy(case)


def case_get_public(*, identifier: str) -> Case:
    """A published case by its slug or its stable ``public_id`` (a UUID); 404 otherwise."""
    import uuid

    queryset = Case.objects.published().with_children()
    try:
        lookup = {"public_id": uuid.UUID(identifier)}
    except ValueError:
        lookup = {"slug": identifier}
    try:
        return queryset.get(**lookup)
    except Case.DoesNotExist:
        raise (_missing(identifier) if "slug" in lookup else Http404()) from None


# --- public site: landing page, comparison, map, filters -------------------------------------------

COMPARE_MAX = 6


# More identifiers than this in one URL are not even looked up.
COMPARE_LOOKUP_MAX = 50


def cases_named(slugs, user=None) -> list[Case]:
    """The published cases among ``slugs``, in that order (the comparison tray): one query."""
    by_slug = {case.slug: case for case in case_list(user=user).filter(slug__in=list(slugs)[:COMPARE_LOOKUP_MAX])}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


@dataclass(frozen=True)
class CompareSelection:
    cases: list  # published cases, in the requested order (at most COMPARE_MAX)
    missing: list[str]  # requested identifiers that match no published case
    dropped: list[str]  # published cases requested beyond COMPARE_MAX, not compared


def cases_for_compare(slugs, user=None) -> CompareSelection:
    """The published cases named by ``slugs`` in the requested order, with what the comparison shows.

    Duplicates are ignored, unknown or unpublished identifiers reported in ``missing``, published
    cases past the sixth in ``dropped``. A fixed number of queries whatever the number of cases: one to
    resolve the identifiers, one for the cases, one per prefetched relation.
    """
    from django.db.models import Prefetch

    from ..models import FactorAssessment, Stakeholder

    wanted = [s for s in dict.fromkeys(str(s).strip() for s in slugs) if s][:COMPARE_LOOKUP_MAX]
    known = set(Case.objects.published().filter(slug__in=wanted).values_list("slug", flat=True)) if wanted else set()
    found = [s for s in wanted if s in known]
    kept, dropped = found[:COMPARE_MAX], found[COMPARE_MAX:]
    by_slug = {}
    if kept:
        by_slug = {
            case.slug: case
            for case in Case.objects.published().with_profile().prefetch_related(
                Prefetch("factors", queryset=FactorAssessment.objects.order_by("pk")),
                Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("helix", "name", "pk")),
            ).filter(slug__in=kept)
        }
    return CompareSelection(
        cases=[public_copy(by_slug[s]) for s in kept if s in by_slug],
        missing=[s for s in wanted if s not in known],
        dropped=dropped,
    )


# The columns of ``case_map_rows``: a case, its territory and that territory's région.
MAP_COLUMNS = ("slug", "public_name", "disclosure", "public_region_code", "dominant_theme", "launch_year",
               "top_mode", "tool_count")
_PLACE_COLUMNS = ("kind", "code", "name", "latitude", "longitude")


def case_cards(ids) -> list[Case]:
    """The cases ``ids``, in that order, as a list card and a map table row show them: name, place, tools'
    modes, joint tools (three queries), where ``with_profile`` reads every child a profile shows."""
    tools = DigitalTool.objects.only("pk", "case_id", "coproduction_mode").order_by()
    findings = StudyFinding.objects.only("pk", "kind").order_by()
    by_pk = {case.pk: case for case in Case.objects.with_public_name().filter(pk__in=ids)
             .select_related("territory", "territory__departement", "territory__region")
             .prefetch_related(Prefetch("tools", queryset=tools), Prefetch("study_findings", queryset=findings))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def case_map_rows(*, filters=None, user=None):
    """Published cases matching ``filters`` as plain rows: what a map feature needs, and no more.

    Yields ``(row, territory, region)``: ``row`` a dict of ``MAP_COLUMNS``, the places ``geo.Place``
    tuples (or None). ``values()``, not models: building 30,000 model instances was nearly all the cost
    of the map of every case. ``top_mode`` is the highest continuum mode of the case's tools and
    ``tool_count`` their number, both correlated subqueries (so tool filters cannot narrow them).
    """
    rank = CaseWhen(*(When(coproduction_mode=m, then=Value(CoproductionMode.rank(m))) for m in CoproductionMode),
                    default=Value(0), output_field=IntegerField())
    top_mode = (DigitalTool.objects.filter(case=OuterRef("pk")).annotate(rank=rank)
                .order_by("-rank").values("coproduction_mode")[:1])
    tool_count = (DigitalTool.objects.filter(case=OuterRef("pk")).order_by().values("case")
                  .annotate(n=Count("pk")).values("n")[:1])
    territory = [f"territory__{name}" for name in _PLACE_COLUMNS]
    region = [f"territory__region__{name}" for name in _PLACE_COLUMNS]
    # In slug order, not the creation order (pk): the order must not tell when a case was created.
    queryset = (case_filterset(filters=filters, user=user).qs.order_by("slug")
                .annotate(top_mode=Subquery(top_mode), tool_count=Subquery(tool_count))
                .values_list(*MAP_COLUMNS, *territory, *region))
    width, places = len(MAP_COLUMNS), len(_PLACE_COLUMNS)
    for values in queryset:
        place = values[width:width + places]
        region_place = values[width + places:]
        yield (dict(zip(MAP_COLUMNS, values[:width], strict=True)),
               Place(*place) if place[0] is not None else None,
               Place(*region_place) if region_place[0] is not None else None)


def public_figures() -> dict:
    """Key figures of the landing page (published cases only): two queries once per data version."""
    figures = cached("figures", None, _public_figures)
    return {**figures, "modes": [(mode.value, mode.label, figures["by_mode"].get(mode.value, 0))
                                 for mode in CoproductionMode]}


def _public_figures() -> dict:

    published = Case.objects.published()
    cases = published.aggregate(
        cases=Count("pk"),
        # A pseudonymised case counts only where it is public: its région when kept, never its département.
        regions=Count("territory__region", distinct=True,
                      filter=Q(disclosure=Disclosure.NAMED) | ~Q(public_region_code="")),
        departements=Count("territory__departement", distinct=True, filter=Q(disclosure=Disclosure.NAMED)),
    )
    by_mode = dict(
        DigitalTool.objects.filter(case__in=published).values_list("coproduction_mode")
        .annotate(n=Count("pk")).order_by()
    )
    # A tool a study reports jointly for several cases counts once.
    from ..research.selectors import study_tools

    for mode in study_tools(published).values_list("coproduction_mode", flat=True):
        by_mode[mode] = by_mode.get(mode, 0) + 1
    return {
        **cases,
        "tools": sum(by_mode.values()),
        "by_mode": by_mode,
    }


def latest_cases(*, limit: int = 6, user=None) -> list[Case]:
    """The most recently published cases, for the landing page (their ids sorted once per data version)."""
    def compute():
        return list(Case.objects.published().order_by(F("published_at").desc(nulls_last=True), "slug")
                    .values_list("pk", flat=True)[:limit])

    return CaseIdList(cached(f"latest:{limit}", None, compute))[:]


