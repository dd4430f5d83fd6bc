"""The catalogue file format, as pydantic models.

A release is a folder holding ``release.json`` and one ``<CODE>.json`` file per
standard.  The JSON Schema published in ``docs/`` is generated from these models.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from nesds_desktop.domain.levels import Level

FORMAT_NAME = "nesds-catalogue"
FORMAT_VERSION = 1

STANDARD_CODE_PATTERN = r"^[A-Z]{2,4}$"
# ICT-3-P2: standard code, section number, level letter, number within level.
REFERENCE_PATTERN = re.compile(
    r"^(?P<code>[A-Z]{2,4})-(?P<section>[1-9][0-9]?)-(?P<letter>[MPE])(?P<number>[1-9][0-9]?)$"
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionFile(_Strict):
    """One testable statement at one level."""

    ref: Annotated[str, Field(description="Stable reference, e.g. ICT-3-P2")]
    level: Level
    statement: Annotated[Text, Field(description="One clear, testable statement")]
    guidance: Annotated[Text, Field(description="What the criterion means in practice")]
    evidence: Annotated[list[Text], Field(min_length=1, description="Examples of evidence a council could show")]
    signposts: Annotated[list[Text], Field(default_factory=list, description="Related initiatives")]

    @model_validator(mode="after")
    def _reference_matches_level(self) -> CriterionFile:
        match = REFERENCE_PATTERN.match(self.ref)
        if match is None:
            raise ValueError(f"reference {self.ref!r} does not follow the scheme CODE-SECTION-LEVELn, e.g. ICT-3-P2")
        if match["letter"] != self.level.letter:
            raise ValueError(f"reference {self.ref!r} says level {match['letter']} but level is {self.level.value}")
        return self


class SectionFile(_Strict):
    """A theme inside a standard."""

    number: Annotated[int, Field(ge=1, le=99)]
    title: Text
    summary: Text
    criteria: Annotated[list[CriterionFile], Field(min_length=3)]


class StandardFile(_Strict):
    """One e-Standard (service area) in one release: the content of ``<CODE>.json``."""

    code: Annotated[str, Field(pattern=STANDARD_CODE_PATTERN)]
    title: Text
    summary: Text
    maintainer: str = ""
    sections: Annotated[list[SectionFile], Field(min_length=1)]


class ReleaseFile(_Strict):
    """The content of ``release.json``: what the release is and where it comes from."""

    format: Annotated[str, Field(pattern=rf"^{FORMAT_NAME}/[0-9]+$")] = f"{FORMAT_NAME}/{FORMAT_VERSION}"
    release_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
    title: Text
    version: Text
    published: date
    provenance: Text
    supersedes: str | None = None
    standards: Annotated[list[Annotated[str, Field(pattern=STANDARD_CODE_PATTERN)]], Field(min_length=1)]
