"""The source study's cases are loaded by the research context (``cases.research.loaders``)."""

from ..research.loaders import load_study_cases

__all__ = ["load_study_cases"]
