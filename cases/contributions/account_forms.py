"""Account forms: sign-up (with a honeypot against bots), choosing the password once the address is
confirmed, and log-in by e-mail address."""

import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .forms import TerritoryPickerMixin


class HoneypotMixin:
    """A field people never see nor reach: a bot that fills every input fills it and is refused."""

    honeypot_name = "website"

    def add_honeypot(self):
        self.fields[self.honeypot_name] = forms.CharField(
            label=_("Ne remplissez pas ce champ"), required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean_honeypot(self):
        if self.cleaned_data.get(self.honeypot_name):
            raise ValidationError(_("Votre demande n'a pas pu être traitée."), code="honeypot")


class NormalisedEmailField(forms.EmailField):
    """NFKC before validation: a full-width look-alike ("ｃａｍｉｌｌｅ@ｍａｉｒｉｅ.ｆｒ") is the plain
    address it looks like, so it meets the same account, the same checks and the same answer."""

    def to_python(self, value):
        return unicodedata.normalize("NFKC", super().to_python(value)).strip().lower()


class SignupForm(HoneypotMixin, TerritoryPickerMixin, forms.Form):
    """Who you are and for which collectivity; the password is chosen after the address is confirmed."""

    email = NormalisedEmailField(label=_("Adresse e-mail professionnelle"), max_length=150,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(label=_("Prénom"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=pgettext_lazy("person", "Nom"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200,
        help_text=_("Votre employeur : mairie, intercommunalité, département, association…"),
    )
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_territory_fields()
        self.add_honeypot()

    def clean(self):
        cleaned = super().clean()
        self.clean_honeypot()
        cleaned["territory"] = self.clean_territory_pick(cleaned)
        return cleaned


class LoginForm(AuthenticationForm):
    # Django's own text speaks of a "nom d'utilisateur" while the field asks for an e-mail address.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Les deux champs tiennent compte des "
                           "majuscules pour le mot de passe ; vérifiez aussi que votre compte est activé."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Adresse e-mail (ou identifiant)")

    def clean_username(self):
        # Accounts made by sign-up use the lower-cased e-mail address as their user name.
        username = self.cleaned_data.get("username", "")
        return username.strip().lower() if "@" in username else username


class ChoosePasswordForm(SetPasswordForm):
    """The last step of sign-up, reached from the link sent to the address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mot de passe")
        self.fields["new_password2"].label = _("Confirmation du mot de passe")
