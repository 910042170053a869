"""Every read of published cases for pages, the API and exports (territories: ``cases.territories.selectors``).

Selectors return querysets with their ``select_related``/``prefetch_related`` already set, so a page
runs the same number of queries whatever the number of rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from ..disclosure.redaction import public_copy
from ..models import Case, CaseSecondaryTheme, DigitalTool
from ..permissions import abilities, is_moderator
from ..research.selectors import add_joint_case_counts
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
from .filters import CaseFilterSet, population_band_q
from .freshness import cached

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
        if self.loader is not None:
            return self.loader(wanted)
        by_pk = {case.pk: case for case in Case.objects.with_public_name().with_profile().filter(pk__in=wanted)}
        return [by_pk[pk] for pk in wanted if pk in by_pk]


def case_list_ids(*, filters=None, user=None, default_ordering=("public_name", "slug"), loader=None) -> CaseIdList:
    """``case_list`` as a ``CaseIdList``: the sort over every matching case runs once per data version.

    ``default_ordering`` applies without an ``ordering`` parameter (the API sorts on ``slug``).
    """
    def compute():
        queryset = case_filterset(filters=filters, user=user).qs
        if not queryset.query.order_by:
            queryset = queryset.order_by(*default_ordering)
        return list(queryset.values_list("pk", flat=True))

    ids = cached(f"ids:{','.join(default_ordering)}", filters, compute, drop=("page", "cas", "page_size"))
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


# (filter parameter, model holding the value, its field, vocabulary) — the facets of the browse page.
# Values on a case's children are counted on the child table, restricted to the filtered cases:
# no join from cases to children, hence no duplicate rows to de-duplicate.
FACET_FIELDS = [
    ("mode", DigitalTool, "coproduction_mode", CoproductionMode),
    ("dominant_theme", Case, "dominant_theme", Theme),
    ("secondary_theme", CaseSecondaryTheme, "theme", Theme),
    ("management_mode", Case, "management_mode", ManagementMode),
    ("carrier", Case, "carrier", Carrier),
    ("tool_type", DigitalTool, "tool_type", ToolType),
    ("tool_status", DigitalTool, "status", ToolStatus),
]


def _selected(filters, name) -> list[str]:
    if hasattr(filters, "getlist"):
        return filters.getlist(name)
    value = (filters or {}).get(name, [])
    return value if isinstance(value, list) else [value]


def _without(filters, name):
    data = filters.copy() if hasattr(filters, "copy") else dict(filters or {})
    data.pop(name, None)
    return data


def _facet_counts(base, model, field) -> dict[str, int]:
    if model is Case:
        rows = base.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk"))
    else:
        rows = (model.objects.filter(case__in=base.values("pk")).exclude(**{field: ""})
                .values_list(field).annotate(n=Count("case_id", distinct=True)))
    counts = dict(rows.order_by())
    if model is DigitalTool and field in ("coproduction_mode", "tool_type"):
        add_joint_case_counts(counts, base, field)
    return counts


def _facet_raw_counts(filters, user) -> dict:
    """Every facet's counts, as plain data (no labels): what the cache keeps."""
    raw = {}
    for name, model, field, _vocabulary in FACET_FIELDS:
        base = case_filterset(filters=_without(filters, name), user=user).qs.order_by()
        raw[name] = _facet_counts(base, model, field)
    base = case_filterset(filters=_without(filters, "region"), user=user).qs.order_by()
    # A pseudonymised case whose région was generalised away (cases.disclosure) is in no région.
    raw["region"] = list(base.exclude(territory__region__isnull=True)
                         .filter(Q(disclosure=Disclosure.NAMED) | ~Q(public_region_code=""))
                         .values_list("territory__region__code", "territory__region__name")
                         .annotate(n=Count("pk")).order_by("territory__region__name"))
    for name in ("population_city_band", "population_epci_band"):
        field = name.removesuffix("_band")
        base = case_filterset(filters=_without(filters, name), user=user).qs.order_by()
        raw[name] = base.aggregate(**{
            code: Count("pk", filter=population_band_q(field, [code]))
            for code, _low, _high, _label in POPULATION_BANDS
        })
    return raw


def case_facets(*, filters=None, user=None) -> list[Facet]:
    """Each facet's options with the number of cases they would give.

    Counts are disjunctive: a facet is counted with every *other* filter applied, so ticking a second
    option of the same facet shows how many cases it adds. One query per facet, whatever the row count,
    and none at all while the data have not changed (``freshness``: cached under the data version).
    """
    raw = cached("facets", filters, lambda: _facet_raw_counts(filters, user), drop=NON_FILTER_PARAMS)
    facets = []
    for name, _model, _field, vocabulary in FACET_FIELDS:
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


def case_map_list(*, filters=None, user=None) -> QuerySet[Case]:
    """Published cases matching ``filters`` with only what a map feature needs.

    Each case carries ``top_mode``, the highest continuum mode of its tools computed in SQL (a
    correlated subquery, so tool filters cannot narrow it), instead of thousands of prefetched tools.
    """
    from django.db.models import Case as CaseWhen
    from django.db.models import IntegerField, OuterRef, Subquery, Value, When

    from ..models import DigitalTool

    rank = CaseWhen(*(When(coproduction_mode=m, then=Value(CoproductionMode.rank(m))) for m in CoproductionMode),
                    default=Value(0), output_field=IntegerField())
    top_mode = (DigitalTool.objects.filter(case=OuterRef("pk")).annotate(rank=rank)
                .order_by("-rank").values("coproduction_mode")[:1])
    from django.db.models import Count

    tool_count = (DigitalTool.objects.filter(case=OuterRef("pk")).order_by().values("case")
                  .annotate(n=Count("pk")).values("n")[:1])
    queryset = case_filterset(filters=filters, user=user).qs.order_by("slug")  # not the creation order (pk)
    return queryset.select_related("territory", "territory__region").only(
        "pk", "slug", "title", "pseudonym", "disclosure", "dominant_theme", "launch_year", "public_region_code",
        "territory__kind", "territory__code", "territory__name", "territory__latitude", "territory__longitude",
        "territory__region__kind", "territory__region__code", "territory__region__name",
        "territory__region__latitude", "territory__region__longitude",
    ).annotate(top_mode=Subquery(top_mode), tool_count=Subquery(tool_count))


def public_figures() -> dict:
    """Key figures of the landing page (published cases only): two queries once per data version."""
    figures = cached("figures", None, _public_figures)
    return {**figures, "modes": [(mode.value, mode.label, figures["by_mode"].get(mode.value, 0))
                                 for mode in CoproductionMode]}


def _public_figures() -> dict:
    from ..models import DigitalTool

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


