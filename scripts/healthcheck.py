"""The container's HEALTHCHECK: GET /sante/ on the local gunicorn, as the first allowed host (Django refuses
other Host headers); exit status 0 when the database and the cache answer."""

import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1]
request = urllib.request.Request(f"http://127.0.0.1:{port}/sante/?format=json", headers={"Host": host})
try:
    sys.exit(0 if urllib.request.urlopen(request, timeout=4).status == 200 else 1)  # noqa: S310 (fixed URL)
except OSError as error:
    sys.exit(f"unhealthy: {error}")
