"""A case's published versions, read back from django-simple-history — the longitudinal view.

A *version* starts with each moderation event that made content public: the first publication, each
approved update (from the revision's ``decided_at``, set just before its content was applied) and each
re-publication. A version's content is the state of the case and its children just before the next
version started (or now), so an update's own writes never leak into the version before it, and a
working copy that was never approved never shows at all.

Pseudonymisation holds in history too: when a case is pseudonymised *now*, anyone but its submitter and
the moderators sees only the versions from its pseudonymisation on (the version current then restarts
at that moment), never its title, territory, website, exact populations or seasonal peak, nor any
address written in its texts (``cases.disclosure.links``), and the populations as the bands it
publishes today (cases.disclosure). Neither a diff nor "as of" a date can reach a named version. Once
something was pseudonymised, old versions must not undo it. The other way round holds as well: a case
named again after being pseudonymised shows the public its versions from that change on only, so that
its named history cannot be laid over the pseudonym's (its identifiers are renewed too,
``catalogue.services._renew_public_identifiers``).

Everything is read in a fixed number of queries (one per history table), whatever the number of versions.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..disclosure.links import strip_links
from ..disclosure.redaction import coarsen
from ..models import Case, CaseSecondaryTheme, DigitalTool, FactorAssessment, Source, Stakeholder, Territory
from ..vocabularies import (
    Assessment,
    Carrier,
    CaseStatus,
    CoproductionMode,
    Disclosure,
    Factor,
    Helix,
    ManagementMode,
    SourceKind,
    Theme,
    ToolStatus,
    ToolType,
    population_band,
)

EPSILON = dt.timedelta(microseconds=1)


@dataclass
class Snapshot:
    """The public content of a case at one moment, already masked for the viewer."""

    name: str
    territory: Territory | None
    fields: list[tuple[str, str, str]]  # (key, label, value shown)
    summary: str
    tools: list[Any]
    stakeholders: list[Any]
    factors: list[Any]
    sources: list[Any]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Version:
    number: int
    start: dt.datetime
    kind: str
    comment: str
    snapshot: Snapshot
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_label(self):
        return {"first": _("Première publication"), "update": _("Mise à jour approuvée"),
                "republished": _("Nouvelle publication")}[self.kind]


class _Timeline:
    """All history rows of one model for the case, to rebuild its state at any moment."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda r: (r.history_date, r.history_id))

    def at(self, moment) -> list:
        state = {}
        for row in self.rows:
            if row.history_date > moment:
                break
            state[row.id] = row
        return [row for row in state.values() if row.history_type != "-"]

    def one_at(self, moment):
        rows = self.at(moment)
        return rows[0] if rows else None


def _labelled(vocabulary, value):
    if not value:
        return "—"
    try:
        return str(vocabulary(value).label)
    except ValueError:
        return str(value)


CASE_FIELD_LABELS = [
    ("title", gettext_lazy("Nom")),
    ("territory", gettext_lazy("Collectivité")),
    ("carrier", gettext_lazy("Portage du projet")),
    ("population_city", gettext_lazy("Population de la ville centre")),
    ("population_epci", gettext_lazy("Population de l'EPCI")),
    ("population_year", gettext_lazy("Année des populations")),
    ("seasonal_population_peak", gettext_lazy("Population en pointe saisonnière")),
    ("launch_year", gettext_lazy("Année de lancement")),
    ("horizon_year", gettext_lazy("Principale échéance")),
    ("dominant_theme", gettext_lazy("Thématique dominante")),
    ("secondary_themes", gettext_lazy("Thématiques secondaires")),
    ("management_mode", gettext_lazy("Mode de gestion du projet")),
    ("website", gettext_lazy("Site web")),
    ("summary", gettext_lazy("Présentation")),
]
HIDDEN_WHEN_MASKED = {"title", "territory", "website"}


def _population(value, exact: bool):
    if value is None:
        return "—"
    if exact:
        return number_format(value, force_grouping=True)
    band = population_band(value)
    return str(band[1]) if band else "—"


