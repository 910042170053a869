"""How the site writes e-mails: rendered in the site's language from a text template whose first line is
the subject, with absolute links. Sent through Django's backend (console by default, SMTP by env).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render_email(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from the text template ``template``, whose first line is the subject."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"
