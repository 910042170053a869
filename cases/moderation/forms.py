"""The moderator's forms: the queue's filters and the decision."""


from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Territory
from ..text import fold
from ..vocabularies import TerritoryKind


class ModerationForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire pour le contributeur"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour demander des modifications ou refuser : il est envoyé par e-mail."),
    )
    disclosure_override = forms.CharField(
        label=_("Dérogation au contrôle de divulgation (motif)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement pour publier un cas pseudonymisé qui ne satisfait pas le contrôle : le motif "
                    "est enregistré dans l'historique de modération."),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("File d'attente"), required=False,  # "File" alone is Django's own "Fichier"
        choices=[("submitted", gettext_lazy("À modérer")),
                 ("changes_requested", gettext_lazy("En attente du contributeur"))],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False, choices=[
        ("", gettext_lazy("Tous")), ("new", gettext_lazy("Nouveaux cas")), ("update", gettext_lazy("Mises à jour")),
    ])
    region = forms.ChoiceField(label=gettext_lazy("Région"), required=False)
    verified = forms.ChoiceField(label=gettext_lazy("Contributeur"), required=False, choices=[
        ("", gettext_lazy("Tous")), ("yes", gettext_lazy("Vérifié")), ("no", gettext_lazy("Non vérifié")),
    ])
    q = forms.CharField(label=gettext_lazy("Nom contenant"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = sorted(Territory.objects.filter(kind=TerritoryKind.REGION).values_list("code", "name"),
                         key=lambda row: fold(row[1]))  # "Île-de-France" among the I, not after "Provence"
        self.fields["region"].choices = [("", _("Toutes")), *regions]
