"""Authorities: types, regions and GSS codes, and the messages people see when they do not fit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nesds_desktop.domain.authorities import (
    ENGLISH_REGIONS,
    GSS_PATTERN,
    Authority,
    AuthorityError,
    AuthorityType,
    Country,
    Region,
    check_gss_code_for_type,
    normalise_gss_code,
)

# Real councils, one of each type, with their ONS GSS codes.
COUNCILS = [
    ("Cambridgeshire County Council", AuthorityType.COUNTY, Region.EAST_OF_ENGLAND, "E10000003"),
    ("Cambridge City Council", AuthorityType.DISTRICT, Region.EAST_OF_ENGLAND, "E07000008"),
    ("Hartlepool Borough Council", AuthorityType.UNITARY, Region.NORTH_EAST, "E06000001"),
    ("Manchester City Council", AuthorityType.METROPOLITAN_BOROUGH, Region.NORTH_WEST, "E08000003"),
    ("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016"),
    ("Cardiff Council", AuthorityType.WELSH_UNITARY, Region.WALES, "W06000015"),
    ("City of Edinburgh Council", AuthorityType.SCOTTISH_UNITARY, Region.SCOTLAND, "S12000036"),
]


@pytest.mark.parametrize(("name", "authority_type", "region", "code"), COUNCILS)
def test_real_councils_are_accepted(name: str, authority_type: AuthorityType, region: Region, code: str) -> None:
    authority = Authority(name, authority_type, region, code)
    assert authority.gss_code == code
    assert authority.type.gss_entity == code[:3]


def test_one_council_of_each_type_is_checked() -> None:
    assert {row[1] for row in COUNCILS} == set(AuthorityType)


@pytest.mark.parametrize(
    ("authority_type", "label", "entity", "country"),
    [
        (AuthorityType.COUNTY, "County council", "E10", Country.ENGLAND),
        (AuthorityType.DISTRICT, "District council", "E07", Country.ENGLAND),
        (AuthorityType.UNITARY, "Unitary authority", "E06", Country.ENGLAND),
        (AuthorityType.METROPOLITAN_BOROUGH, "Metropolitan borough", "E08", Country.ENGLAND),
        (AuthorityType.LONDON_BOROUGH, "London borough", "E09", Country.ENGLAND),
        (AuthorityType.WELSH_UNITARY, "Welsh unitary authority", "W06", Country.WALES),
        (AuthorityType.SCOTTISH_UNITARY, "Scottish unitary authority", "S12", Country.SCOTLAND),
    ],
)
def test_type_facts(authority_type: AuthorityType, label: str, entity: str, country: Country) -> None:
    assert authority_type.label == label
    assert authority_type.gss_entity == entity
    assert authority_type.country is country
    assert entity[0] == country.gss_letter


def test_regions_are_the_nine_english_regions_then_wales_and_scotland() -> None:
    assert [r.label for r in ENGLISH_REGIONS] == [
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    ]
    assert list(Region)[len(ENGLISH_REGIONS) :] == [Region.WALES, Region.SCOTLAND]
    assert Region.WALES.country is Country.WALES
    assert Region.SCOTLAND.country is Country.SCOTLAND


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("London", Region.LONDON),
        ("  yorkshire and the  humber ", Region.YORKSHIRE_AND_THE_HUMBER),
        ("WALES", Region.WALES),
    ],
)
def test_region_from_label_ignores_case_and_spacing(text: str, region: Region) -> None:
    assert Region.from_label(text) is region


def test_an_unknown_region_lists_the_choices() -> None:
    with pytest.raises(AuthorityError, match=r"'Yorkshire' is not a region; use one of: North East, .*, Scotland$"):
        Region.from_label("Yorkshire")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("E09000016", "E09000016"),
        (" e09000016 ", "E09000016"),
        ("E09 000 016", "E09000016"),
        ("n09000003", "N09000003"),
    ],
)
def test_gss_codes_are_normalised(text: str, code: str) -> None:
    assert normalise_gss_code(text) == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the GSS code is empty; it should be a letter and eight digits, e.g. E09000016"),
        ("   ", "the GSS code is empty"),
        ("E0900001", "GSS code 'E0900001' has 8 characters; it should have 9: a letter and eight digits"),
        ("E090000161", "GSS code 'E090000161' has 10 characters; it should have 9"),
        (
            "X09000016",
            "GSS code 'X09000016' starts with 'X'; it should start with E (England), W (Wales), S (Scotland)",
        ),
        ("00AB12345", "starts with '0'"),
        ("E0900001A", "GSS code 'E0900001A' should be a letter followed by eight digits"),
        ("EE9000016", "should be a letter followed by eight digits"),
        ("E09000０16", "should be a letter followed by eight digits"),  # a full-width digit is not a digit here
    ],
)
def test_malformed_gss_codes_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(AuthorityError) as raised:
        normalise_gss_code(text)
    assert message in str(raised.value)


def test_a_code_of_another_type_names_both() -> None:
    with pytest.raises(AuthorityError) as raised:
        check_gss_code_for_type("E09000016", AuthorityType.DISTRICT)
    assert str(raised.value) == (
        "GSS code E09000016 does not fit a district council: its code should start E07; "
        "E09 is the code for a London borough"
    )


def test_a_code_of_no_council_type_says_what_it_should_be() -> None:
    with pytest.raises(AuthorityError) as raised:
        check_gss_code_for_type("N09000003", AuthorityType.UNITARY)
    assert str(raised.value) == "GSS code N09000003 does not fit a unitary authority: its code should start E06"


def test_an_authority_names_itself_in_its_gss_error() -> None:
    with pytest.raises(AuthorityError) as raised:
        Authority("Cardiff Council", AuthorityType.WELSH_UNITARY, Region.WALES, "S12000036")
    assert str(raised.value) == (
        "Cardiff Council: GSS code S12000036 does not fit a Welsh unitary authority: its code should start W06; "
        "S12 is the code for a Scottish unitary authority"
    )


@pytest.mark.parametrize(
    ("authority_type", "region", "message"),
    [
        (
            AuthorityType.WELSH_UNITARY,
            Region.SOUTH_WEST,
            "a Welsh unitary authority is in Wales, but the region given is South West",
        ),
        (AuthorityType.UNITARY, Region.SCOTLAND, "a unitary authority is in England, but the region given is Scotland"),
        (
            AuthorityType.SCOTTISH_UNITARY,
            Region.WALES,
            "a Scottish unitary authority is in Scotland, but the region given is Wales",
        ),
        (AuthorityType.LONDON_BOROUGH, Region.SOUTH_EAST, "(given a London borough in South East)"),
        (AuthorityType.DISTRICT, Region.LONDON, "London boroughs, and only they, are in the London region"),
    ],
)
def test_type_and_region_must_agree(authority_type: AuthorityType, region: Region, message: str) -> None:
    with pytest.raises(AuthorityError) as raised:
        Authority("Somewhere Council", authority_type, region)
    assert str(raised.value).startswith("Somewhere Council: ")
    assert message in str(raised.value)


def test_an_authority_without_a_gss_code_is_allowed() -> None:
    # e.g. a district abolished in the 2009 reorganisation, before GSS codes were issued
    authority = Authority("Restormel Borough Council", AuthorityType.DISTRICT, Region.SOUTH_WEST)
    assert authority.gss_code is None


def test_name_and_code_are_tidied() -> None:
    authority = Authority("  London Borough\tof  Havering ", AuthorityType.LONDON_BOROUGH, Region.LONDON, "e09000016")
    assert authority.name == "London Borough of Havering"
    assert authority.gss_code == "E09000016"


def test_an_authority_needs_a_name() -> None:
    with pytest.raises(AuthorityError, match="an authority needs a name"):
        Authority("  ", AuthorityType.COUNTY, Region.SOUTH_EAST)


def test_authority_error_is_a_value_error() -> None:
    assert issubclass(AuthorityError, ValueError)


@given(st.sampled_from("EWSNewsn"), st.from_regex(r"[0-9]{8}", fullmatch=True))
def test_every_well_formed_code_is_accepted_in_upper_case(letter: str, digits: str) -> None:
    assert normalise_gss_code(letter + digits) == letter.upper() + digits


@given(st.text(max_size=12))
def test_any_text_gives_a_well_formed_code_or_an_authority_error(text: str) -> None:
    try:
        code = normalise_gss_code(text)
    except AuthorityError as error:
        assert str(error)
    else:
        assert GSS_PATTERN.fullmatch(code)


@given(
    st.sampled_from(list(AuthorityType)),
    st.sampled_from(list(AuthorityType)),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
)
def test_a_code_fits_exactly_the_type_whose_entity_it_has(
    code_type: AuthorityType, checked_type: AuthorityType, serial: str
) -> None:
    code = code_type.gss_entity + serial
    if code_type is checked_type:
        assert check_gss_code_for_type(code, checked_type) == code
    else:
        with pytest.raises(AuthorityError, match=f"should start {checked_type.gss_entity}"):
            check_gss_code_for_type(code, checked_type)
