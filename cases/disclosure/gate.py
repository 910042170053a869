"""The disclosure gate: the one check every write that makes a pseudonymised case's content public passes.

``disclosure_gate`` refuses (``DisclosureRefused``, a ``ValidationError`` naming the problems) a
published — or being published — pseudonymised case whose *k* stays below ``DISCLOSURE_MIN_K`` or whose
texts hold an identifying name or an address, unless an override reason is given; an override is
recorded as a ``ModerationEvent`` of its own (``from_status == to_status``: a record, not a transition).

Who calls it:

- ``moderation.services.case_publish`` (and so the admin's publish action), directly;
- every content write — ``catalogue.services.case_create`` (published), ``case_update``, the children's
  services (``case_child_save``, ``tool_add`` …), ``moderation.services.revision_publish``, the admin,
  ``load_study_cases`` — through ``gated_write``: the check runs once, when the outermost write ends,
  on the case as it then stands (an update that writes the case and then each row is not judged
  half-applied). Nested writes join the outer one and its override.

A publication (``strict``) is refused for every problem. An edit of a case that is already public and
pseudonymised is refused only for the problems it brings: a problem a moderator already overrode
does not block the next correction of a typo. A case that becomes public or pseudonymised with the
write (a named case pseudonymised while published, a case created published) is judged like a
publication.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..text import fold
from ..vocabularies import CaseStatus
from .selectors import disclosure_review


class DisclosureRefused(ValidationError):
    """A write refused by the disclosure gate; ``problems`` lists what is wrong, in words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            _("Contrôle de divulgation non satisfait (%(problems)s). Généralisez ou corrigez le cas, ou "
              "dérogez en donnant un motif.") % {"problems": " ; ".join(problems)},
            code="disclosure",
        )


def problems_of(review) -> dict[tuple, str]:
    """What stands in the way of publishing, each keyed (so an edit can tell old problems from new)."""
    if review is None:
        return {}
    found = {}
    if not review.decision.passes:
        found[("k",)] = _("seulement %(k)s collectivités correspondent à ce qui est publié (minimum %(min)s)") % {
            "k": review.decision.k, "min": review.decision.min_k}
    for occurrence in review.occurrences:
        found[(occurrence.where, occurrence.name.kind, fold(occurrence.name.text))] = occurrence.name
    return found


def _describe(problems: dict[tuple, object]) -> list[str]:
    words = [text for key, text in problems.items() if key == ("k",)]
    names = sorted({name.text for key, name in problems.items() if key != ("k",) and name.kind != "link"})
    links = sorted({name.text for key, name in problems.items() if key != ("k",) and name.kind == "link"})
    if names:
        words.append(_("noms identifiants dans les textes : %(names)s") % {"names": ", ".join(names)})
    if links:
        words.append(_("liens ou adresses web dans les textes : %(links)s") % {"links": ", ".join(links)})
    return words


def is_public_pseudonymised(case) -> bool:
    return case.is_pseudonymised and case.status == CaseStatus.PUBLISHED


def disclosure_gate(*, case, override: str = "", actor=None, known=frozenset()) -> str:
    """Refuse ``case`` unless it passes disclosure control or ``override`` gives a reason.

    ``known``: keys of problems present before the write (``problems_of``), not held against it (an
    edit); empty for a publication. Returns the override record written as a moderation event, or "".
    """
    from ..models import ModerationEvent

    new = {key: value for key, value in problems_of(disclosure_review(case)).items() if key not in known}
    if not new:
        return ""
    problems = _describe(new)
    if not override.strip():
        raise DisclosureRefused(problems)
    record = _("Dérogation au contrôle de divulgation (%(problems)s). Motif : %(reason)s") % {
        "problems": " ; ".join(problems), "reason": override.strip()}
    # A record, not a transition (from == to): history and e-mails skip it (cases.catalogue.history,
    # cases.moderation.emails); the moderation log and the admin show it.
    ModerationEvent.objects.create(case=case, actor=actor, from_status=case.status, to_status=case.status,
                                   comment=record)
    return record


@dataclass
class _Write:
    override: str
    actor: object
    strict: bool
    # Case pk -> problem keys before the write (None: the case was not public and pseudonymised then).
    before: dict = field(default_factory=dict)

    def touch(self, case_pk) -> None:
        """Called by a service before it writes to the case ``case_pk`` (or right after creating it)."""
        if case_pk is None or case_pk in self.before:
            return
        self.before[case_pk] = None if self.strict else _known_problems(case_pk)

    def created(self, case_pk) -> None:
        """Called right after creating a case: all its problems are new."""
        self.before[case_pk] = None

    def check(self) -> None:
        """Judge every case touched so far (the outermost write's end, or earlier when its caller asks)."""
        from ..models import Case

        touched, self.before = self.before, {}
        for case_pk, known in touched.items():
            case = Case.objects.select_related("territory").filter(pk=case_pk).first()
            if case is not None and is_public_pseudonymised(case):
                disclosure_gate(case=case, override=self.override, actor=self.actor, known=known or frozenset())


def _known_problems(case_pk):
    from ..models import Case

    case = Case.objects.select_related("territory").filter(pk=case_pk).first()
    if case is None or not is_public_pseudonymised(case):
        return None
    return frozenset(problems_of(disclosure_review(case)))


_current: ContextVar[_Write | None] = ContextVar("disclosure_write", default=None)


def current_write() -> _Write | None:
    """The write in progress, for a caller that must judge it before answering (the admin)."""
    return _current.get()


@contextmanager
def gated_write(*, override: str = "", actor=None, strict: bool = False):
    """Run a write under the gate: services ``touch()`` each case before writing to it; when the outermost
    ``gated_write`` ends without error, every touched case that is public and pseudonymised is checked.

    Call it inside the write's transaction, so that a refusal rolls the whole write back.
    """
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    write = _Write(override=override, actor=actor, strict=strict)
    token = _current.set(write)
    try:
        yield write
        write.check()
    finally:
        _current.reset(token)
