"""Smoke test of a running production site (started by scripts/prod_smoke.sh): every public page, the
security headers, the error pages, the sign-up with its e-mail, a submission through the write API and a
moderator's decision through the moderation pages.

    python scripts/prod_smoke.py BASE_URL MAIL_DIR
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.contributions.utils import complete_payload  # noqa: E402  (the tests' complete case)

PUBLIC_PAGES = ["/", "/cas/", "/carte/", "/comparer/", "/statistiques/", "/methodologie/", "/accessibilite/",
                "/a-propos-des-donnees/", "/cas/collectivite-a/", "/cas/collectivite-a/historique/",
                "/comptes/connexion/", "/comptes/inscription/", "/comptes/mot-de-passe/oubli/", "/api/docs/",
                "/api/redoc/", "/api/v1/cases/", "/api/v1/vocabularies/", "/api/v1/cases.csv",
                "/carte/donnees.geojson", "/sante/?format=json"]
PASSWORD = "Une phrase de passe bien longue 2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path, data=None, headers=None, json_body=None, method=None):
        body = None
        headers = {"Accept-Language": "fr", **(headers or {})}
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Referer"] = self.base + path  # Django's CSRF check wants a same-origin Referer over HTTPS
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post_form(self, path, data):
        status, _headers, _page = self.request(path)
        assert status == 200, (path, status)
        return self.request(path, {**data, "csrfmiddlewaretoken": self.csrf()})


def manage_shell(code):
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def check(condition, message):
    if not condition:
        sys.exit(f"SMOKE FAILED: {message}")
    print(f"ok  {message}")


def main(base, mail_dir, site_pid):
    for _ in range(240):  # the first start loads every French territory
        try:
            os.kill(site_pid, 0)
        except ProcessLookupError:
            sys.exit("SMOKE FAILED: the site stopped")
        try:
            if urllib.request.urlopen(base + "/sante/?format=json", timeout=5).status == 200:
                break
        except OSError:
            time.sleep(1)
    else:
        sys.exit("SMOKE FAILED: the site did not become healthy")
    visitor = Browser(base)
    commune = manage_shell("import json; from cases.models import Territory; "
                           "t = Territory.objects.filter(kind='commune').order_by('-population').first(); "
                           "print(json.dumps({'pk': t.pk, 'name': t.name, 'url': t.get_absolute_url()}))")
    for path in [*PUBLIC_PAGES, commune["url"]]:
        status, headers, page = visitor.request(path)
        check(status == 200 and "Traceback" not in page, f"GET {path} → {status}")
        check("script-src 'self'" in headers.get("Content-Security-Policy", "")
              and "camera=()" in headers.get("Permissions-Policy", ""), f"security headers on {path}")
    status, _h, page = visitor.request("/nulle-part/")
    check(status == 404 and "Page introuvable" in page and "main-nav" in page, "404 page with the navigation")
    status, headers, _page = visitor.request("/api/v1/nulle-part/")
    check(status == 404 and headers["Content-Type"] == "application/json", "API 404 in JSON")

    # Sign-up, confirmation e-mail, password chosen at activation.
    official = Browser(base)
    email = "smoke.officiel@mairie.example.fr"
    status, headers, _ = official.post_form("/comptes/inscription/", {
        "first_name": "Camille", "last_name": "Fumée", "email": email, "organisation": "Mairie",
        "job_title": "Chargée de mission", "territory": commune["pk"], "territory_query": commune["name"],
        "website": ""})
    check(status == 302 and headers["Location"].endswith("/comptes/inscription/envoyee/"), "sign-up accepted")
    mails = "".join(path.read_text() for path in Path(mail_dir).glob("*"))
    link = re.search(r"https?://[^\s]+/comptes/activer/[^\s]+/", mails)
    check(link is not None, "activation e-mail written")
    path = urllib.parse.urlparse(link.group(0)).path
    status, headers, _ = official.post_form(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    check(status == 302, "account activated with a chosen password")

    # A submission through the write API, with a token made on the token page.
    status, _h, page = official.post_form("/comptes/jeton-api/", {})
    key = re.search(r'id="api-token"[^>]*value="([^"]+)"', page)
    check(status == 200 and key is not None, "API token issued")
    auth = {"Authorization": f"Token {key.group(1)}"}
    payload = complete_payload(type("T", (), {"pk": commune["pk"]})(), title="Budget participatif (smoke)")
    status, _h, body = official.request("/api/v1/contributions/", headers=auth, json_body=payload)
    check(status == 201, f"draft created through the API ({status})")
    case_pk = json.loads(body)["id"]
    status, _h, body = official.request(f"/api/v1/contributions/{case_pk}/submit/", headers=auth, json_body={})
    check(status == 200 and json.loads(body)["status"] == "submitted", "draft submitted")

    # A moderator publishes it from the moderation pages.
    manage_shell("import json; from django.contrib.auth import get_user_model; from django.core.management import "
                 "call_command; u = get_user_model().objects.create_user('smoke.moderateur@example.org', "
                 f"'smoke.moderateur@example.org', {PASSWORD!r}); call_command('grant_moderator', u.username); "
                 "print(json.dumps(u.pk))")
    moderator = Browser(base)
    status, _h, _ = moderator.post_form("/comptes/connexion/", {"username": "smoke.moderateur@example.org",
                                                                "password": PASSWORD})
    check(status == 302, "moderator logged in")
    status, _h, page = moderator.request("/moderation/")
    check(status == 200 and "Budget participatif (smoke)" in page, "the submission is in the moderation queue")
    status, _h, page = moderator.request(f"/moderation/cas/{case_pk}/")
    check(status == 200, "moderator opened the review page")
    decision = {"action": "publish", "comment": "", "csrfmiddlewaretoken": moderator.csrf()}
    status, _h, _ = moderator.request(f"/moderation/cas/{case_pk}/action/", decision)
    check(status == 302, "moderator published the case")
    status, _h, page = visitor.request("/cas/?q=smoke")
    check(status == 200 and "Budget participatif (smoke)" in page, "the published case is public")
    status, _h, page = visitor.request("/sante/?format=json")
    check(status == 200, "healthy at the end")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3]))
