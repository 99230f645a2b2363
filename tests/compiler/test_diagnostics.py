"""Every source problem is one diagnostic with a stable code and a 1-based position."""

from __future__ import annotations

from spockc.compiler import CompileError, compile_source
from spockc.compiler.diagnostics import Diagnostic, format_diagnostic

from .conftest import diagnostics_of, errors_of

HEADER = (
    "from spockc import spock, spockTuner, RangeHyperParameter, ChoiceHyperParameter\n"
)


def test_syntax_error_is_reported_at_its_position() -> None:
    assert errors_of("x = (1,\n") == [("SPK001", 1, 5)]


def test_unterminated_string_is_reported_at_the_string_in_pythons_words() -> None:
    [found] = diagnostics_of('a = 1\ny: str = "abc\nz = 1\n')

    assert (found.code, found.line, found.col) == ("SPK001", 2, 10)
    assert "unterminated string literal" in found.message


def test_missing_value_is_reported_on_its_own_line() -> None:
    assert errors_of("a = 1\nx: int = \nb = 2\n") == [("SPK001", 2, 10)]


def test_plain_invalid_syntax_is_said_once() -> None:
    [found] = diagnostics_of("a = 1\nx: int = \nb = 2\n")
    assert found.message == "invalid syntax"


def test_builtin_type_that_is_not_supported_says_so() -> None:
    source = HEADER + "@spock\nclass A:\n    w: complex = 1\n    b: 'bytes' = b''\n"

    found = diagnostics_of(source)

    assert [(d.code, d.line, d.col) for d in found] == [
        ("SPK102", 4, 8),
        ("SPK102", 5, 8),
    ]
    assert [d.message for d in found] == [
        "A.w: `complex` is not a supported type",
        "A.b: `bytes` is not a supported type",
    ]


def test_unknown_type_suggests_the_closest_name() -> None:
    [found] = diagnostics_of(HEADER + "@spock\nclass A:\n    x: Innt\n")
    assert (found.code, found.line, found.col) == ("SPK101", 4, 8)
    assert "unknown type name 'Innt'" in found.message
    assert found.hint == "did you mean 'int'?"


def test_unsupported_generic_type_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    x: set[int]\n") == [
        ("SPK102", 4, 8)
    ]


def test_union_of_two_types_is_rejected() -> None:
    source = (
        "from typing import Union\n"
        + HEADER
        + "@spock\nclass A:\n    x: Union[int, str]\n"
    )
    assert errors_of(source) == [("SPK102", 5, 8)]


def test_typing_any_is_rejected() -> None:
    source = "from typing import Any\n" + HEADER + "@spock\nclass A:\n    x: Any\n"
    assert errors_of(source) == [("SPK102", 5, 8)]


def test_list_without_item_type_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    x: list = []\n") == [
        ("SPK112", 4, 8)
    ]


def test_dict_with_int_keys_is_rejected_at_the_key_type() -> None:
    source = HEADER + "@spock\nclass A:\n    d: dict[int, str]\n"
    assert errors_of(source) == [("SPK111", 4, 13)]


def test_unannotated_attribute_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    x = 3\n") == [("SPK201", 4, 5)]


def test_duplicate_class_name_is_reported_at_the_second_class() -> None:
    source = HEADER + "@spock\nclass A:\n    x: int\n@spock\nclass A:\n    y: int\n"
    assert errors_of(source) == [("SPK202", 6, 7)]


def test_nested_classes_in_a_cycle_are_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    b: 'B'\n@spock\nclass B:\n    a: A\n"
    [found] = diagnostics_of(source)
    assert (found.code, found.line, found.col) == ("SPK203", 4, 5)
    assert "A -> B -> A" in found.message


def test_decorator_assigned_to_another_name_is_rejected() -> None:
    assert errors_of(HEADER + "cfg = spock\n") == [("SPK204", 2, 1)]


