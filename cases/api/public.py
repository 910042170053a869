"""The one public representation of a case, shared by every endpoint and export format.

``public_case(case)`` wraps a case in a read-only view that exposes an explicit allow-list of attributes
and applies the disclosure rules of DESIGN.md §3 once:

- a pseudonymised case is only ever its pseudonym (``name``); its territory, commune, département and
  EPCI are ``None``; its only place is its région (and the map point of ``cases.territories.geo``, région level);
- exact populations (and the seasonal peak) of a pseudonymised case are ``None``; its bands and région
  are the generalised ones of ``cases.disclosure`` (a band or the région may be ``None``, the région
  replaced by ``area``);
- links that would name the collectivity's own domain (website, tool and source URLs) are withheld for
  pseudonymised cases, and so is every address written inside their free texts (summary, tool names and
  rationales, stakeholders, factor notes, events, sources: ``cases.disclosure.links.strip_links``);
- dates of pseudonymised cases are no finer than the year: no launch date (the launch year stays), events
  to the year, no source date (``cases.disclosure.redaction``).

Serializers, CSV rows and GeoJSON features read cases through this wrapper only: an attribute that is
not listed here raises ``AttributeError`` instead of leaking, so a new field must be added on purpose.
"""

from __future__ import annotations

from functools import cached_property

from cases.disclosure.links import FREE_TEXT_FIELDS, strip_links
from cases.disclosure.redaction import public_dates
from cases.territories import geo
from cases.vocabularies import TerritoryKind

# Attributes that read the same for every case, pseudonymised or not.
CASE_PASSTHROUGH = frozenset({
    "pk", "public_id", "slug", "scope", "carrier", "population_year", "launch_year", "horizon_year",
    "dominant_theme", "management_mode", "summary", "observation_start_year", "observation_end_year",
    "disclosure", "population_disclosure", "published_at", "updated_at", "secondary_themes",
    "collection_methods", "highest_mode", "is_pseudonymised", "get_absolute_url",
})
# Who asserted a coded value (cases.research): public on every coded row; who validated it is not.
PROVENANCE = frozenset({"provenance", "provenance_reference", "validated", "validated_at", "finding_level"})
TOOL_PASSTHROUGH = frozenset({
    "pk", "name", "tool_type", "coproduction_mode", "classification_rationale", "status", "launch_year",
    "end_year", "software", "open_source", "position", "source_id",
}) | PROVENANCE
STAKEHOLDER_PASSTHROUGH = frozenset({"pk", "name", "helix", "role", "source_id"}) | PROVENANCE
FACTOR_PASSTHROUGH = frozenset({"pk", "factor", "assessment", "note", "source_id", "group"}) | PROVENANCE
EVENT_PASSTHROUGH = frozenset({"pk", "kind", "title", "description", "source_id"})
SOURCE_PASSTHROUGH = frozenset({"pk", "kind", "citation", "note"})
# Dates: exact for a named case, no finer than the year for a pseudonymised one (cases.disclosure.redaction).
DATES = {"case": frozenset({"launch_date"}), "event": frozenset({"date", "date_precision"}),
         "source": frozenset({"date"})}


class _Public:
    """Exposes only ``allowed`` attributes of the wrapped object; its free ``texts`` without any address
    when its case is pseudonymised."""

    allowed: frozenset = frozenset()
    texts: frozenset = frozenset()
    dates: frozenset = frozenset()

    def __init__(self, obj, case: PublicCase | None = None):
        self._obj = obj
        self._case = case

    def _pseudonymised(self) -> bool:
        case = self._case if self._case is not None else public_case(self._obj.case)
        return case.is_pseudonymised

    def __getattr__(self, name):
        if name in self.dates:
            return public_dates(self._obj)[name] if self._pseudonymised() else getattr(self._obj, name)
        if name in self.allowed:
            value = getattr(self._obj, name)
            if name in self.texts and value and self._pseudonymised():
                return strip_links(value)
            return value
        raise AttributeError(f"{type(self._obj).__name__}.{name} is not part of the public representation")


class PublicTool(_Public):
    allowed = TOOL_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["digitaltool"])

    def _pseudonymised(self) -> bool:
        return self.case.is_pseudonymised

    @property
    def url(self):
        return None if self.case.is_pseudonymised else (self._obj.url or None)

    @cached_property
    def case(self) -> PublicCase:
        return self._case or public_case(self._obj.case)


class PublicStakeholder(_Public):
    allowed = STAKEHOLDER_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["stakeholder"])


class PublicFactor(_Public):
    allowed = FACTOR_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["factorassessment"])


class PublicEvent(_Public):
    allowed = EVENT_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["event"])
    dates = DATES["event"]


