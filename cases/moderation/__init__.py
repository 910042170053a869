"""Moderation: the case life cycle and the moderators' work.

- ``models.py`` — ModerationEvent (append-only log of transitions);
- ``workflow.py`` — each transition, checked and logged (``case_submit`` included);
- ``services.py`` — decisions on cases and pending updates, contributor verification, the role;
- ``selectors.py`` — the queue; ``forms.py``; ``views.py`` + ``urls.py`` — queue, review, actions;
- ``emails.py`` — who hears of each transition.
"""
