"""Bengali text, digits, numbers, dates and fiscal years: the only place that knows them.

Input accepts Bengali or ASCII digits; output is always Bengali digits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BN_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_ASCII = str.maketrans(BN_DIGITS, "0123456789")
_TO_BENGALI = str.maketrans("0123456789", BN_DIGITS)

MONTHS_BN = (
    "জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন",
    "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর",
)
QUARTER_NAMES = ("১ম কোয়ার্টার", "২য় কোয়ার্টার", "৩য় কোয়ার্টার", "৪র্থ কোয়ার্টার")
QUARTER_MONTHS = ("জুলাই-সেপ্টেম্বর", "অক্টোবর-ডিসেম্বর", "জানুয়ারি-মার্চ", "এপ্রিল-জুন")

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
# Bounds of every number and date a plan may hold: beyond them a value is a typo, and would overflow
# a float (1e309), Decimal's 28-digit arithmetic or the 32-bit gzip date of the sitemap (after 2106).
MAX_DIGITS = 15  # significant digits: below a quadrillion, exact in a float too
MAX_PLACES = 10  # decimal places: no document writes more
YEARS = (1900, 2099)
_FISCAL = re.compile(r"^(\d{4})\s*[-–]\s*(\d{2}|\d{4})$")


def nfc(text: str) -> str:
    """Unicode NFC, so composed and decomposed য় ড় ঢ় compare equal.

    Python's NFC keeps য় (U+09DF) decomposed as য + ় (it is a composition
    exclusion), so NFC alone already makes both spellings identical.
    """
    return unicodedata.normalize("NFC", text)


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def to_bengali_digits(text: str) -> str:
    return text.translate(_TO_BENGALI)


# Commas group thousands, Western (1,234,567) or Indian (12,34,567): 1-3 digits, then groups of 2 or 3, the last of 3.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d*)?$")


def parse_decimal(text: str) -> Decimal:
    """'১,২৩৪.৫০', '১২,৩৪,৫৬৭' or '1234.5' -> Decimal; ValueError when it is not a number.

    A comma that does not group thousands ('০,০০০৮০': a decimal point read as a comma) is refused,
    not dropped: dropping it would read 0.00080 as 80."""
    cleaned = to_ascii_digits(nfc(text)).strip()
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(f"expected a number, got {text!r}: its comma does not group thousands "
                             "(a decimal point printed as a comma? write '.')")
        cleaned = cleaned.replace(",", "")
    if cleaned.startswith("."):
        cleaned = "0" + cleaned
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"expected a number, got {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"expected a number, got {text!r}")
    return bounded(value, text)


def bounded(value: Decimal, written: object) -> Decimal:
    """`value`, or a ValueError when it has more than MAX_DIGITS digits before the point or MAX_PLACES after."""
    sign, digits, exponent = value.as_tuple()
    if value and (value.adjusted() >= MAX_DIGITS or exponent < -MAX_PLACES or len(digits) > MAX_DIGITS + MAX_PLACES):
        raise ValueError(f"number {written!r} is out of range: at most {MAX_DIGITS} digits before the decimal "
                         f"point and {MAX_PLACES} after it")
    return value

def looks_like_date(text: str) -> bool:
    return bool(_DATE.match(to_ascii_digits(text.strip())))


def parse_date(text: str) -> dt.date:
    """'২৬/০৭/২৩', '26/07/2023' -> date(2023, 7, 26); ValueError for ৩২/০৭/২৩."""
    match = _DATE.match(to_ascii_digits(nfc(text).strip()))
    if not match:
        raise ValueError(f"expected a date dd/mm/yy, got {text!r}")
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:  # ২৬/০৭/২৩; a written 0001 stays the year 1 (and is refused below)
        year += 2000
    if not YEARS[0] <= year <= YEARS[1]:
        return bounded_date(dt.date(max(year, 1), 1, 1), text)  # says which years are allowed
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"impossible date {text!r}: day {day}, month {month}, year {year} does not exist"
        ) from None


def bounded_date(day: dt.date, written: object) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"date {written!r} is out of range: the year must be {YEARS[0]} to {YEARS[1]}")
    return day


def parse_fiscal_year(text: str) -> str:
    """'২০২৩-২৪', '2023-2024' -> '2023-24'; ValueError unless the years are consecutive."""
    match = _FISCAL.match(to_ascii_digits(nfc(str(text))).strip())
    if not match:
        raise ValueError(f"expected a fiscal year such as 2023-24, got {text!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if end < 100:
        end += start - start % 100
    if end != start + 1:
        raise ValueError(f"fiscal year {text!r} must span two consecutive years (July-June)")
    if not YEARS[0] <= start < YEARS[1]:
        raise ValueError(f"fiscal year {text!r} is out of range: {YEARS[0]}-{(YEARS[0] + 1) % 100:02d} to "
                         f"{YEARS[1] - 1}-{YEARS[1] % 100:02d}")
    return f"{start}-{end % 100:02d}"


def fiscal_year_start(fiscal_year: str) -> int:
    return int(fiscal_year[:4])


def quarter_end(fiscal_year: str, quarter: int) -> dt.date:
    """Last day of quarter 1-4 of a July-June fiscal year."""
    start = fiscal_year_start(fiscal_year)
    return {
        1: dt.date(start, 9, 30),
        2: dt.date(start, 12, 31),
        3: dt.date(start + 1, 3, 31),
        4: dt.date(start + 1, 6, 30),
    }[quarter]


def bn_number(value: Decimal | int | None, places: int | None = None) -> str:
    """Bengali digits; `places` rounds half-up for display only."""
    if value is None:
        return ""
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, Decimal) and places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return to_bengali_digits(text)


def bn_exact(value: Decimal | int) -> str:
    """Bengali digits with the decimal places as the document wrote them: ৯৪.৯০ stays ৯৪.৯০, ০.০০০৮০ stays
    ০.০০০৮০, ১০০.০০ stays ১০০.০০ (a Decimal read from text keeps its places; nothing is rounded)."""
    return to_bengali_digits(format(value, "f") if isinstance(value, Decimal) else str(value))


def bn_score(value: Decimal | None) -> str:
    """Scores print as the seeds do: two decimals, whole numbers bare (৪, ০.৫০)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return bn_number(value.to_integral_value())
    return bn_number(value, 2)


def bn_date(value: dt.date | None) -> str:
    """২৬/০৭/২০২৩"""
    if value is None:
        return ""
    return to_bengali_digits(value.strftime("%d/%m/%Y"))


def bn_date_long(value: dt.date) -> str:
    """২৬ সেপ্টেম্বর ২০২৩"""
    return f"{bn_number(value.day)} {MONTHS_BN[value.month - 1]} {bn_number(value.year)}"


def bn_fiscal_year(fiscal_year: str) -> str:
    """'2023-24' -> '২০২৩-২৪'"""
    return to_bengali_digits(fiscal_year)


def shift_fiscal_year(fiscal_year: str, years: int) -> str:
    """'2023-24', -1 -> '2022-23'"""
    start = fiscal_year_start(fiscal_year) + years
    return f"{start}-{(start + 1) % 100:02d}"


def fiscal_year_of(day: dt.date) -> str:
    """The July-June fiscal year a date falls in: 2024-03-01 -> '2023-24', 2024-07-01 -> '2024-25'."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
