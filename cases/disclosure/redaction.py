"""What a reader gets of a pseudonymised case's texts and dates, beyond the generalised figures.

- its free texts without any address written in them (``links.strip_links``);
- its dates no finer than the year: a launch date or a council's deliberation date, typed into a web
  search with the kind of initiative, finds the town as surely as an exact population does. The launch
  date is withheld (the launch year stays), an event keeps its year only (``date_precision = year``),
  a source's date is withheld.

``public_dates`` gives those values for the public wrappers (``cases.api.public``) and the history;
``public_copy`` applies both rules to a case loaded for an HTML page, on the instances themselves, which
can then never be saved.
"""

from __future__ import annotations

import datetime as dt

from .links import strip_fields

YEAR = "year"


def public_dates(obj, model_name: str | None = None) -> dict:
    """The date fields of ``obj`` (a case, an event, a source, or a history row of one) as a reader of a
    pseudonymised case gets them; ``{}`` for a model without dates."""
    name = (model_name or obj._meta.model_name).removeprefix("historical")
    if name == "case":
        return {"launch_date": None}
    if name == "event":
        date = obj.date
        return {"date": dt.date(date.year, 1, 1) if date else None, "date_precision": YEAR}
    if name == "source":
        return {"date": None}
    return {}


def coarsen(obj, model_name: str | None = None) -> None:
    """Apply ``strip_fields`` and ``public_dates`` to ``obj`` itself (a read-only copy)."""
    strip_fields(obj, model_name)
    for field, value in public_dates(obj, model_name).items():
        setattr(obj, field, value)


# The prefetched relations of a case whose rows carry free text or dates (``CaseQuerySet.with_children``).
CHILD_RELATIONS = ("tools", "stakeholders", "factors", "events", "sources")


def public_copy(case):
    """Make a case loaded for a public page (its children prefetched) show only what may be public.

    For a pseudonymised case, its texts lose every address and its dates are cut to the year, on the
    instances themselves, which are marked so that they can never be saved (``Case.save`` and the
    children's ``save`` refuse): a read path may show them, no write path may store them. A named case is
    returned as it is. Children that were not prefetched are not loaded here: the page that needs them
    prefetches them (a fixed number of queries).
    """
    if not case.is_pseudonymised or getattr(case, "_public_copy", False):
        return case
    coarsen(case)
    case._public_copy = True
    cache = getattr(case, "_prefetched_objects_cache", {})
    for relation in CHILD_RELATIONS:
        for child in cache.get(relation, ()):
            coarsen(child)
            child._public_copy = True
    return case


def refuse_public_copy(instance) -> None:
    """Called by ``save()``: an instance whose values were coarsened for display must never be stored."""
    if getattr(instance, "_public_copy", False):
        raise RuntimeError(f"{type(instance).__name__} {instance.pk} was coarsened for a public page: not saved")
