"""Serializers of the read API. Every case, tool and child is read through ``cases.api.public``.

``PublicCaseMixin`` wraps the instance before any field is read, so no serializer of a case (or of a tool,
which carries its case) can reach a non-public attribute: the wrapper raises instead of leaking.
"""

from datetime import UTC

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from cases.models import Event
from cases.research.vocabularies import FindingKind, FindingLevel, Provenance
from cases.vocabularies import (
    PUBLIC_AREAS,
    PUBLIC_BAND_CHOICES,
    Assessment,
    Carrier,
    CollectionMethod,
    CoproductionMode,
    Disclosure,
    EpciType,
    EventKind,
    Factor,
    FactorGroup,
    Helix,
    ManagementMode,
    PopulationDisclosure,
    Scope,
    SourceKind,
    TerritoryKind,
    Theme,
    ToolStatus,
    ToolType,
)

from .public import public_case, public_tool


class CodeField(serializers.ChoiceField):
    """A vocabulary code; an empty (unknown) value is ``null``. Labels: ``/api/v1/vocabularies/``."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(choices=choices, **kwargs)

    def to_representation(self, value):
        return value or None


def codes(choices, **kwargs):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), read_only=True, **kwargs)


class PublicCaseMixin:
    def to_representation(self, instance):
        return super().to_representation(public_case(instance))


class PublicToolMixin:
    def to_representation(self, instance):
        return super().to_representation(public_tool(instance))


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code officiel INSEE (texte), ou SIREN pour un EPCI.")
    name = serializers.CharField()


class TerritoryRefSerializer(PlaceSerializer):
    kind = CodeField(TerritoryKind.choices, allow_null=False)


class LocationSerializer(serializers.Serializer):
    longitude = serializers.FloatField()
    latitude = serializers.FloatField()
    precision = CodeField(TerritoryKind.choices, allow_null=False,
                          help_text="Le type de territoire dont le point est le centre (région pour un cas "
                                    "pseudonymisé).")


# One instant format everywhere (JSON, CSV, GeoJSON): UTC, to the second, with a "Z".
INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def instant_field(**kwargs):
    return serializers.DateTimeField(read_only=True, default_timezone=UTC, format=INSTANT_FORMAT, **kwargs)


class CaseSummarySerializer(PublicCaseMixin, serializers.Serializer):
    public_id = serializers.UUIDField(
        read_only=True, help_text="Identifiant stable et opaque : ne change pas avec le slug (renommage). "
                                  "Un cas dont la divulgation change peut recevoir un nouvel identifiant.")
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="Nom public : le pseudonyme d'un cas pseudonymisé.")
    url = serializers.SerializerMethodField(help_text="La fiche du cas sur le site.")
    api_url = serializers.SerializerMethodField()
    disclosure = CodeField(Disclosure.choices, allow_null=False)
    scope = CodeField(Scope.choices)
    carrier = CodeField(Carrier.choices)
    territory = TerritoryRefSerializer(read_only=True, allow_null=True,
                                       help_text="Toujours null pour un cas pseudonymisé.")
    departement = PlaceSerializer(read_only=True, allow_null=True,
                                  help_text="Toujours null pour un cas pseudonymisé.")
    epci = PlaceSerializer(read_only=True, allow_null=True, help_text="Toujours null pour un cas pseudonymisé.")
    region = PlaceSerializer(read_only=True, allow_null=True,
                             help_text="Null pour un cas pseudonymisé dont la région n'est pas publiée (voir area).")
    area = CodeField(PUBLIC_AREAS, help_text="Cas pseudonymisé dont la région est généralisée : "
                                             "France métropolitaine ou outre-mer.")
    disclosure_k = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text="Cas pseudonymisé : nombre de collectivités réelles correspondant à ce qui est publié.")
    cog_year = serializers.IntegerField(read_only=True, allow_null=True,
                                        help_text="Millésime du Code officiel géographique des codes donnés.")
    location = LocationSerializer(read_only=True, allow_null=True,
                                  help_text="Point public (longitude, latitude WGS 84), au plus fin celui de "
                                            "la région pour un cas pseudonymisé.")
    population_city = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text="Population exacte de la ville centre ; null si inconnue ou si le cas ne la divulgue pas.",
    )
    population_city_band = CodeField(PUBLIC_BAND_CHOICES)
    population_epci = serializers.IntegerField(read_only=True, allow_null=True)
    population_epci_band = CodeField(PUBLIC_BAND_CHOICES)
    population_year = serializers.IntegerField(read_only=True, allow_null=True)
    seasonal_population_peak = serializers.IntegerField(read_only=True, allow_null=True)
    population_disclosure = CodeField(PopulationDisclosure.choices, allow_null=False)
    launch_year = serializers.IntegerField(read_only=True, allow_null=True)
    launch_date = serializers.DateField(read_only=True, allow_null=True)
    horizon_year = serializers.IntegerField(read_only=True, allow_null=True)
    dominant_theme = CodeField(Theme.choices)
    secondary_themes = codes(Theme.choices)
    management_mode = CodeField(ManagementMode.choices)
    collection_methods = codes(CollectionMethod.choices)
    observation_start_year = serializers.IntegerField(read_only=True, allow_null=True)
    observation_end_year = serializers.IntegerField(read_only=True, allow_null=True)
    website = serializers.URLField(read_only=True, allow_null=True,
                                   help_text="Null pour un cas pseudonymisé (un domaine nommerait la collectivité).")
    tool_count = serializers.SerializerMethodField()
    modes = codes(CoproductionMode.choices, help_text="Modes de co-production présents parmi ses outils.")
    tool_types = codes(ToolType.choices)
    highest_mode = CodeField(CoproductionMode.choices)
    published_at = instant_field(allow_null=True)
    updated_at = instant_field()

    def _absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, case) -> str:
        return self._absolute(case.get_absolute_url())

    def get_api_url(self, case) -> str:
        return self._absolute(reverse("api:case-detail", kwargs={"slug": case.slug}))

    def get_tool_count(self, case) -> int:
        return len(case.tools)


class ProvenanceFields(serializers.Serializer):
    """Who asserted a coded value (``cases.research``), on every coded row."""

    provenance = CodeField(Provenance.choices, allow_null=False,
                           help_text="Qui l'affirme : l'étude source, la collectivité (déclaration) ou les éditeurs.")
    provenance_reference = serializers.CharField(read_only=True, help_text="Diapositive ou page de l'étude.")
    validated = serializers.BooleanField(read_only=True, help_text="Validé par un chercheur.")
    validated_at = instant_field(allow_null=True)
    finding_level = CodeField(FindingLevel.choices, allow_null=False,
                              help_text="« case » : propre à ce cas ; « study » : rapporté conjointement par une "
                                        "étude pour plusieurs cas (à compter une fois).")


class ToolSerializer(PublicToolMixin, ProvenanceFields):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    tool_type = CodeField(ToolType.choices, allow_null=False)
    coproduction_mode = CodeField(CoproductionMode.choices, allow_null=False)
    classification_rationale = serializers.CharField(read_only=True)
    status = CodeField(ToolStatus.choices)
    launch_year = serializers.IntegerField(read_only=True, allow_null=True)
    end_year = serializers.IntegerField(read_only=True, allow_null=True)
    software = serializers.CharField(read_only=True)
    open_source = serializers.BooleanField(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True, allow_null=True)
    position = serializers.IntegerField(read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True,
                                      help_text="Identifiant de la source (voir ``sources`` du cas).")


class ToolCaseSerializer(PublicCaseMixin, serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    disclosure = CodeField(Disclosure.choices, allow_null=False)
    region = PlaceSerializer(read_only=True, allow_null=True)
    departement = PlaceSerializer(read_only=True, allow_null=True)
    territory = TerritoryRefSerializer(read_only=True, allow_null=True)
    dominant_theme = CodeField(Theme.choices)
    management_mode = CodeField(ManagementMode.choices)
    carrier = CodeField(Carrier.choices)
    population_city_band = CodeField(PUBLIC_BAND_CHOICES)


class ToolRowSerializer(ToolSerializer):
    case = ToolCaseSerializer(read_only=True)


class StakeholderSerializer(ProvenanceFields):
    name = serializers.CharField(read_only=True)
    helix = CodeField(Helix.choices, allow_null=False)
    role = serializers.CharField(read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)


class FactorSerializer(ProvenanceFields):
    factor = CodeField(Factor.choices, allow_null=False)
    group = CodeField(FactorGroup.choices)
    assessment = CodeField(Assessment.choices, allow_null=False)
    note = serializers.CharField(read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)


class EventSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    date_precision = CodeField(Event.Precision.choices, allow_null=False,
                               help_text="« year » : seule l'année est connue (la date est le 1er janvier).")
    kind = CodeField(EventKind.choices, allow_null=False)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    kind = CodeField(SourceKind.choices, allow_null=False)
    citation = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, allow_null=True)
    date = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)


class FieldProvenanceSerializer(ProvenanceFields):
    field = serializers.CharField(read_only=True, help_text="Caractéristique du cas (nom du champ).")
    finding_level = None


class StudyFindingSerializer(ProvenanceFields):
    key = serializers.CharField(read_only=True)
    study = serializers.CharField(source="study.short_name", read_only=True)
    kind = CodeField(FindingKind.choices, allow_null=False)
    label = serializers.CharField(read_only=True)
    coproduction_mode = CodeField(CoproductionMode.choices)
    tool_type = CodeField(ToolType.choices, help_text="Codage de l'observatoire, pas de l'étude.")
    factor = CodeField(Factor.choices)
    quote = serializers.CharField(read_only=True, help_text="Le texte de l'étude.")
    cases = serializers.SerializerMethodField(help_text="Identifiants des cas publiés concernés.")

    def get_cases(self, finding) -> list[str]:
        # ``research.selectors`` prefetches the published cases (``published_cases``): no query per finding.
        cases = getattr(finding, "published_cases", None)
        if cases is None:
            cases = [c for c in finding.cases.all() if c.status == "published"]
        return sorted(c.slug for c in cases)


class CaseDetailSerializer(CaseSummarySerializer):
    field_provenance = FieldProvenanceSerializer(many=True, read_only=True)
    study_findings = StudyFindingSerializer(many=True, read_only=True)
    summary = serializers.CharField(read_only=True, help_text="Présentation, en Markdown.")
    tools = ToolSerializer(many=True, read_only=True)
    stakeholders = StakeholderSerializer(many=True, read_only=True)
    factors = FactorSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)


class TerritorySerializer(serializers.Serializer):
    kind = CodeField(TerritoryKind.choices, allow_null=False)
    code = serializers.CharField(read_only=True, help_text="Code INSEE (texte) ou SIREN pour un EPCI / EPT.")
    siren = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    epci_type = CodeField(EpciType.choices)
    population = serializers.IntegerField(read_only=True, allow_null=True)
    population_year = serializers.IntegerField(read_only=True, allow_null=True)
    departement = PlaceSerializer(read_only=True, allow_null=True)
    region = PlaceSerializer(read_only=True, allow_null=True)
    epci = PlaceSerializer(read_only=True, allow_null=True)
    ept = PlaceSerializer(read_only=True, allow_null=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    cog_year = serializers.IntegerField(read_only=True, allow_null=True)


class VocabularyCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_fr = serializers.CharField()
    label_en = serializers.CharField()
    definition_fr = serializers.CharField(allow_null=True)
    definition_en = serializers.CharField(allow_null=True)
    group = serializers.CharField(allow_null=True, help_text="Pour les facteurs : leur groupe (vocabulaire "
                                                             "« factor_groups »).")


class VocabularySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Nom du vocabulaire ; les champs de l'API qui l'utilisent le citent.")
    label_fr = serializers.CharField()
    label_en = serializers.CharField()
    codes = VocabularyCodeSerializer(many=True)


class VocabulariesSerializer(serializers.Serializer):
    vocabularies = VocabularySerializer(many=True)


class LabelledCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CrossTableRowSerializer(LabelledCodeSerializer):
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="Un effectif par colonne.")
    total = serializers.IntegerField()


class CrossTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField(help_text="Ce que comptent les cellules : outils ou cas.")
    row_label = serializers.CharField()
    columns = LabelledCodeSerializer(many=True)
    rows = CrossTableRowSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    case_count = serializers.IntegerField()
    tool_count = serializers.IntegerField()
    tables = CrossTableSerializer(many=True)


class CompareCellSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True, help_text="La donnée : nombre, date ISO 8601 ou code d'un "
                                                             "vocabulaire ; null si inconnue ou non divulguée.")
    label = serializers.CharField(help_text="Le libellé affiché par le site (« — » si inconnue).")


class CompareRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = CompareCellSerializer(many=True, help_text="Une cellule par cas, dans l'ordre.")


class CompareCaseSerializer(CaseSummarySerializer):
    """What the comparison shows of each case (the fiche has the timeline and the sources)."""

    tools = ToolSerializer(many=True, read_only=True)
    stakeholders = StakeholderSerializer(many=True, read_only=True)
    factors = FactorSerializer(many=True, read_only=True)


class CompareSerializer(serializers.Serializer):
    cases = CompareCaseSerializer(many=True)
    characteristics = CompareRowSerializer(many=True, help_text="Le tableau « Principales caractéristiques ».")
    modes = CompareRowSerializer(many=True, help_text="Nombre d'outils par mode de co-production.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages par paramètre fautif.",
    )


class FeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = serializers.JSONField(allow_null=True, help_text="Point [longitude, latitude], ou null.")
    properties = serializers.DictField(help_text="Colonnes du CSV (sauf indicateurs 0/1) ; listes pour les "
                                                 "champs multivalués (`modes`, `tool_types`…).")


@extend_schema_serializer(many=False)  # one collection, never paginated
class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = FeatureSerializer(many=True)
