"""Officials' pages: ``drafts`` (dashboard, guided form) and ``accounts`` (sign-up, activation, token)."""
