"""The building blocks every message model is made of: the base model and the field types
(ids, names, timestamps, money, free-form maps) with the bounds the wire format promises.

Models are strict: ``"1"`` is not an integer and ``true`` is not a number, as in JSON
Schema. Unknown fields are errors unless a model says ``extra="allow"``. Lists also take
tuples, because ``dataclasses.asdict`` leaves a sale's tuples as tuples.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError


class Document(BaseModel):
    """A JSON object of the contract. Subclasses' docstrings become docs/messages.md."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    def cross_checks(self) -> list[str]:
        """Rules between fields that types cannot say (e.g. totals); ``path: problem``."""
        return []


class OpenDocument(Document):
    """A document that may carry fields beyond the ones named (``event``, a command body
    before its name is known)."""

    model_config = ConfigDict(extra="allow")


def refuse(message: str) -> PydanticCustomError:
    # The message is passed as context, so braces in a refused value are not a template.
    return PydanticCustomError("contract", "{message}", {"message": message})


def _iso_datetime(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise refuse(f"{value!r} is not an ISO 8601 date-time") from None
    return value


def _iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise refuse(f"{value!r} is not a YYYY-MM-DD date") from None
    return value


def _scalars_only(value: dict[str, Any]) -> dict[str, Any]:
    nested = sorted(key for key, item in value.items() if isinstance(item, dict | list | tuple))
    if nested:
        raise refuse(f"{nested} are not a string, number, boolean or null")
    return value


IMAGE_MAX_CHARS = 500
_IMAGE_PATH = re.compile(r"^/[A-Za-z0-9._~%/-]+$")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")


def image_problem(value: str) -> str:
    """Why ``value`` cannot be a product's picture, or "" when it can: "" (none), an
    ``https://`` address, or a path on the fleet (``/shop/...``: an uploaded picture)."""
    if value == "":
        return ""
    if len(value) > IMAGE_MAX_CHARS:
        return f"is longer than {IMAGE_MAX_CHARS} characters"
    if _UNSAFE.search(value):
        return "must not hold spaces, quotes, angle brackets or control characters"
    if value.startswith("/") and not value.startswith("//"):
        if _IMAGE_PATH.match(value) and ".." not in value.split("/"):
            return ""
        return "a path on the fleet holds only letters, digits and . _ ~ % / -"
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https:// address or a path on the fleet starting with /"
    return ""


def _image(value: str) -> str:
    problem = image_problem(value)
    if problem:
        raise refuse(f"image {problem}")
    return value


def items(limit: int, minimum: int = 0, *, optional: bool = False) -> Any:
    """Bounds of a list field (``optional``: may be absent, then empty); tuples are
    accepted (``dataclasses.asdict`` output)."""
    if optional:
        return Field(default_factory=list, min_length=minimum, max_length=limit, strict=False)
    return Field(min_length=minimum, max_length=limit, strict=False)


Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=500)]
At = Annotated[
    str,
    Field(max_length=40, description="ISO 8601 UTC", json_schema_extra={"format": "date-time"}),
    AfterValidator(_iso_datetime),
]
Day = Annotated[
    str,
    Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"}),
    AfterValidator(_iso_date),
]
Money = Annotated[int, Field(ge=-(10**13), le=10**13, description="integer rupiah")]
Percent = Annotated[str, Field(min_length=1, max_length=8, description='decimal text, "11"')]
Sha256 = Annotated[
    str, Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$", description="hex")
]
Count = Annotated[int, Field(ge=0)]
ImageRef = Annotated[
    str,
    Field(max_length=IMAGE_MAX_CHARS,
          description='a picture: "", an https:// address or a path on the fleet (/shop/...)'),
    AfterValidator(_image),
]  # fmt: skip
Detail = Annotated[dict[str, Any], Field(max_length=200, description="free-form object")]
Scalars = Annotated[
    dict[str, Any],
    Field(max_length=200, description="object of strings, numbers, booleans or null"),
    AfterValidator(_scalars_only),
]