class CaseHistory:
    """The published versions of ``case`` as ``viewer`` may see them."""

    def __init__(self, case: Case, *, public: bool):
        """``public``: the viewer may not see the case's identity (neither its submitter nor a moderator)."""
        self.case = case
        self.masked = masked = public and case.is_pseudonymised
        self.exact_populations = not masked
        # Publications and approved updates; a record that is not a transition (from == to: a disclosure
        # override, cases.disclosure.gate) starts no version.
        events = list(case.moderation_events.filter(to_status=CaseStatus.PUBLISHED)
                      .exclude(from_status=F("to_status"), revision__isnull=True)
                      .select_related("revision").order_by("created_at", "pk"))
        self.case_rows = _Timeline(Case.history.filter(id=case.pk))
        self.children = {
            "tools": _Timeline(DigitalTool.history.filter(case_id=case.pk)),
            "stakeholders": _Timeline(Stakeholder.history.filter(case_id=case.pk)),
            "factors": _Timeline(FactorAssessment.history.filter(case_id=case.pk)),
            "sources": _Timeline(Source.history.filter(case_id=case.pk)),
            "themes": _Timeline(CaseSecondaryTheme.history.filter(case_id=case.pk)),
        }
        territory_ids = {row.territory_id for row in self.case_rows.rows if row.territory_id}
        self.territories = Territory.objects.with_parents().in_bulk(territory_ids)
        self.starts = []
        for index, event in enumerate(events):
            if event.revision_id and event.revision.decided_at:
                start, kind = event.revision.decided_at, "update"
            else:
                start, kind = event.created_at, "first" if index == 0 else "republished"
            self.starts.append((start, kind, event.comment if event.revision_id else ""))
        if public:
            self.starts = self._from_last_disclosure_change(self.starts)

    def _from_last_disclosure_change(self, starts):
        """The versions a public viewer may see: none before the case's last change of disclosure (to
        pseudonymised, or back to named)."""
        since, changed = None, False
        for row in self.case_rows.rows:
            if row.disclosure != self.case.disclosure:
                since, changed = None, True
            elif since is None:
                since = row.history_date
        if since is None:
            return []
        if not changed and self.case.disclosure == Disclosure.NAMED:
            return starts
        kept = [start for start in starts if start[0] >= since]
        if len(kept) < len(starts):
            # The version current at the switch is shown as starting there, as the first public one.
            kept.insert(0, (since, "first", ""))
        return kept

    def _population(self, value, public_label):
        # Masked: the band the case publishes today, whatever the version (an older, finer band or a
        # figure from before a generalisation would narrow the candidates).
        if self.masked:
            return str(public_label) or "—"
        return _population(value, True)

    def _snapshot(self, moment) -> Snapshot | None:
        row = self.case_rows.one_at(moment)
        if row is None:
            return None
        themes = sorted(str(_labelled(Theme, t.theme)) for t in self.children["themes"].at(moment))
        territory = None if self.masked else self.territories.get(row.territory_id)
        values = {
            "title": row.title,
            "territory": str(territory.name) if territory else "—",
            "carrier": _labelled(Carrier, row.carrier),
            "population_city": self._population(row.population_city, self.case.public_city_band_label),
            "population_epci": self._population(row.population_epci, self.case.public_epci_band_label),
            "population_year": str(row.population_year or "—"),
            "seasonal_population_peak": (_population(row.seasonal_population_peak, True)
                                         if self.exact_populations else "—"),
            "launch_year": str(row.launch_year or "—"),
            "horizon_year": str(row.horizon_year or "—"),
            "dominant_theme": _labelled(Theme, row.dominant_theme),
            "secondary_themes": ", ".join(themes) or "—",
            "management_mode": _labelled(ManagementMode, row.management_mode),
            "website": row.website or "—",
            "summary": row.summary or "",
        }
        shown = [(key, str(label), values[key]) for key, label in CASE_FIELD_LABELS
                 if not (self.masked and key in HIDDEN_WHEN_MASKED) and key != "summary"]
        tools = sorted(self.children["tools"].at(moment), key=lambda t: (t.position, t.name, t.id))
        for tool in tools:
            tool.type_label = _labelled(ToolType, tool.tool_type)
            tool.mode_label = _labelled(CoproductionMode, tool.coproduction_mode)
            tool.status_label = _labelled(ToolStatus, tool.status)
        stakeholders = sorted(self.children["stakeholders"].at(moment), key=lambda s: (s.helix, s.name, s.id))
        for person in stakeholders:
            person.helix_label = _labelled(Helix, person.helix)
        factors = sorted(self.children["factors"].at(moment), key=lambda f: Factor.values.index(f.factor)
                         if f.factor in Factor.values else 99)
        for factor in factors:
            factor.factor_label = _labelled(Factor, factor.factor)
            factor.assessment_label = _labelled(Assessment, factor.assessment)
        sources = sorted(self.children["sources"].at(moment), key=lambda s: (s.date or dt.date.min, s.id))
        for source in sources:
            source.kind_label = _labelled(SourceKind, source.kind)
        if self.masked:
            # No address written in a text, no date finer than the year (cases.disclosure.redaction); the
            # rows are history rows, never saved from here.
            values["summary"] = strip_links(values["summary"])
            for row in (*tools, *stakeholders, *factors, *sources):
                coarsen(row)
        return Snapshot(
            name=self.case.display_name if self.masked else row.title,
            territory=territory, fields=shown, summary=values["summary"], tools=tools,
            stakeholders=stakeholders, factors=factors, sources=sources,
        )

    def _moment(self, index: int):
        """Where version ``index`` stops: just before the next one starts, or now."""
        if index + 1 < len(self.starts):
            return self.starts[index + 1][0] - EPSILON
        return timezone.now()

    def versions(self) -> list[Version]:
        versions = []
        previous = None
        for index, (start, kind, comment) in enumerate(self.starts):
            snapshot = self._snapshot(self._moment(index))
            if snapshot is None:
                continue
            version = Version(number=len(versions) + 1, start=start, kind=kind, comment=comment, snapshot=snapshot)
            if previous is not None:
                version.changes = _changes(previous, snapshot)
            versions.append(version)
            previous = snapshot
        return list(reversed(versions))

    def as_of(self, day: dt.date) -> tuple[Version | None, Snapshot | None]:
        """The version current at the end of ``day`` and the content as it stood then."""
        end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
        current = None
        for index, (start, _kind, _comment) in enumerate(self.starts):
            if start <= end_of_day:
                current = index
        if current is None:
            return None, None
        moment = min(end_of_day, self._moment(current))
        snapshot = self._snapshot(moment)
        start, kind, comment = self.starts[current]
        return Version(number=current + 1, start=start, kind=kind, comment=comment, snapshot=snapshot), snapshot


