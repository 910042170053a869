"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

``playwright install`` cannot download browsers here, so the launch points at /usr/bin/chromium with
the flags that keep it off the (closed) network.
"""

import os
from pathlib import Path

import pytest

# The sync Playwright API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The tests play a French visitor: Chromium would otherwise send Accept-Language en-US and, now that
    # the English catalogue is complete, LocaleMiddleware would serve the English site.
    return {**browser_context_args, "locale": "fr-FR"}


# Chromium reports each blocked load or inline script/style as a console error ("Refused to … because it
# violates the following Content Security Policy directive"); the event listener catches the rest.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI);
});
"""


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on any Content-Security-Policy violation it met."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.add_init_script(CSP_LISTENER)
    yield page
    assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def base(live_server):
    """The live server's root URL, without the trailing slash."""
    return live_server.url.rstrip("/")


def run_axe(page) -> list[dict]:
    """Run axe-core (vendored) on the current page; returns serious and critical violations.

    The script is evaluated rather than injected as a <script> tag so that a strict CSP cannot block it.
    """
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
