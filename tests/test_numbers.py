"""PAR INDEX as a council reads it (thidua.words.percent): the precision it was given, at most 2 decimals, and more
only where two different numbers of the same table would otherwise print alike."""

import pytest

from thidua.words import decimals, number, percent, scale


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95, "95%"),  # given without decimals
        (92.5, "92,5%"),  # one decimal, decimal comma
        (91.504, "91,50%"),  # three decimals given: two shown, the zero kept (it is a rounded figure)
        (66.666666, "66,67%"),  # rounded half up
        (100, "100%"),
        (0.955, "0,96%"),
    ],
)
def test_a_value_alone_keeps_its_precision_up_to_two_decimals(value: float, expected: str) -> None:
    assert percent(value) == expected


def test_a_failing_value_is_never_printed_equal_to_its_threshold() -> None:
    # 89.999 at two decimals would read "90,00%" beside a 90% threshold: a third decimal is shown.
    assert percent(89.999, [90]) == "89,999%"
    assert percent(90, [89.999]) == "90%"  # the threshold itself was given without decimals
    assert percent(89.9951, [90]) == "89,995%"  # three decimals are enough to tell it from 90


def test_values_that_order_differently_print_differently() -> None:
    # 91.504 and 91.501 both read "91,50%" at two decimals, with different ranks: one more decimal each.
    shown = scale([95, 91.504, 91.501, 90])
    assert [percent(v, shown) for v in (95, 91.504, 91.501, 90)] == ["95%", "91,504%", "91,501%", "90%"]
    # 91.5 and 91.504: the shorter value cannot gain digits; the longer shows the third decimal.
    assert (percent(91.5, [91.504]), percent(91.504, [91.5])) == ("91,5%", "91,504%")
    # far apart values keep two decimals
    assert percent(91.504, [93.1]) == "91,50%"


def test_equal_values_need_no_extra_digits_and_the_count_is_exact() -> None:
    shown = scale([91.501, 91.501, 80])
    assert decimals(91.501, shown) == 2
    assert number(91.501, shown) == "91,50"
    assert number(0.955, full=True) == "0,955"  # as typed, for an error message
