"""A corpus of XSS payloads typed by an official ends up harmless: in the Markdown renderer, on the
public profile, in the history, in the moderators' review and in the official's dashboard."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.contributions.services import contribution_start, revision_save, revision_submit
from cases.markdown import render_markdown
from cases.moderation.services import case_publish
from tests.contributions.utils import complete_payload
from tests.factories import CommuneFactory, ContributorFactory, UserFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<body onload=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)>",
    "<a href=\"https://example.org\" onclick=\"alert(1)\">ok</a>",
    "<style>body{display:none}</style>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "[a](https://example.org \"title\" onmouseover=alert(1))",
    "<<script>script>alert(1)<</script>/script>",
]
DANGEROUS_TAGS = {"script", "iframe", "svg", "img", "object", "embed", "style", "meta", "body", "form", "input",
                  "details", "math", "base", "link"}


class _Finder(HTMLParser):
    """Collects what a browser would actually run: dangerous elements, event handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def dangerous(html: str) -> list[str]:
    finder = _Finder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renderer_neutralises(payload):
    html = render_markdown(payload)
    assert dangerous(html) == [], html


def test_allowed_markdown_survives():
    html = render_markdown("**gras**, [lien](https://example.org) et\n\n- une liste")
    assert "<strong>gras</strong>" in html and 'href="https://example.org"' in html and "<li>" in html
    assert 'rel="noopener noreferrer nofollow"' in html


def _without_our_own_markup(html: str) -> str:
    # Our own pages legitimately carry <script src> for their JS and <form>/<input> elements: drop them, then
    # whatever dangerous markup is left came from user input.
    html = re.sub(r'<script src="/static/[^"]+" defer></script>', "", html)
    html = re.sub(r'<script id="[\w-]+" type="application/json">.*?</script>', "", html, flags=re.S)
    html = re.sub(r"<(form|input|textarea|select|details)\b[^>]*>", "", html)
    html = re.sub(r'<meta (charset|name)="[^"]*"( content="[^"]*")?>', "", html)
    html = html.replace('<body>', "")
    html = re.sub(r'<link rel="(stylesheet|icon)" href="/static/[^"]+"( type="[^"]+")?>', "", html)
    return html


@pytest.mark.django_db
def test_user_input_is_harmless_on_every_page(client):
    official, moderator = ContributorFactory(), UserFactory(moderator=True)
    commune = CommuneFactory()
    corpus = "\n\n".join(PAYLOADS)
    case = contribution_start(actor=official, title="Cas XSS", territory=commune)
    payload = complete_payload(commune, title="Cas <script>alert(1)</script>", summary=corpus)
    payload["tools"][0]["name"] = "<img src=x onerror=alert(1)>"
    payload["tools"][0]["classification_rationale"] = "<svg/onload=alert(1)>"
    payload["stakeholders"][0]["name"] = "<iframe src=javascript:alert(1)></iframe>"
    payload["sources"][0]["citation"] = "<body onload=alert(1)>"
    revision_submit(revision=revision_save(case=case, actor=official, data=payload),
                             actor=official)
    case.refresh_from_db()

    client.force_login(moderator)
    review = client.get(reverse("cases:moderation_review", args=[case.pk])).content.decode()
    case_publish(case=case, actor=moderator, comment="<script>alert('modérateur')</script>")
    pages = {"review": review}
    client.force_login(official)
    pages["dashboard"] = client.get(reverse("cases:contrib_dashboard")).content.decode()
    pages["edit"] = client.get(reverse("cases:contrib_edit", args=[case.pk])).content.decode()
    client.logout()
    pages["profile"] = client.get(case.get_absolute_url()).content.decode()
    pages["history"] = client.get(reverse("cases:case_history", args=[case.slug])
                                  + f"?date={case.published_at:%Y-%m-%d}").content.decode()
    for name, html in pages.items():
        assert dangerous(_without_our_own_markup(html)) == [], name
    # The text is still there, escaped, for people to read.
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["profile"]
