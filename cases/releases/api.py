"""``/api/v1/releases/``: the published releases, each with its files (size, SHA-256), citation and licence."""


from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from cases.api.filters import LIST_PARAMS
from cases.api.serializers import instant_field
from cases.api.views import NOT_FOUND, APIViewMixin

from . import citation, licence
from .models import Release


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()
    size = serializers.IntegerField(help_text="Taille en octets.")
    sha256 = serializers.CharField()
    media_type = serializers.CharField()


class CitationSerializer(serializers.Serializer):
    apa = serializers.CharField()
    bibtex = serializers.CharField()
    cff = serializers.CharField(help_text="CITATION.cff (YAML).")
    datacite = serializers.JSONField(help_text="Métadonnées DataCite 4.5 (attributs JSON).")


class LicenceSerializer(serializers.Serializer):
    name = serializers.CharField()
    spdx = serializers.CharField()
    url = serializers.URLField()


class NotesSerializer(serializers.Serializer):
    previous = serializers.CharField(allow_null=True)
    added = serializers.ListField(child=serializers.CharField(),
                                  help_text="Cas ajoutés, par identifiant public stable (public_id).")
    updated = serializers.ListField(child=serializers.CharField())
    withdrawn = serializers.ListField(child=serializers.CharField())


class ReleaseSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="Version calendaire AAAA.MM.N.")
    created_at = instant_field()
    url = serializers.SerializerMethodField(help_text="La page de la publication (l'adresse à citer).")
    size = serializers.IntegerField(help_text="Taille totale des fichiers, en octets.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Lignes par table.")
    notes = NotesSerializer()
    files = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()
    licence = serializers.SerializerMethodField()

    def get_url(self, release) -> str:
        return citation.release_url(release)

    @extend_schema_field(ReleaseFileSerializer(many=True))
    def get_files(self, release):
        return [{**item, "url": citation.file_url(release, item["name"])} for item in release.files]

    @extend_schema_field(CitationSerializer)
    def get_citation(self, release):
        return {**citation.citations(release), "datacite": citation.datacite(release)}

    @extend_schema_field(LicenceSerializer)
    def get_licence(self, release):
        return {"name": licence.NAME, "spdx": licence.SPDX, "url": licence.URL}


@extend_schema_view(
    list=extend_schema(summary="Publications figées des données (Data Packages), les plus récentes d'abord",
                       description="Chaque publication est un Data Package Frictionless immuable : fichiers, "
                                   "tailles, empreintes SHA-256, notes de version, citation et licence "
                                   f"({licence.SHORT_NAME})."),
    retrieve=extend_schema(summary="Une publication", responses={200: ReleaseSerializer, **NOT_FOUND}),
)
class ReleaseViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReleaseSerializer
    lookup_field = "version"
    lookup_value_regex = r"[0-9]{4}\.[0-9]{2}\.[0-9]+"
    queryset = Release.objects.all()

    def filter_queryset(self, queryset):
        # No filter here, but no silence either: a parameter that would not apply is a 400, as everywhere.
        unknown = sorted(name for name in self.request.query_params
                         if name not in LIST_PARAMS and not name.startswith("_"))
        if unknown:
            message = _("Paramètre inconnu. Paramètres possibles : %(names)s.") % {
                "names": ", ".join(sorted(LIST_PARAMS))}
            raise ValidationError({name: [message] for name in unknown})
        return queryset
