"""The shape of a recording-rules pack: what the law in one nation asks one sector to record
about each restrictive intervention, by when, and for how long the record is kept.

Laws change more often than the program, and differ between England, Wales and Scotland, so each
nation-and-sector's duties live in a pack of their own (resources/rules/). A pack only points at
the incident record's parts and questions; it never stores anything itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from rrn_desktop.base.vocabulary import Jurisdiction, RecordPart, Sector
from rrn_desktop.content.incident_models import Identifier, SectorField
from rrn_desktop.content.pack_models import NonEmpty, _Strict, require_unique

# How a rule names what must be filled in: a part of the main record ("reason"), one of the
# sector's questions in the incident pack ("sector:parents_told_on"), or a question the rule pack
# adds ("rule:outside_help_why").
FactRef = Annotated[
    str, StringConstraints(pattern=r"^([a-z_]+|sector:[a-z][a-z0-9_-]*|rule:[a-z][a-z0-9_-]*)$")
]
# A question's answer: the sector's own ("sector:") or one the rule pack adds ("rule:"). A deadline
# is met by a date answer: the day a record is typed in says nothing, as records are often
# entered later from paper.
AnswerRef = Annotated[str, StringConstraints(pattern=r"^(sector|rule):[a-z][a-z0-9_-]*$")]


class RequiredFact(_Strict):
    id: Identifier
    label: NonEmpty = Field(description="What the record must hold, in plain words.")
    field: FactRef | None = Field(
        default=None, description="Where the app records it; none when it is kept elsewhere."
    )
    kept_elsewhere: str = Field(
        default="",
        description="Where the fact is kept when the app, holding no names, does not hold it.",
    )

    @model_validator(mode="after")
    def _somewhere(self) -> RequiredFact:
        if (self.field is None) == (not self.kept_elsewhere.strip()):
            raise ValueError("give either the field that holds the fact or where it is kept")
        return self


class Deadline(_Strict):
    id: Identifier
    label: NonEmpty = Field(description="What must be done, e.g. 'Parents or carers told'.")
    done_on: AnswerRef = Field(description="The date answer that says when it was done.")
    same_day: bool = False
    within_hours: int | None = Field(default=None, gt=0, le=24 * 31)
    within_working_days: int | None = Field(default=None, gt=0, le=60)
    where_possible: bool = Field(
        default=False, description="The law asks for it where possible, not in every case."
    )

    @model_validator(mode="after")
    def _one_limit(self) -> Deadline:
        limits = [
            self.same_day,
            self.within_hours is not None,
            self.within_working_days is not None,
        ]
        if sum(limits) != 1:
            raise ValueError("give exactly one of same_day, within_hours or within_working_days")
        return self


class RulePack(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    jurisdiction: Jurisdiction
    sector: Sector
    version: NonEmpty
    source: NonEmpty = Field(description="The law and guidance the rules come from.")
    in_force_from: dt.date | None = Field(
        default=None, description="Incidents before this day are not checked (none: all are)."
    )
    wording_note: NonEmpty
    retention_years: int | None = Field(default=None, gt=0, le=100)
    facts: list[RequiredFact] = Field(min_length=1)
    deadlines: list[Deadline] = Field(default_factory=list)
    questions: list[SectorField] = Field(
        default_factory=list, description="Questions the law needs that the sector's record lacks."
    )

    @model_validator(mode="after")
    def _consistent(self) -> RulePack:
        for what, ids in (
            ("fact ids", [fact.id for fact in self.facts]),
            ("deadline ids", [deadline.id for deadline in self.deadlines]),
            ("question ids", [question.id for question in self.questions]),
        ):
            require_unique(what, ids)
        own = {question.id for question in self.questions}
        for ref in self.references():
            if ref.startswith("rule:") and ref.removeprefix("rule:") not in own:
                raise ValueError(f"'{ref}' names a question this pack does not add")
            if ":" not in ref and ref not in set(RecordPart):
                known = ", ".join(part.value for part in RecordPart)
                raise ValueError(f"'{ref}' is not a part of the incident record ({known})")
        return self

    def covers(self, jurisdiction: str, sector: str) -> bool:
        return self.jurisdiction == jurisdiction and self.sector == sector

    def references(self) -> list[str]:
        """Every field the pack points at."""
        facts = [fact.field for fact in self.facts if fact.field is not None]
        return facts + [deadline.done_on for deadline in self.deadlines]
