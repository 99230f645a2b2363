"""The builder's shortcuts give the same values and errors as the general path."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spockc.runtime.decode import (
    DecodeError,
    RawList,
    RawScalar,
    RawValue,
    decode,
    decoder,
)
from spockc.runtime.schema import (
    BOOL,
    FLOAT,
    INT,
    STR,
    EnumOf,
    ListOf,
    OptionalOf,
    TypeSpec,
)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"
    NULL = "null"


class Mixed(enum.Enum):
    ONE = 1
    TEXT = "1"


SPECS: list[TypeSpec] = [
    INT,
    FLOAT,
    STR,
    BOOL,
    EnumOf(Color),
    EnumOf(Mixed),
    OptionalOf(INT),
    OptionalOf(FLOAT),
    OptionalOf(EnumOf(Color)),
    ListOf(INT),
    ListOf(OptionalOf(FLOAT)),
    OptionalOf(ListOf(STR)),
]

WORDS = [
    "0",
    "00",
    "007",
    "7",
    "-7",
    "+7",
    "1_000",
    "0x1F",
    "1e5",
    "5.",
    ".5",
    "0.25",
    "1.2.3",
    ".",
    "",
    " 3 ",
    "null",
    "~",
    "yes",
    "No",
    "ON",
    "red",
    "RED",
    "blue",
    "1",
    "inf",
    "²",
    "٣",
    "9" * 25,
    "9" * 25 + ".5",
]

scalars = st.builds(
    RawScalar,
    st.one_of(st.sampled_from(WORDS), st.text(max_size=8)),
    st.booleans(),
    st.just("f.yaml:3"),
)
raw_values = st.one_of(
    scalars,
    st.builds(RawList, st.lists(scalars, max_size=3).map(tuple), st.just("f.yaml:2")),
)


def _outcome(run: object, raw: RawValue, spec: TypeSpec) -> object:
    try:
        value = run(raw) if callable(run) else decode(raw, spec)
    except DecodeError as error:
        return ("error", error.where, error.message)
    return ("value", type(value), repr(value))


@pytest.mark.parametrize("spec", SPECS, ids=repr)
@given(raw=raw_values)
def test_decoder_gives_the_value_or_error_of_decode(
    spec: TypeSpec, raw: RawValue
) -> None:
    assert _outcome(decoder(spec), raw, spec) == _outcome(None, raw, spec)


def test_int_decoder_reads_plain_digits() -> None:
    assert decoder(INT)(RawScalar("42", True, "f:1")) == 42


def test_int_decoder_rejects_a_leading_zero_with_the_hint() -> None:
    with pytest.raises(DecodeError, match="leading zero") as caught:
        decoder(INT)(RawScalar("007", True, "f.yaml:4"))
    assert caught.value.where == "f.yaml:4"


def test_float_decoder_widens_digits_to_float() -> None:
    value = decoder(FLOAT)(RawScalar("7", True, "f:1"))
    assert value == 7.0 and type(value) is float


def test_enum_decoder_rejects_a_plain_null_even_when_it_is_a_value() -> None:
    with pytest.raises(DecodeError, match="got null"):
        decoder(EnumOf(Color))(RawScalar("null", True, "f:1"))


def test_enum_decoder_takes_a_quoted_null_as_the_value() -> None:
    assert decoder(EnumOf(Color))(RawScalar("null", False, "f:1")) is Color.NULL


def test_enum_decoder_with_mixed_values_keeps_the_first_matching_member() -> None:
    assert decoder(EnumOf(Mixed))(RawScalar("1", True, "f:1")) is Mixed.ONE


def test_list_decoder_reports_the_failing_item_place() -> None:
    raw = RawList((RawScalar("1", True, "f:2"), RawScalar("x", True, "f:3")), "f:1")
    with pytest.raises(DecodeError) as caught:
        decoder(ListOf(INT))(raw)
    assert caught.value.where == "f:3"
