"""Incidents counted by the person's age band and characteristics, with small numbers hidden.

Inspectors look for restraint falling more on some groups than others, but a count of 1 or 2 in
a small service can point at one person. So no figure under SMALL_NUMBER ever leaves this module:
such a figure reads "fewer than 5", and where a single hidden figure could be worked out from
the others and the total (printed beside every breakdown), the next smallest is hidden too.
Screens, reports and exports all show these figures and none counts for itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rrn_desktop.content.incident_models import IncidentPack, PersonQuestion
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core.incidents import IncidentInfo

SMALL_NUMBER = 5
FEWER_THAN = f"fewer than {SMALL_NUMBER}"
NOT_SHOWN = "not shown"
NOT_RECORDED = "Not recorded"
HIDING_RULE = (
    f"No figure under {SMALL_NUMBER} is shown, so nobody can be identified: such a figure reads "
    f"“{FEWER_THAN}”, and where the other figures would give it away, one more is “{NOT_SHOWN}”."
)
TOO_FEW = (
    f"Fewer than {SMALL_NUMBER} incidents in the period: too few to count by group without "
    "pointing at someone."
)


@dataclass(frozen=True)
class GroupFigure:
    group: str
    figure: int | None  # None: hidden
    hidden_as: str = ""  # what is shown instead: FEWER_THAN or NOT_SHOWN

    @property
    def text(self) -> str:
        return self.hidden_as if self.figure is None else str(self.figure)


@dataclass(frozen=True)
class Breakdown:
    """One question's groups, in the pack's order, then those not recorded."""

    question: str
    groups: tuple[GroupFigure, ...]


@dataclass(frozen=True)
class Breakdowns:
    incidents: int
    # Empty when nothing about the person is recorded, or when there are too few incidents.
    tables: tuple[Breakdown, ...]

    @property
    def too_few(self) -> bool:
        return 0 < self.incidents < SMALL_NUMBER

    @property
    def note(self) -> str:
        """The one sentence every output prints with the tables (or in their place)."""
        if not self.incidents:
            return "No incidents in the period."
        if self.too_few:
            return TOO_FEW
        if not self.tables:
            return "Nobody's age band or characteristics are recorded for these incidents."
        return HIDING_RULE


def breakdowns(incidents: Sequence[IncidentInfo], pack: IncidentPack | None = None) -> Breakdowns:
    """A breakdown for each question about the person that at least one incident answers."""
    if len(incidents) < SMALL_NUMBER:
        return Breakdowns(len(incidents), ())
    questions = (pack or incident_pack()).person_questions
    tables = [_breakdown(question, incidents) for question in questions]
    return Breakdowns(len(incidents), tuple(table for table in tables if table is not None))


def _breakdown(question: PersonQuestion, incidents: Sequence[IncidentInfo]) -> Breakdown | None:
    counts = Counter(i.person_details.get(question.id, "") for i in incidents)
    if not any(group for group in counts):
        return None
    # Answers the pack no longer offers still count, after its own choices.
    order = [*question.choices, *sorted(set(counts) - set(question.choices) - {""})]
    groups = [(group, counts[group]) for group in order if counts[group]]
    if counts[""]:
        groups.append((NOT_RECORDED, counts[""]))
    return Breakdown(question.label, hidden(groups))


def hidden(groups: Sequence[tuple[str, int]]) -> tuple[GroupFigure, ...]:
    """The figures with those under SMALL_NUMBER hidden, and one more where a single hidden
    figure would be the total less the rest."""
    small = {group for group, count in groups if count < SMALL_NUMBER}
    also: set[str] = set()
    if len(small) == 1:
        shown = [(count, group) for group, count in groups if group not in small]
        if shown:
            also.add(min(shown)[1])
    return tuple(
        GroupFigure(group, None, FEWER_THAN)
        if group in small
        else GroupFigure(group, None, NOT_SHOWN)
        if group in also
        else GroupFigure(group, count)
        for group, count in groups
    )
