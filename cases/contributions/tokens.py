"""API keys for the write API: issued once, stored hashed, expiring, revoked by a password change.

``Authorization: Token <key>`` as before (DRF's scheme), but the database holds only the key's SHA-256,
so neither a database dump nor the admin shows a usable key; the owner sees it once, when it is made.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """Changes whenever the account's password does (a new hash has a new salt)."""
    return salted_hmac("cases.contributions.tokens", user.password or "", algorithm="sha256").hexdigest()


def token_issue(user) -> tuple[ApiToken, str]:
    """A new key for ``user``; returns the row and the key itself, which is never stored nor shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=key_hash(key), key_prefix=key[:8], password_fingerprint=password_fingerprint(user),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return token, key


def token_is_live(token: ApiToken) -> bool:
    return (token.user.is_active and token.expires_at > timezone.now()
            and constant_time_compare(token.password_fingerprint, password_fingerprint(token.user)))


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header, checked against the stored hashes."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None or not token_is_live(token):
            raise exceptions.AuthenticationFailed(_("Jeton invalide, expiré ou révoqué."))
        # At most one write a minute: enough to tell the owner when the key last served.
        if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
