from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from cases.markdown import render_markdown
from cases.permissions import abilities as abilities_of

register = template.Library()


@register.filter
def markdown(text):
    # Safe to mark safe: render_markdown sanitises with an allow-list (nh3).
    return mark_safe(render_markdown(text))  # noqa: S308


@register.simple_tag
def abilities(user, obj=None):
    """Templates ask the same gate as views: ``{% abilities request.user case as can %}``."""
    return abilities_of(user, obj)


@register.filter
def population(value):
    """A population with French/English thousands separators, or an em dash when unknown."""
    if value is None:
        return "—"
    return number_format(value, force_grouping=True)