def _row_key(row):
    return row.id


def _changes(before: Snapshot, after: Snapshot) -> list[Change]:
    changes = []
    old_fields = {key: (label, value) for key, label, value in before.fields}
    for key, label, value in after.fields:
        old = old_fields.get(key, (label, "—"))[1]
        if old != value:
            changes.append(Change(label, old, value))
    if before.summary != after.summary:
        changes.append(Change(str(_("Présentation")), _("texte modifié"), _("texte modifié")))
    for title, old_rows, new_rows, describe in [
        (_("Outil"), before.tools, after.tools,
         lambda t: f"{t.name} — {t.type_label}, {t.mode_label}, {t.status_label}"),
        (_("Partie prenante"), before.stakeholders, after.stakeholders,
         lambda s: f"{s.name} ({s.helix_label})"),
        (_("Facteur"), before.factors, after.factors,
         lambda f: f"{f.factor_label} : {f.assessment_label}"),
        (_("Source"), before.sources, after.sources, lambda s: s.citation[:80]),
    ]:
        old_by_id = {_row_key(r): describe(r) for r in old_rows}
        new_by_id = {_row_key(r): describe(r) for r in new_rows}
        for key, text in new_by_id.items():
            if key not in old_by_id:
                changes.append(Change(str(title), "—", text))
            elif old_by_id[key] != text:
                changes.append(Change(str(title), old_by_id[key], text))
        for key, text in old_by_id.items():
            if key not in new_by_id:
                changes.append(Change(str(title), text, "—"))
    return changes
