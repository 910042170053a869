"""Officials' contributions: their account, their drafts and proposed updates.

- ``models.py`` — CaseRevision (working copy or pending update), ContributorProfile;
- ``services.py`` — every write of an official (account, draft, submission);
- ``payload.py`` — a case's content as JSON, normalised and diffed;
- ``forms.py`` (the guided form's parts), ``submission.py`` (``CaseSubmission``: the whole form, from a
  POST or a payload), ``account_forms.py`` (sign-up, log-in);
- ``views/`` — ``drafts`` (dashboard, guided form) and ``accounts``; ``urls.py``, ``urls_accounts.py``;
- ``api.py`` — the token-authenticated write API (drafts for officials, decisions for moderators);
- ``ratelimits.py``, ``emails.py``.
"""
