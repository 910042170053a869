"""Research context: the source study as a first-class source, provenance of coded values, double coding.

- ``models.py`` — Study, StudyFinding (findings the study reports jointly for several cases),
  CaseFieldProvenance, Coding (one coder's blind coding), Reconciliation, and the ``Provenanced`` mixin
  that every coded value of the catalogue carries;
- ``provenance.py`` — who asserted a value: the rules applied by the services;
- ``agreement.py`` — Krippendorff's alpha over the double codings;
- ``services.py`` / ``selectors.py`` — writes and reads; ``loaders.py`` — ``load_study_cases``;
- ``views.py`` / ``urls.py`` — the moderators' blind coding and reconciliation screens.
"""
