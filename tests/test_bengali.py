"""Bengali digits, dates, fiscal years and normalisation: input in either digits, output in Bengali."""

import datetime as dt
from decimal import Decimal

import pytest

from sebabox import bengali


@pytest.mark.parametrize("text, expected", [("২৬/০৭/২৩", dt.date(2023, 7, 26)), ("26/07/2023", dt.date(2023, 7, 26)),
                                            ("০১.০৭.২০২৪", dt.date(2024, 7, 1))])
def test_dates_read_in_bengali_or_ascii_digits(text, expected):
    assert bengali.parse_date(text) == expected


def test_impossible_date_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="impossible date '৩২/০৭/২৩'"):
        bengali.parse_date("৩২/০৭/২৩")


@pytest.mark.parametrize("text", ["২০২৩-২৪", "2023-24", "২০২৩-২০২৪", "2023 - 2024"])
def test_fiscal_years(text):
    assert bengali.parse_fiscal_year(text) == "2023-24"
    assert bengali.bn_fiscal_year(bengali.parse_fiscal_year(text)) == "২০২৩-২৪"


def test_fiscal_year_must_be_consecutive_years():
    with pytest.raises(ValueError):
        bengali.parse_fiscal_year("2023-25")


def test_output_uses_bengali_digits_and_seed_style_scores():
    assert bengali.bn_date(dt.date(2023, 7, 26)) == "২৬/০৭/২০২৩"
    assert bengali.bn_score(Decimal("0.5")) == "০.৫০"
    assert bengali.bn_score(Decimal("4.00")) == "৪"
    assert bengali.bn_number(Decimal("1234.5")) == "১২৩৪.৫"
    assert bengali.parse_decimal(".৫০") == Decimal("0.50")


def test_composed_and_decomposed_ya_compare_equal_after_normalisation():
    composed, decomposed = "সমবা\u09df", "সমবা\u09af\u09bc"
    assert composed != decomposed
    assert bengali.nfc(composed) == bengali.nfc(decomposed)
    for c, d in (("\u09dc", "\u09a1\u09bc"), ("\u09dd", "\u09a2\u09bc")):  # ড় ঢ়
        assert bengali.nfc(c) == bengali.nfc(d)


def test_quarter_ends_follow_the_july_june_year():
    assert bengali.quarter_end("2023-24", 1) == dt.date(2023, 9, 30)
    assert bengali.quarter_end("2023-24", 3) == dt.date(2024, 3, 31)


def test_a_value_shows_the_decimal_places_it_was_written_with():
    from sebabox.values import Value, parse_value

    assert parse_value("৯৪.৯০%").display() == "৯৪.৯০%"
    assert parse_value("১০০.০০%").display() == "১০০.০০%"
    assert parse_value("০.০০০৮০").display() == "০.০০০৮০"
    assert parse_value(2).display() == "২"
    assert Value(number=Decimal(10) / Decimal(3)).display() == "৩.৩৩"  # a computed average, not 28 places
