"""Pages and endpoints that show one person's data (drafts, tokens, the moderation queue) must never be
stored by a browser or a shared cache: ``private()`` marks a whole list of routes so, in one place.
"""

from django.urls import URLPattern
from django.views.decorators.cache import never_cache


def private(patterns: list[URLPattern]) -> list[URLPattern]:
    """The same routes, each answering with ``Cache-Control: no-store`` (and no-cache, private)."""
    for pattern in patterns:
        pattern.callback = never_cache(pattern.callback)
    return patterns
