"""How the site writes e-mails: rendered in the site's language from a text template whose first line is
the subject, with absolute links. Sent through Django's backend (console by default, SMTP by env).
"""

from contextvars import ContextVar

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The address the current request came to (scheme and host, checked against ALLOWED_HOSTS). Workflow
# e-mails sent while answering a request link there, as the account activation link does; outside a
# request (management commands) they fall back to SITE_URL.
_request_root: ContextVar[str] = ContextVar("request_root", default="")


def site_root() -> str:
    return (_request_root.get() or settings.SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return site_root() + path


class RequestRootMiddleware:
    """Remembers the request's scheme and host for ``absolute()`` while the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_root.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _request_root.reset(token)


def render_email(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from the text template ``template``, whose first line is the subject."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(template, {"site_url": site_root(), **context})
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"
