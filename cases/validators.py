"""Validators of user-written text, attached to the model fields so that every path (guided form,
write API, admin, loaders) applies them through ``full_clean()``.
"""

import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .markdown import MARKDOWN_MAX_LENGTH

# Longest note, rationale, citation or description a contributor may write.
FREE_TEXT_MAX_LENGTH = 5_000

free_text_length = MaxLengthValidator(FREE_TEXT_MAX_LENGTH)
markdown_length = MaxLengthValidator(MARKDOWN_MAX_LENGTH)


def validate_single_line(value: str) -> None:
    """No line break nor other control character in a name or a title.

    A title travels into e-mail subjects, CSV cells and page headings: a line break there would let
    its author write into the body of a moderator's e-mail.
    """
    if any(unicodedata.category(char) == "Cc" for char in value or ""):
        raise ValidationError(_("Ce champ tient sur une seule ligne, sans caractère de contrôle."),
                              code="control_character")


def display_text(value: str) -> str:
    """A public name as it will be stored: NFKC-normalised, so that full-width or compatibility forms
    ("Ｃollectivité") become the ordinary letters they look like."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_unconfusable(value: str) -> None:
    """Refuse a public name that mixes scripts with look-alike letters (a Cyrillic "е" in a Latin word):
    it could display as another case's name, "Collectivité A" for instance."""
    if value and confusables.is_dangerous(value):
        raise ValidationError(_("Ce nom mélange des alphabets avec des lettres qui se ressemblent : "
                                "écrivez-le avec un seul alphabet."), code="confusable")
