"""Councils: their type, region and GSS code.

A GSS code (Government Statistical Service, issued by ONS) is nine characters: a country
letter (E, W, S or N) and eight digits.  The first three characters name the kind of area
(the "entity"), and for council areas the ONS scheme ties the entity to the authority type:
E06 unitary, E07 non-metropolitan district, E08 metropolitan district, E09 London borough
(and the City of London), E10 county, W06 Welsh unitary, S12 Scottish council area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

GSS_PATTERN = re.compile(r"[EWSN][0-9]{8}")


class AuthorityError(ValueError):
    """An authority's details do not fit together; the message says what to fix."""


class Country(StrEnum):
    ENGLAND = "England"
    WALES = "Wales"
    SCOTLAND = "Scotland"
    NORTHERN_IRELAND = "Northern Ireland"

    @property
    def gss_letter(self) -> str:
        return "N" if self is Country.NORTHERN_IRELAND else self.value[0]


class Region(StrEnum):
    """The nine English regions, then Wales and Scotland; the value is the ONS name."""

    NORTH_EAST = "North East"
    NORTH_WEST = "North West"
    YORKSHIRE_AND_THE_HUMBER = "Yorkshire and The Humber"
    EAST_MIDLANDS = "East Midlands"
    WEST_MIDLANDS = "West Midlands"
    EAST_OF_ENGLAND = "East of England"
    LONDON = "London"
    SOUTH_EAST = "South East"
    SOUTH_WEST = "South West"
    WALES = "Wales"
    SCOTLAND = "Scotland"

    @property
    def label(self) -> str:
        return self.value

    @property
    def country(self) -> Country:
        if self is Region.WALES:
            return Country.WALES
        if self is Region.SCOTLAND:
            return Country.SCOTLAND
        return Country.ENGLAND

    @classmethod
    def from_label(cls, text: str) -> Region:
        """The region named ``text``, ignoring case and surrounding spaces."""
        wanted = " ".join(text.split()).casefold()
        for region in cls:
            if region.value.casefold() == wanted:
                return region
        names = ", ".join(region.value for region in cls)
        raise AuthorityError(f"{text!r} is not a region; use one of: {names}")


ENGLISH_REGIONS: tuple[Region, ...] = tuple(r for r in Region if r.country is Country.ENGLAND)


class AuthorityType(StrEnum):
    COUNTY = "county"
    DISTRICT = "district"
    UNITARY = "unitary"
    METROPOLITAN_BOROUGH = "metropolitan_borough"
    LONDON_BOROUGH = "london_borough"
    WELSH_UNITARY = "welsh_unitary"
    SCOTTISH_UNITARY = "scottish_unitary"

    @property
    def label(self) -> str:
        noun = self.noun
        return noun[0].upper() + noun[1:]

    @property
    def noun(self) -> str:
        """The type as it reads mid-sentence: "a London borough", "a county council"."""
        return _TYPE_FACTS[self][0]

    @property
    def country(self) -> Country:
        return _TYPE_FACTS[self][1]

    @property
    def gss_entity(self) -> str:
        """The first three characters every GSS code of this type has, e.g. "E09"."""
        return _TYPE_FACTS[self][2]


_TYPE_FACTS: dict[AuthorityType, tuple[str, Country, str]] = {
    AuthorityType.COUNTY: ("county council", Country.ENGLAND, "E10"),
    AuthorityType.DISTRICT: ("district council", Country.ENGLAND, "E07"),
    AuthorityType.UNITARY: ("unitary authority", Country.ENGLAND, "E06"),
    AuthorityType.METROPOLITAN_BOROUGH: ("metropolitan borough", Country.ENGLAND, "E08"),
    AuthorityType.LONDON_BOROUGH: ("London borough", Country.ENGLAND, "E09"),
    AuthorityType.WELSH_UNITARY: ("Welsh unitary authority", Country.WALES, "W06"),
    AuthorityType.SCOTTISH_UNITARY: ("Scottish unitary authority", Country.SCOTLAND, "S12"),
}


def normalise_gss_code(text: str) -> str:
    """``text`` as a well-formed GSS code (spaces removed, upper case), or AuthorityError saying why not."""
    code = "".join(text.split()).upper()
    if not code:
        raise AuthorityError("the GSS code is empty; it should be a letter and eight digits, e.g. E09000016")
    if len(code) != 9:
        raise AuthorityError(
            f"GSS code {code!r} has {len(code)} characters; it should have 9: a letter and eight digits, e.g. E09000016"
        )
    if code[0] not in "EWSN":
        raise AuthorityError(
            f"GSS code {code!r} starts with {code[0]!r}; it should start with E (England), W (Wales), "
            "S (Scotland) or N (Northern Ireland)"
        )
    if not GSS_PATTERN.fullmatch(code):
        raise AuthorityError(f"GSS code {code!r} should be a letter followed by eight digits, e.g. E09000016")
    return code


def check_gss_code_for_type(code: str, authority_type: AuthorityType) -> str:
    """The normalised code, if it is well formed and its entity agrees with the authority type."""
    code = normalise_gss_code(code)
    expected = authority_type.gss_entity
    entity = code[:3]
    if entity != expected:
        other = _TYPE_BY_ENTITY.get(entity)
        hint = f"; {entity} is the code for a {other.noun}" if other else ""
        raise AuthorityError(
            f"GSS code {code} does not fit a {authority_type.noun}: its code should start {expected}{hint}"
        )
    return code


_TYPE_BY_ENTITY: dict[str, AuthorityType] = {t.gss_entity: t for t in AuthorityType}


@dataclass(frozen=True)
class Authority:
    """A council.  ``gss_code`` is None when not known, e.g. a council abolished before GSS codes (2011)."""

    name: str
    type: AuthorityType
    region: Region
    gss_code: str | None = None

    def __post_init__(self) -> None:
        name = " ".join(self.name.split())
        if not name:
            raise AuthorityError("an authority needs a name")
        object.__setattr__(self, "name", name)
        if self.region.country is not self.type.country:
            raise AuthorityError(
                f"{name}: a {self.type.noun} is in {self.type.country.value}, "
                f"but the region given is {self.region.value}"
            )
        if (self.region is Region.LONDON) != (self.type is AuthorityType.LONDON_BOROUGH):
            raise AuthorityError(
                f"{name}: London boroughs, and only they, are in the London region "
                f"(given a {self.type.noun} in {self.region.value})"
            )
        if self.gss_code is not None:
            try:
                code = check_gss_code_for_type(self.gss_code, self.type)
            except AuthorityError as error:
                raise AuthorityError(f"{name}: {error}") from None
            object.__setattr__(self, "gss_code", code)
