"""Template helpers of the contribution and moderation pages."""

from django import template

from cases.vocabularies import COPRODUCTION_DEFINITIONS, CoproductionMode

register = template.Library()


@register.filter
def mode_definition(value):
    """The definition (with examples) of a continuum mode, shown next to its radio button."""
    try:
        return COPRODUCTION_DEFINITIONS[CoproductionMode(value)]
    except ValueError:
        return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