def test_unknown_decorator_keyword_is_reported_at_the_keyword() -> None:
    [found] = diagnostics_of(HEADER + "@spock(dynamc=True)\nclass A:\n    x: int\n")
    assert (found.code, found.line, found.col) == ("SPK205", 2, 8)
    assert found.hint == "did you mean 'dynamic'?"


def test_class_named_like_a_generated_name_is_rejected() -> None:
    source = HEADER + "@spock\nclass Spockspace:\n    x: int\n"
    assert errors_of(source) == [("SPK206", 3, 7)]


def test_field_declared_twice_is_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    x: int\n    x: str\n"
    assert errors_of(source) == [("SPK207", 5, 5)]


def test_plain_base_without_dynamic_is_rejected() -> None:
    source = HEADER + "class P:\n    s: int = 0\n@spock\nclass A(P):\n    x: int\n"
    assert errors_of(source) == [("SPK208", 5, 9)]


def test_reversed_bounds_are_reported_at_the_bounds() -> None:
    field = "    lr: RangeHyperParameter = RangeHyperParameter(type='float', bounds=[0.9, 0.1])\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    assert (found.code, found.line, found.col) == ("SPK103", 4, 72)
    assert "H.lr: low=0.9 is greater than high=0.1" in found.message
    assert found.hint == "swap the bounds"


