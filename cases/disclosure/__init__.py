"""Disclosure control for pseudonymised cases (issue 10, docs/disclosure.md).

- ``rule.py`` — the pure rule: how many real collectivities match what a case publishes (*k*), and the
  deterministic generalisation ladder applied until *k* reaches ``DISCLOSURE_MIN_K``;
- ``names.py`` — identifying names (territory, EPCI, neighbours, website domain) found in free text;
- ``selectors.py`` — the rule applied to a stored case: its review (k, steps, occurrences) and the
  generalised public values stored on the case.
"""
