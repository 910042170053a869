"""Settings for the test suite: the real settings, with the test switch on before they are read."""

import os

os.environ.setdefault("TESTING", "true")
# The suite tests production's settings (HSTS, JSON logs, SMTP by default…), whatever the caller's shell
# says: `make` exports DEBUG=true for the development server, and it must not leak into the tests.
os.environ["DEBUG"] = "false"

from observatory.settings import *  # noqa: F403

# Hashing is not what the tests test; the fastest hasher keeps user fixtures cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client speaks plain HTTP; production's HTTPS redirect would turn every response into a 301.
SECURE_SSL_REDIRECT = False