def test_log_scale_float_range_needs_a_positive_low_bound() -> None:
    field = "    lr: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0, 1], log_scale=True)\n"
    expected = [("SPK104", 4, field.index("[0, 1]") + 1)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_log_scale_int_range_needs_a_low_bound_of_one() -> None:
    field = "    n: RangeHyperParameter = RangeHyperParameter(type='int', bounds=[0, 9], log_scale=True)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    assert (found.code, found.line) == ("SPK104", 4)
    assert "log_scale int needs lower bound >= 1 (got 0)" in found.message


def test_step_with_log_scale_is_rejected_at_the_step() -> None:
    field = "    n: RangeHyperParameter[int] = RangeHyperParameter(bounds=[1, 9], log_scale=True, step=2)\n"
    expected = [("SPK105", 4, field.index("2)") + 1)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_int_bounds_not_a_whole_number_of_steps_apart_are_rejected() -> None:
    field = "    n: RangeHyperParameter[int] = RangeHyperParameter(bounds=[1, 10], step=2)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    assert (found.code, found.line, found.col) == ("SPK114", 4, field.index("[1") + 1)
    assert (
        found.message
        == "H.n: bounds [1, 10] are not a whole number of steps of 2 apart"
    )
    assert found.hint == "make the upper bound 9 or 11"


def test_float_steps_are_counted_on_the_written_decimals() -> None:
    fits = "    a: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1.0], step=0.1)\n"
    misses = "    b: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1.0], step=0.3)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + fits + misses)
    assert (found.code, found.line) == ("SPK114", 5)
    assert found.hint == "make the upper bound 0.9 or 1.2"


def test_bound_beyond_float_range_is_an_error_not_a_crash() -> None:
    huge = "1" + "0" * 400
    field = (
        f"    a: RangeHyperParameter[int] = RangeHyperParameter(bounds=[0, {huge}])\n"
    )
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    assert (found.code, found.line) == ("SPK108", 4)


def test_steps_are_counted_however_many_there_are() -> None:
    fits = "    a: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1e300], step=1e-300)\n"
    misses = "    b: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1.7e308], step=3e-308)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + fits + misses)
    assert (found.code, found.line) == ("SPK114", 5)


def test_steps_that_do_not_fit_name_the_bounds_as_written() -> None:
    field = "    a: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1e-20], step=3e-21)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    message = "H.a: bounds [0.0, 1e-20] are not a whole number of steps of 3e-21 apart"
    assert (found.code, found.message) == ("SPK114", message)
    assert found.hint == "make the upper bound 9e-21 or 1.2e-20"


def test_bounds_and_step_must_be_finite() -> None:
    fields = (
        "    a: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1e400], step=0.5)\n"
        "    b: RangeHyperParameter[float] = RangeHyperParameter(bounds=[0.0, 1.0], step=1e400)\n"
    )
    found = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + fields)
    assert [(d.code, d.line, d.message) for d in found] == [
        ("SPK108", 4, "H.a: bounds must be two finite numbers, [low, high]"),
        ("SPK108", 5, "H.b: step must be a positive, finite number"),
    ]


def test_step_wider_than_the_bounds_suggests_only_a_wider_upper_bound() -> None:
    field = "    n: RangeHyperParameter[int] = RangeHyperParameter(bounds=[-5, 0], step=7)\n"
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass H:\n" + field)
    assert found.code == "SPK114"
    assert found.hint == "make the upper bound 2"


def test_repeated_choices_are_reported_at_each_repeat() -> None:
    field = "    c: ChoiceHyperParameter = ChoiceHyperParameter(choices=['a', 'b', 'a', 'a'])\n"
    first_repeat = field.index("'a', 'a'") + 1
    expected = [("SPK113", 4, first_repeat), ("SPK113", 4, first_repeat + 5)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_empty_choices_are_rejected() -> None:
    field = (
        "    c: ChoiceHyperParameter = ChoiceHyperParameter(type='str', choices=[])\n"
    )
    expected = [("SPK106", 4, field.index("[]") + 1)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_choice_of_the_wrong_type_is_reported_at_the_choice() -> None:
    field = "    c: ChoiceHyperParameter = ChoiceHyperParameter(type='int', choices=[1, 'two'])\n"
    expected = [("SPK107", 4, field.index("'two'") + 1)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_unknown_hyper_parameter_keyword_is_rejected() -> None:
    field = "    c: RangeHyperParameter = RangeHyperParameter(bound=[1, 2])\n"
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == [("SPK108", 4, 50)]


def test_range_type_contradicting_its_subscript_is_rejected() -> None:
    field = "    c: RangeHyperParameter[int] = RangeHyperParameter(type='float')\n"
    expected = [("SPK108", 4, field.index("'float'") + 1)]
    assert errors_of(HEADER + "@spockTuner\nclass H:\n" + field) == expected


def test_plain_field_in_a_tuner_class_is_rejected() -> None:
    assert errors_of(HEADER + "@spockTuner\nclass H:\n    n: int = 3\n") == [
        ("SPK109", 4, 5)
    ]


def test_hyper_parameter_in_a_fixed_class_is_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    lr: RangeHyperParameter\n"
    assert errors_of(source) == [("SPK110", 4, 5)]


def test_default_of_the_wrong_type_is_rejected() -> None:
    [found] = diagnostics_of(HEADER + "@spock\nclass A:\n    n: int = 'x'\n")
    assert (found.code, found.line, found.col) == ("SPK301", 4, 14)
    assert (
        "A.n: default does not match the declared type: expected int" in found.message
    )


def test_float_default_for_an_int_field_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    n: int = 3.7\n") == [
        ("SPK301", 4, 14)
    ]


def test_none_default_for_a_required_field_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    n: int = None\n") == [
        ("SPK301", 4, 14)
    ]


def test_tuple_default_of_the_wrong_length_is_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    t: tuple[int, int] = (1, 2, 3)\n"
    # The error points at the opening parenthesis of the tuple.
    assert errors_of(source) == [("SPK301", 4, 26)]


def test_enum_default_that_is_not_a_member_value_is_rejected() -> None:
    source = (
        "from enum import Enum\n" + HEADER + "class E(Enum):\n    a = 'A'\n"
        "@spock\nclass A:\n    e: E = 'b'\n    f: E = E.b\n"
    )
    assert errors_of(source) == [("SPK301", 7, 12), ("SPK301", 8, 12)]


def test_computed_default_is_rejected() -> None:
    assert errors_of(HEADER + "@spock\nclass A:\n    n: int = 1 + 2\n") == [
        ("SPK302", 4, 14)
    ]


def test_nested_default_with_positional_argument_is_rejected() -> None:
    source = (
        HEADER + "@spock\nclass L:\n    w: int = 1\n@spock\nclass A:\n    l: L = L(4)\n"
    )
    assert errors_of(source) == [("SPK303", 7, 14)]


def test_nested_default_with_unknown_keyword_is_rejected() -> None:
    source = (
        HEADER
        + "@spock\nclass L:\n    w: int = 1\n@spock\nclass A:\n    l: L = L(x=4)\n"
    )
    assert errors_of(source) == [("SPK303", 7, 14)]


def test_nested_default_keyword_of_the_wrong_type_is_rejected() -> None:
    source = (
        HEADER
        + "@spock\nclass L:\n    w: int = 1\n@spock\nclass A:\n    l: L = L(w='x')\n"
    )
    assert errors_of(source) == [("SPK301", 7, 16)]


def test_every_error_of_a_file_is_reported_in_position_order() -> None:
    source = HEADER + "@spock\nclass A:\n    b: int = 'x'\n    a: Innt\n    c = 1\n"
    assert errors_of(source) == [("SPK301", 4, 14), ("SPK101", 5, 8), ("SPK201", 6, 5)]


def test_diagnostic_text_names_place_code_source_line_and_hint() -> None:
    try:
        compile_source(HEADER + "@spock\nclass A:\n    x: Innt\n", "conf/train.py")
    except CompileError as error:
        text = str(error)
    assert text.splitlines() == [
        "conf/train.py:4:8: error[SPK101]: A.x: unknown type name 'Innt'",
        "  4 |     x: Innt",
        "             ^",
        "  hint: did you mean 'int'?",
    ]


def test_format_diagnostic_without_source_line_has_no_caret() -> None:
    found = Diagnostic("cfg.py", 2, 1, "SPK001", "invalid syntax: x", "a hint", "")
    text = format_diagnostic(found)
    assert text.startswith("cfg.py:2:1: error[SPK001]: invalid syntax: x")
    assert "^" not in text


def test_field_named_like_a_class_a_later_field_uses_is_rejected() -> None:
    source = (
        HEADER
        + "@spock\nclass L:\n    w: int = 1\n@spock\nclass A:\n    L: int = 1\n    l: L\n"
    )
    assert errors_of(source) == [("SPK209", 7, 5)]


def test_field_name_with_two_leading_underscores_is_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    __x: int = 1\n    _ok: int = 2\n"

    assert errors_of(source) == [("SPK206", 4, 5)]


def test_field_name_of_the_runtime_is_rejected() -> None:
    source = HEADER + "@spock\nclass A:\n    _spockc_fields: int = 1\n"

    assert errors_of(source) == [("SPK206", 4, 5)]


def test_a_tuner_class_cannot_be_held_by_another_class() -> None:
    source = HEADER + (
        "@spockTuner\nclass H:\n    a: RangeHyperParameter[float]\n"
        "@spock\nclass S:\n    h: H\n    hs: list[H] = []\n"
    )
    found = diagnostics_of(source)
    assert [(d.code, d.line, d.col) for d in found] == [
        ("SPK210", 7, 8),
        ("SPK210", 8, 14),
    ]
    assert (
        found[0].message == "S.h: `H` is a @spockTuner class, which no class can hold"
    )


def test_misspelled_generic_suggests_the_right_one() -> None:
    [found] = diagnostics_of(
        HEADER + "@spock\nclass S:\n    h: Optinal[float] = None\n"
    )
    assert (found.code, found.hint) == ("SPK102", "did you mean 'Optional'?")


def test_generic_from_typing_that_is_not_imported_says_to_import_it() -> None:
    [found] = diagnostics_of(
        HEADER + "@spock\nclass S:\n    h: Optional[float] = None\n"
    )
    assert found.hint == "import it: `from typing import Optional`"


def test_misspelled_range_type_suggests_the_right_one() -> None:
    field = '    h: RangeHyperParameter = RangeHyperParameter(type="flaot", bounds=[1, 2])\n'
    [found] = diagnostics_of(HEADER + "@spockTuner\nclass S:\n" + field)
    assert (found.code, found.hint) == ("SPK108", "did you mean 'float'?")
