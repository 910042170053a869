"""User-written Markdown to safe HTML: rendered by cmark-gfm (CommonMark), then sanitised by nh3 (ammonia).

Why cmark: its parser runs in time linear in the input, whatever the input (python-markdown took
minutes on 25,000 ``[``: any contributor could stall a worker). Inputs are bounded as well: the
forms and the write API refuse a free text longer than ``MARKDOWN_MAX_LENGTH``.
"""

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

# The longest Markdown text a contributor may write (a case's presentation). Rendering stays linear in
# any case; the bound keeps pages and exports a readable size.
MARKDOWN_MAX_LENGTH = 20_000

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str, *, links: bool = True) -> str:
    """Markdown to HTML that is safe to mark safe: only the tags above survive, links get rel=noopener.

    ``links=False`` (the text of a pseudonymised case) keeps a link's words and drops the link itself:
    a second guard behind ``cases.disclosure.links.strip_links``, which removes the addresses first.
    """
    if not text:
        return ""
    # Safe mode is cmark's default (no CMARK_OPT_UNSAFE): raw HTML and javascript: URLs are dropped
    # before nh3 sees them.
    html = cmarkgfm.markdown_to_html(text, options=Options.CMARK_OPT_VALIDATE_UTF8)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS if links else ALLOWED_TAGS - {"a"},
        attributes=ALLOWED_ATTRIBUTES if links else {},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow" if links else None,
    )
