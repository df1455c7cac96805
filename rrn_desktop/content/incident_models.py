"""The shape of the incident recording pack: kinds of intervention, sector fields, learning themes.

Sector rules change more often than the program does, so what each sector must record lives in
the pack rather than in code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from rrn_desktop.base.vocabulary import RedFlag, RestraintType, Sector, Strategy
from rrn_desktop.content.pack_models import NonEmpty, _Strict, require_unique

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=60)]


class InterventionKind(_Strict):
    """A finer kind of restrictive intervention, such as a seated hold, under one of the 8 types."""

    code: Identifier
    label: NonEmpty
    restraint_type: RestraintType
    description: str = ""
    red_flag: RedFlag | None = Field(
        default=None, description="A red flag every use of this kind raises (prone, say)."
    )
    mhsds_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")] | None = Field(
        default=None,
        description="Its restrictive intervention type code in the Mental Health Services "
        "Data Set, only where the kind and the code are the same thing.",
    )

    @model_validator(mode="after")
    def _flag_of_one_incident(self) -> InterventionKind:
        if self.red_flag is RedFlag.REPEATED:
            raise ValueError("repeated use is counted from the records, not raised by a kind")
        return self


class FieldKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    YES_NO = "yes_no"
    CHOICE = "choice"


class SectorField(_Strict):
    """One extra question a sector's recording rules ask for."""

    id: Identifier
    label: NonEmpty
    help: NonEmpty = Field(description="Why the question is asked, in plain words.")
    kind: FieldKind
    choices: list[NonEmpty] = Field(default_factory=list)

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> SectorField:
        if self.kind is FieldKind.CHOICE and len(self.choices) < 2:
            raise ValueError("a choice field needs at least two choices")
        if self.kind is not FieldKind.CHOICE and self.choices:
            raise ValueError("only a choice field can have choices")
        return self


class SectorRecord(_Strict):
    sector: Sector
    title: NonEmpty = Field(description="What the sector's record is called, e.g. a school's.")
    summary: NonEmpty
    fields: list[SectorField] = Field(min_length=1)


class PersonQuestion(_Strict):
    """A question about the person (an age band, a characteristic), answered from a short list
    so that incidents can be counted by group to see whether restraint falls more on some."""

    id: Identifier
    label: NonEmpty
    help: NonEmpty = Field(description="Why the question is asked, in plain words.")
    choices: list[NonEmpty] = Field(min_length=2)

    @model_validator(mode="after")
    def _distinct_choices(self) -> PersonQuestion:
        require_unique(f"choices for {self.id}", self.choices)
        return self

    def as_field(self) -> SectorField:
        """The question as a choice field, to be asked and checked as the sector's are."""
        return SectorField(
            id=self.id,
            label=self.label,
            help=self.help,
            kind=FieldKind.CHOICE,
            choices=self.choices,
        )


class LearningTheme(_Strict):
    id: Identifier
    label: NonEmpty
    description: NonEmpty
    strategy: Strategy = Field(description="The core strategy an action on this theme supports.")


class IncidentPack(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    version: NonEmpty
    source: NonEmpty
    wording_note: NonEmpty
    support_guidance: NonEmpty
    learning_guidance: NonEmpty
    interventions: list[InterventionKind] = Field(min_length=1)
    sector_records: list[SectorRecord] = Field(min_length=1)
    person_questions: list[PersonQuestion] = Field(default_factory=list)
    learning_themes: list[LearningTheme] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> IncidentPack:
        require_unique("intervention codes", [kind.code for kind in self.interventions])
        require_unique("learning theme ids", [theme.id for theme in self.learning_themes])
        require_unique("person question ids", [question.id for question in self.person_questions])
        require_unique("sector records", [record.sector.value for record in self.sector_records])
        for record in self.sector_records:
            require_unique(f"field ids for {record.sector.value}", [f.id for f in record.fields])
        missing = set(RestraintType) - {kind.restraint_type for kind in self.interventions}
        if missing:
            names = ", ".join(sorted(t.value for t in missing))
            raise ValueError(f"every restraint type needs at least one kind; missing: {names}")
        return self

    def intervention(self, code: str) -> InterventionKind | None:
        return next((kind for kind in self.interventions if kind.code == code), None)

    def sector_record(self, sector: Sector) -> SectorRecord | None:
        return next((r for r in self.sector_records if r.sector is sector), None)

    def theme(self, theme_id: str) -> LearningTheme | None:
        return next((theme for theme in self.learning_themes if theme.id == theme_id), None)
