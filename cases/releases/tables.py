"""The tables of a release, their Table Schemas, and their rows.

Disclosure: every row is read from the public representation that the API and its exports use —
cases from ``selectors.case_list`` (the published cases, with the same rules as the site), each through
``cases.api.public`` (pseudonymised cases lose their territory, exact populations and links), and the
case and tool rows are the API's own CSV rows (``cases.api.exports``). A disclosure rule added there
applies to releases without any change here; nothing in this module reads a model field directly.

Adding a table: append a ``Table`` to ``case_tables`` (rows per public case) or build one like
``territory_table`` (rows read once) and list it in ``package.write_data``; the package, its schema, the
codebook README and the checksums follow. The study-level findings (``cases.research``, issue 11) are such
a table, present only when that context is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import override

from cases.api import exports
from cases.api.public import PublicCase
from cases.models import Event, FactorAssessment, Source, Stakeholder

# Values the API leaves empty are unknown: one missing value for every CSV of the package.
MISSING_VALUES = [""]


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""
    vocabulary: str | None = None  # key in /api/v1/vocabularies/: the field's codes and their labels
    required: bool = False
    format: str | None = None  # Table Schema format of a string field, e.g. "uuid"

    def schema(self, vocabularies: dict[str, list[dict]]) -> dict:
        descriptor = {"name": self.name, "type": self.type}
        if self.format:
            descriptor["format"] = self.format
        if self.description:
            descriptor["description"] = self.description
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.type == "boolean":
            descriptor.update(trueValues=["1"], falseValues=["0"])
        if self.vocabulary in vocabularies:
            codes = vocabularies[self.vocabulary]
            constraints["enum"] = [code["code"] for code in codes]
            # Frictionless v2 ``categories`` carry the French label; the English one sits beside it.
            descriptor["categories"] = [{"value": code["code"], "label": code["label_fr"]} for code in codes]
            descriptor["x-labels-en"] = {code["code"]: code["label_en"] for code in codes}
            descriptor["x-vocabulary"] = self.vocabulary
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


@dataclass
class Table:
    name: str
    title: str
    description: str
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[dict] = field(default_factory=list)
    # For a per-case table: the rows of one public case. For a reference table: all its rows.
    rows: Callable[..., Iterable[list]] | None = None

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def schema(self, vocabularies) -> dict:
        return {
            "fields": [f.schema(vocabularies) for f in self.fields],
            "missingValues": MISSING_VALUES,
            "primaryKey": self.primary_key,
            "foreignKeys": self.foreign_keys,
        }


def _fk(fields, resource, reference) -> dict:
    return {"fields": fields, "reference": {"resource": resource, "fields": reference}}


def _case_fk() -> dict:
    # The stable, opaque identifier, not the slug: a rename changes the slug, never the public_id.
    return _fk(["case_public_id"], "cases", ["public_id"])


PUBLIC_ID = "Identifiant public stable et opaque du cas (UUID) : la clé primaire ; survit à un changement de slug."
CASE_PUBLIC_ID = "Le cas (cases.public_id) : la clé étrangère."
CASE_SLUG = "Le slug du cas (cases.slug), pour la lecture ; il change si le cas est renommé."


def case_public_id_field() -> Field:
    return Field("case_public_id", format="uuid", required=True, description=CASE_PUBLIC_ID)


def case_slug_field() -> Field:
    return Field("case_slug", description=CASE_SLUG)


def _source_fk() -> dict:
    return _fk(["source_id"], "sources", ["source_id"])


# Types and vocabularies of the API's CSV columns (``cases.api.exports``); a column not listed is text.
CASE_COLUMN_TYPES = {
    "slug": Field("slug", required=True, description="Le slug du cas (son adresse sur le site) : il change si "
                  "le cas est renommé ; la clé est public_id."),
    "public_id": Field("public_id", format="uuid", required=True, description=PUBLIC_ID),
    "name": Field("name", required=True, description="Nom public (le pseudonyme d'un cas pseudonymisé)."),
    "url": Field("url", description="Fiche du cas sur le site."),
    "disclosure": Field("disclosure", vocabulary="disclosures"),
    "scope": Field("scope", vocabulary="scopes"),
    "carrier": Field("carrier", vocabulary="carriers"),
    "region_code": Field("region_code", description="Code INSEE de la région."),
    "departement_code": Field("departement_code", description="Code INSEE du département (vide si pseudonymisé)."),
    "territory_kind": Field("territory_kind", vocabulary="territory_kinds"),
    "territory_code": Field("territory_code", description="Code INSEE (commune) ou SIREN (EPCI)."),
    "epci_siren": Field("epci_siren", description="SIREN de l'EPCI."),
    "cog_year": Field("cog_year", "integer", "Millésime du Code officiel géographique des codes."),
    "longitude": Field("longitude", "number", "Point public, WGS 84."),
    "latitude": Field("latitude", "number", "Point public, WGS 84."),
    "location_precision": Field("location_precision", vocabulary="territory_kinds",
                                description="Le territoire dont le point est le centre."),
    "population_city": Field("population_city", "integer", "Population de la ville centre (si divulguée)."),
    "population_city_band": Field("population_city_band", vocabulary="population_bands"),
    "population_epci": Field("population_epci", "integer", "Population de l'EPCI (si divulguée)."),
    "population_epci_band": Field("population_epci_band", vocabulary="population_bands"),
    "population_year": Field("population_year", "integer"),
    "seasonal_population_peak": Field("seasonal_population_peak", "integer"),
    "population_disclosure": Field("population_disclosure", vocabulary="population_disclosures"),
    "launch_year": Field("launch_year", "integer"),
    "launch_date": Field("launch_date", "date"),
    "horizon_year": Field("horizon_year", "integer", "Principale échéance."),
    "dominant_theme": Field("dominant_theme", vocabulary="themes"),
    "management_mode": Field("management_mode", vocabulary="management_modes"),
    "observation_start_year": Field("observation_start_year", "integer"),
    "observation_end_year": Field("observation_end_year", "integer"),
    "website": Field("website", description="Vide pour un cas pseudonymisé."),
    "tool_count": Field("tool_count", "integer"),
    "highest_mode": Field("highest_mode", vocabulary="coproduction_modes",
                          description="Le mode le plus élevé parmi les outils du cas."),
    "published_at": Field("published_at", "datetime", "Instant UTC."),
    "updated_at": Field("updated_at", "datetime", "Instant UTC."),
}
INDICATOR_VOCABULARIES = {"secondary_theme": "themes", "collection_method": "collection_methods",
                          "mode": "coproduction_modes", "tool_type": "tool_types"}
TOOL_COLUMN_TYPES = {
    "tool_id": Field("tool_id", "integer", "Identifiant de l'outil (celui de /api/v1/tools/).", required=True),
    "case_slug": case_slug_field(),
    "case_public_id": case_public_id_field(),
    "case_disclosure": Field("case_disclosure", vocabulary="disclosures"),
    "case_carrier": Field("case_carrier", vocabulary="carriers"),
    "case_dominant_theme": Field("case_dominant_theme", vocabulary="themes"),
    "case_management_mode": Field("case_management_mode", vocabulary="management_modes"),
    "case_population_city_band": Field("case_population_city_band", vocabulary="population_bands"),
    "tool_type": Field("tool_type", vocabulary="tool_types", required=True),
    "coproduction_mode": Field("coproduction_mode", vocabulary="coproduction_modes", required=True),
    "status": Field("status", vocabulary="tool_statuses"),
    "launch_year": Field("launch_year", "integer"),
    "end_year": Field("end_year", "integer"),
    "open_source": Field("open_source", "boolean", "Logiciel libre : 1 oui, 0 non, vide inconnu."),
    "position": Field("position", "integer", "Ordre de l'outil dans sa fiche."),
    "classification_rationale": Field("classification_rationale",
                                      description="Pourquoi ce mode sur le continuum."),
}


# Text columns that need only a description.
DESCRIPTIONS = {
    "region_name": "Nom de la région.", "departement_name": "Nom du département (vide si pseudonymisé).",
    "territory_name": "Nom du territoire (vide si pseudonymisé).", "epci_name": "Nom de l'EPCI.",
    "case_name": "Nom public du cas.", "software": "Logiciel ou éditeur.",
}


def _typed(header: list[str], types: dict[str, Field]) -> list[Field]:
    """Fields for a CSV header of ``cases.api.exports``: a column this module does not know is text."""
    fields = []
    for name in header:
        prefix, _sep, code = name.partition("__")
        if code and prefix in INDICATOR_VOCABULARIES:
            fields.append(Field(name, "boolean", f"1 si le cas a « {code} » ({INDICATOR_VOCABULARIES[prefix]})."))
        else:
            fields.append(types.get(name, Field(name, description=DESCRIPTIONS.get(name, ""))))
    return fields


def _children(case: PublicCase, attr: str, values: Callable) -> list[list]:
    return [[exports.cell(v) for v in values(item)] for item in getattr(case, attr)]


def case_tables(base_url: str) -> list[Table]:
    """Tables with rows per public case, in the order they are written."""
    return [
        Table("cases", "Cas", "Un cas par ligne : les colonnes de l'export CSV de l'API, puis la présentation.",
              [*_typed(exports.case_csv_header(), CASE_COLUMN_TYPES),
               Field("summary", description="Présentation du cas, en Markdown (celle de /api/v1/cases/<slug>/).")],
              ["public_id"], [_fk(["territory_kind", "territory_code"], "territories", ["kind", "code"])],
              rows=lambda case: [[*exports.case_csv_row(case, base_url), exports.cell(case.summary)]]),
        Table("tools", "Outils numériques", "Un outil par ligne, avec son cas : l'export CSV des outils.",
              _typed(exports.tool_csv_header(), TOOL_COLUMN_TYPES), ["tool_id"], [_case_fk()],
              rows=lambda case: [exports.tool_csv_row(tool) for tool in case.tools]),
        Table("stakeholders", "Parties prenantes", "Les acteurs de chaque cas, sur le modèle multi-hélices.", [
            Field("stakeholder_id", "integer", required=True), case_public_id_field(), case_slug_field(),
            Field("name", required=True), Field("helix", vocabulary="helices", required=True),
            Field("role"), Field("source_id", "integer", "La source du fait (sources.source_id)."),
        ], ["stakeholder_id"], [_case_fk(), _source_fk()],
            rows=lambda case: _children(case, "stakeholders", lambda s: [
                s.pk, str(case.public_id), case.slug, s.name, s.helix, s.role, s.source_id])),
        Table("factors", "Facteurs observés", "La grille d'analyse : un facteur apprécié par ligne.", [
            Field("factor_id", "integer", required=True), case_public_id_field(), case_slug_field(),
            Field("factor", vocabulary="factors", required=True), Field("factor_group", vocabulary="factor_groups"),
            Field("assessment", vocabulary="assessments", required=True), Field("note"),
            Field("source_id", "integer", "La source du fait (sources.source_id)."),
        ], ["factor_id"], [_case_fk(), _source_fk()],
            rows=lambda case: _children(case, "factors", lambda f: [
                f.pk, str(case.public_id), case.slug, f.factor, f.group, f.assessment, f.note, f.source_id])),
        Table("events", "Événements", "La chronologie des cas.", [
            Field("event_id", "integer", required=True), case_public_id_field(), case_slug_field(),
            Field("date", "date", "Voir date_precision : 2017 seul s'écrit 2017-01-01 avec la précision « year ».",
                  required=True),
            Field("date_precision", vocabulary="date_precisions"), Field("kind", vocabulary="event_kinds"),
            Field("title"), Field("description"), Field("source_id", "integer"),
        ], ["event_id"], [_case_fk(), _source_fk()],
            rows=lambda case: _children(case, "events", lambda e: [
                e.pk, str(case.public_id), case.slug, e.date, e.date_precision, e.kind, e.title, e.description,
                e.source_id])),
        Table("sources", "Sources", "Les preuves des faits (liens omis pour un cas pseudonymisé).", [
            Field("source_id", "integer", required=True), case_public_id_field(), case_slug_field(),
            Field("kind", vocabulary="source_kinds"), Field("citation"), Field("url"), Field("date", "date"),
            Field("note"),
        ], ["source_id"], [_case_fk()],
            rows=lambda case: _children(case, "sources", lambda s: [
                s.pk, str(case.public_id), case.slug, s.kind, s.citation, s.url, s.date, s.note])),
    ]


def public_cases(*, children: bool = True):
    """The published cases as the API lists them (``selectors.case_list``), with every child prefetched."""
    from cases.catalogue import selectors

    cases = selectors.case_list(filters={}).order_by("slug", "pk")
    if not children:
        return cases
    return cases.prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("helix", "name", "pk")),
        Prefetch("factors", queryset=FactorAssessment.objects.order_by("pk")),
        Prefetch("events", queryset=Event.objects.order_by("date", "pk")),
        Prefetch("sources", queryset=Source.objects.order_by("date", "pk")),
    )


def case_key(case: PublicCase) -> str:
    """What release notes follow a case by: its ``public_id``, the primary key of ``cases.csv``. It survives
    a change of slug (a renamed case is "updated", not withdrawn and added) and is re-keyed only by the
    disclosure rules, which is meant to read as a withdrawal and an addition."""
    return str(case.public_id)


def vocabularies() -> dict[str, list[dict]]:
    """``/api/v1/vocabularies/`` as {key: codes}, plus the event date precisions."""
    from cases.api.views import vocabulary_list

    table = {vocabulary["key"]: vocabulary["codes"] for vocabulary in vocabulary_list()}
    precisions = []
    for code, label in Event.Precision.choices:
        with override("fr"):
            label_fr = str(label)
        with override("en"):
            label_en = str(label)
        precisions.append({"code": code, "label_fr": label_fr, "label_en": label_en, "definition_fr": None,
                           "definition_en": None, "group": None})
    table.setdefault("date_precisions", precisions)
    return table


def vocabulary_table(vocabs: dict[str, list[dict]]) -> Table:
    rows = [[key, c["code"], c["label_fr"], c["label_en"], c["definition_fr"], c["definition_en"], c["group"]]
            for key, codes in vocabs.items() for c in codes]
    return Table("vocabularies", "Vocabulaires contrôlés", "Codes des champs codés, libellés français et anglais.", [
        Field("vocabulary", required=True), Field("code", required=True), Field("label_fr"), Field("label_en"),
        Field("definition_fr"), Field("definition_en"), Field("group", description="Pour un facteur : son groupe."),
    ], ["vocabulary", "code"], rows=lambda: [[exports.cell(v) for v in row] for row in rows])


TERRITORY_FIELDS = [
    Field("kind", vocabulary="territory_kinds", required=True), Field("code", required=True), Field("name"),
    Field("siren"), Field("epci_type", vocabulary="epci_types"), Field("population", "integer"),
    Field("population_year", "integer"), Field("departement_code"), Field("region_code"),
    Field("epci_siren"), Field("longitude", "number"), Field("latitude", "number"), Field("cog_year", "integer"),
]


def territory_table(territory_ids) -> Table:
    """The reference territories that the public cases name (a pseudonymised case names its région only)."""
    from cases.models import Territory

    def code(parent):
        return parent.code if parent is not None else None

    def rows():
        # In chunks: an IN list of every commune of a national data set would pass SQLite's variable limit.
        ids, territories = sorted(territory_ids), []
        for start in range(0, len(ids), 500):
            territories += Territory.objects.filter(pk__in=ids[start:start + 500]).select_related(
                "departement", "region", "epci")
        for t in sorted(territories, key=lambda t: (t.kind, t.code)):
            yield [exports.cell(v) for v in (
                t.kind, t.code, t.name, t.siren, t.epci_type, t.population, t.population_year,
                code(t.departement), code(t.region), code(t.epci), t.longitude, t.latitude, t.cog_year)]

    return Table("territories", "Territoires cités", "Les territoires de référence (COG INSEE) nommés par les cas.",
                 TERRITORY_FIELDS, ["kind", "code"], rows=rows)


def referenced_territories(case: PublicCase) -> set[int]:
    """Ids of the territories a public case shows, and of their parents (reference data, public anyway)."""
    ids = set()
    for territory in (case.territory, case.departement, case.epci, case.region):
        if territory is not None:
            ids.add(territory.pk)
            ids.update(pk for pk in (territory.departement_id, territory.region_id, territory.epci_id) if pk)
    return ids


def study_finding_tables() -> list[Table]:
    """The study-level findings (``cases.research``) of the public cases, as the API serializes them, and
    their link to each case (a finding reports on several cases: one row per pair, keyed by ``public_id``);
    none while that context is not installed."""
    try:
        from cases.api.serializers import StudyFindingSerializer
        from cases.research.selectors import study_findings_for_export
    except ImportError:
        return []

    def findings():
        return study_findings_for_export(public_cases(children=False).values("pk"))

    def linked(finding) -> list:
        # The published cases the finding names, in the order of ``case_slugs`` (the serializer's).
        return sorted(finding.published_cases, key=lambda case: case.slug)

    def finding_rows():
        for finding in findings():
            data = StudyFindingSerializer(finding).data
            yield [exports.cell(data.get(name)) for name in (
                "study", "key", "kind", "label", "coproduction_mode", "tool_type", "factor", "quote",
                "provenance_reference")] + [" ".join(data.get("cases") or []),
                                            " ".join(str(case.public_id) for case in linked(finding))]

    def link_rows():
        for finding in findings():
            for case in linked(finding):
                yield [finding.study.short_name, finding.key, str(case.public_id), case.slug]

    finding_key = ["study", "key"]
    return [
        Table("study_findings", "Constats de l'étude", "Ce qu'une étude rapporte une fois pour plusieurs cas "
              "(à compter une fois) : /api/v1/cases/<slug>/ study_findings ; les cas concernés sont dans "
              "study_finding_cases.", [
                  Field("study", required=True), Field("key", required=True), Field("kind", required=True),
                  Field("label"), Field("coproduction_mode", vocabulary="coproduction_modes"),
                  Field("tool_type", vocabulary="tool_types"), Field("factor", vocabulary="factors"),
                  Field("quote", description="Le texte de l'étude."),
                  Field("reference", description="Diapositive ou page de l'étude."),
                  Field("case_slugs", description="Les slugs des cas publiés concernés, séparés par une espace."),
                  Field("case_public_ids", description="Leurs public_id, dans le même ordre (la clé : voir "
                                                       "study_finding_cases)."),
              ], finding_key, rows=finding_rows),
        Table("study_finding_cases", "Cas des constats de l'étude", "Une ligne par constat et cas concerné.", [
            Field("study", required=True), Field("key", required=True), case_public_id_field(), case_slug_field(),
        ], [*finding_key, "case_public_id"], [_fk(finding_key, "study_findings", finding_key), _case_fk()],
            rows=link_rows),
    ]
