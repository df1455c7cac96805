"""Checking what a person typed before it reaches the data file, with messages in plain English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError

# InputError lives on the ground floor (dates and periods raise it too); forms import it here.
from rrn_desktop.base.errors import InputError as InputError
from rrn_desktop.core.text_cleaning import clean_line, clean_text


def _cleaned(clean: Callable[[str], str]) -> BeforeValidator:
    return BeforeValidator(lambda value: clean(value) if isinstance(value, str) else value)


# What is typed is cleaned as a bundle's text is (text_cleaning): a name pasted with line breaks
# becomes one line, and no hidden control character reaches the data file or a report.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _cleaned(clean_line),
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), _cleaned(clean_line)
]
LongText = Annotated[str, StringConstraints(max_length=100_000), _cleaned(clean_text)]


class Input(BaseModel):
    # Built on first use, not at import: dozens of forms would otherwise slow every start.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Model = TypeVar("Model", bound=Input)

_FIELD_WORDS = {
    "name": "The name",
    "role": "The role",
    "by_name": "The name",
    "by_role": "The role",
    "reason": "The reason",
    "action_owner": "The action owner",
    "person_initials": "The person's initials",
    "person_code": "The person's code",
    "organisation_name": "The organisation's name",
    "your_name": "Your name",
    "service_name": "The service's name",
}
# What a field's pattern asks for, in words, where a field has one.
_PATTERN_WORDS = {
    "person_initials": "can only be letters (no numbers), such as J.B.",
}


def _sentence(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    subject = _FIELD_WORDS.get(field, f"The field '{field.replace('_', ' ')}'")
    kind = error["type"]
    if kind == "string_too_short":
        return f"{subject} cannot be left empty."
    if kind == "string_pattern_mismatch" and field in _PATTERN_WORDS:
        return f"{subject} {_PATTERN_WORDS[field]}"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"{subject} is too long (at most {limit} characters)."
    return f"{subject}: {error['msg']}."


def validated(model: type[Model], **values: Any) -> Model:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise InputError(" ".join(_sentence(e) for e in error.errors(include_url=False))) from error
