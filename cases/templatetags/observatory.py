from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from cases.markdown import render_markdown
from cases.permissions import abilities as abilities_of

register = template.Library()


@register.filter
def markdown(text, without_links=False):
    """``{{ case.summary|markdown:case.is_pseudonymised }}``: a pseudonymised case's text shows no link."""
    # Safe to mark safe: render_markdown sanitises with an allow-list (nh3).
    return mark_safe(render_markdown(text, links=not without_links))  # noqa: S308


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


@register.filter
def other_language_mode(value):
    """A continuum mode's name in the other language (French page: English name, and back), so that both
    names of a level sit side by side wherever it is shown."""
    from django.utils import translation

    from cases.vocabularies import CoproductionMode

    if value not in CoproductionMode.values:
        return ""
    other = "en" if (translation.get_language() or "fr").startswith("fr") else "fr"
    with translation.override(other):
        return str(CoproductionMode(value).label)


@register.filter
def other_language_code(_value=None):
    from django.utils import translation

    return "en" if (translation.get_language() or "fr").startswith("fr") else "fr"


@register.simple_tag
def continuum_levels():
    """The continuum from least to most engagement: ``(rank, code, label, definition, example)``."""
    from cases.vocabularies import CONTINUUM_EXAMPLES, COPRODUCTION_DEFINITIONS, CoproductionMode

    return [(rank, mode.value, mode.label, COPRODUCTION_DEFINITIONS[mode], CONTINUUM_EXAMPLES[mode])
            for rank, mode in enumerate(CoproductionMode, start=1)]


@register.simple_tag
def other_mode(value):
    """``<span lang="en">(Consumer co-production)</span>`` on a French page: the other name of a mode."""
    from django.utils.html import format_html

    name = other_language_mode(value)
    if not name:
        return ""
    return format_html('<span class="other-name" lang="{}">({})</span>', other_language_code(), name)
