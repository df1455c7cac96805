"""The shape of a checklist pack: common restrictions to look for, grouped into categories."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from rrn_desktop.base.vocabulary import RestraintType
from rrn_desktop.content.pack_models import NonEmpty, _Strict, require_unique


class ChecklistItem(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^BR-[A-Z]{2,4}-\d{2}$")]
    title: NonEmpty
    prompt: NonEmpty = Field(description="The question asked while walking round the service.")
    example: NonEmpty
    restraint_type: RestraintType
    children_prompt: str = Field(
        default="",
        description="What to check as well in a children's service (placement plan, placing "
        "authority, the child's own experience).",
    )
    childrens_services_only: bool = False


class ChecklistCategory(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*$")]
    title: NonEmpty
    summary: NonEmpty
    items: list[ChecklistItem] = Field(min_length=1)


class ChecklistPack(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    version: NonEmpty
    source: NonEmpty
    wording_note: NonEmpty
    guidance: NonEmpty = Field(description="What a blanket restriction is, in plain words.")
    categories: list[ChecklistCategory] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ChecklistPack:
        require_unique(
            "restriction codes", (item.code for c in self.categories for item in c.items)
        )
        ids = [category.id for category in self.categories]
        if len(ids) != len(set(ids)):
            raise ValueError("category ids must be unique")
        return self

    def items(self) -> list[tuple[ChecklistCategory, ChecklistItem]]:
        return [(category, item) for category in self.categories for item in category.items]

    def item(self, code: str) -> ChecklistItem | None:
        return next((item for _c, item in self.items() if item.code == code), None)

    def category(self, category_id: str) -> ChecklistCategory | None:
        return next((c for c in self.categories if c.id == category_id), None)