class PublicSource(_Public):
    allowed = SOURCE_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["source"])
    dates = DATES["source"]

    @property
    def url(self):
        return None if self._case.is_pseudonymised else (self._obj.url or None)


class PublicCase(_Public):
    allowed = CASE_PASSTHROUGH
    texts = frozenset(FREE_TEXT_FIELDS["case"])
    dates = DATES["case"]

    def _pseudonymised(self) -> bool:
        return self._obj.is_pseudonymised

    @property
    def case(self):
        """The wrapped model instance, for trusted shared code that applies the rules itself (cases.territories.geo)."""
        return self._obj

    @property
    def name(self) -> str:
        return self._obj.display_name

    @property
    def territory(self):
        return None if self.is_pseudonymised else self._obj.territory

    @property
    def departement(self):
        territory = self.territory
        if territory is None:
            return None
        return territory if territory.kind == TerritoryKind.DEPARTEMENT else territory.departement

    @property
    def epci(self):
        territory = self.territory
        if territory is None:
            return None
        return territory if territory.kind == TerritoryKind.EPCI else territory.epci

    @property
    def region(self):
        # A pseudonymised case's région only when disclosure control kept it (cases.disclosure).
        return self._obj.public_region

    @property
    def area(self):
        """"metro" or "outremer" when a pseudonymised case's région was generalised away, else None."""
        return (self._obj.public_area or None) if self.is_pseudonymised else None

    @property
    def disclosure_k(self):
        return self._obj.disclosure_k if self.is_pseudonymised else None

    @property
    def cog_year(self):
        territory = self._obj.territory
        return territory.cog_year if territory is not None else None

    def _exact(self, value):
        return value if self._obj.shows_exact_population else None

    @property
    def population_city(self):
        return self._exact(self._obj.population_city)

    @property
    def population_epci(self):
        return self._exact(self._obj.population_epci)

    @property
    def seasonal_population_peak(self):
        return self._exact(self._obj.seasonal_population_peak)

    # A pseudonymised case gives only the bands disclosure control left (possibly widened, possibly none).
    @property
    def population_city_band(self):
        if self.is_pseudonymised:
            return self._obj.public_city_band or None
        band = self._obj.population_city_band
        return band[0] if band else None

    @property
    def population_epci_band(self):
        if self.is_pseudonymised:
            return self._obj.public_epci_band or None
        band = self._obj.population_epci_band
        return band[0] if band else None

    @property
    def website(self):
        return None if self.is_pseudonymised else (self._obj.website or None)

    @cached_property
    def location(self) -> geo.Location | None:
        return geo.case_location(self._obj)

    def feature(self, **properties) -> dict:
        """The RFC 7946 Feature (``cases.territories.geo``); a case with no public point gets a null geometry."""
        feature = geo.case_feature(self._obj, **properties)
        if feature is None:
            feature = {"type": "Feature", "geometry": None, "properties": {
                "slug": self.slug, "name": self.name, "url": self.get_absolute_url(),
                "highest_mode": self.highest_mode, "location_precision": None, **properties,
            }}
        return feature

    @cached_property
    def tools(self) -> list[PublicTool]:
        return [PublicTool(tool, self) for tool in self._obj.tools.all()]

    @property
    def modes(self) -> list[str]:
        return sorted({tool.coproduction_mode for tool in self.tools}, key=_mode_rank)

    @property
    def tool_types(self) -> list[str]:
        return sorted({tool.tool_type for tool in self.tools})

    @property
    def stakeholders(self):
        return [PublicStakeholder(item, self) for item in self._obj.stakeholders.all()]

    @property
    def factors(self):
        return [PublicFactor(item, self) for item in self._obj.factors.all()]

    @property
    def events(self):
        return [PublicEvent(item, self) for item in self._obj.events.all()]

    @property
    def sources(self):
        return [PublicSource(item, self) for item in self._obj.sources.all()]

    @property
    def field_provenance(self):
        """Who asserted each characteristic (``cases.research``), in field order."""
        return sorted(self._obj.field_provenance.all(), key=lambda row: row.field)

    @property
    def study_findings(self):
        """Findings a study reports jointly for this case and others (``finding_level`` = study)."""
        return list(self._obj.study_findings.all())


def _mode_rank(mode):
    from cases.vocabularies import CoproductionMode

    return CoproductionMode.rank(mode)


def public_case(case) -> PublicCase:
    """The public view of ``case`` (idempotent)."""
    return case if isinstance(case, PublicCase) else PublicCase(case)


def public_tool(tool) -> PublicTool:
    return tool if isinstance(tool, PublicTool) else PublicTool(tool)
