"""Bengali text, digits, numbers, dates and fiscal years: the only place that knows them.

Input accepts Bengali or ASCII digits; output is always Bengali digits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sebabox.errors import BadValue

BN_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_ASCII = str.maketrans(BN_DIGITS, "0123456789")
_TO_BENGALI = str.maketrans("0123456789", BN_DIGITS)

MONTHS_BN = (
    "জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন",
    "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর",
)
QUARTER_NAMES = ("১ম কোয়ার্টার", "২য় কোয়ার্টার", "৩য় কোয়ার্টার", "৪র্থ কোয়ার্টার")
QUARTER_MONTHS = ("জুলাই-সেপ্টেম্বর", "অক্টোবর-ডিসেম্বর", "জানুয়ারি-মার্চ", "এপ্রিল-জুন")

# Bounds of every number and date a plan may hold: beyond them a value is a typo, and would overflow
# a float (1e309), Decimal's 28-digit arithmetic or the 32-bit gzip date of the sitemap (after 2106).
MAX_DIGITS = 15  # significant digits: below a quadrillion, exact in a float too
MAX_PLACES = 10  # decimal places: no document writes more
YEARS = (1900, 2099)
# The shapes of what a clerk types, on ASCII digits (Bengali digits are turned into ASCII first).
# check reads values with them and the JSON Schemas are generated from them (schema_pattern below).
UNSIGNED = r"(?:\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
NUMBER = r"[+-]?" + UNSIGNED
DATE = r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})"
_NUMBER = re.compile(f"^{NUMBER}$")
_DATE = re.compile(f"^{DATE}$")
_FISCAL = re.compile(r"^(\d{4})\s*[-–]\s*(\d{2}|\d{4})$")
FISCAL_YEARS = (YEARS[0], YEARS[1] - 1)  # first and last start year: 1900-01 ... 2098-99


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
    """'১,২৩৪.৫০', '১২,৩৪,৫৬৭' or '1234.5' -> Decimal; BadValue (a ValueError) when it is not a number.

    A comma that does not group thousands ('০,০০০৮০': a decimal point read as a comma) is refused,
    not dropped: dropping it would read 0.00080 as 80."""
    cleaned = to_ascii_digits(nfc(text)).strip()
    if "," in cleaned and not _GROUPED.match(cleaned):
        raise BadValue(f"expected a number, got {text!r}: its comma does not group thousands "
                       "(a decimal point printed as a comma? write '.')",
                       f"সংখ্যার কমা (comma) হাজারের ঘর ভাগ করছে না: '{text}'; দশমিক বিন্দু হলে '.' লিখুন")
    if not _NUMBER.match(cleaned):
        raise BadValue(f"expected a number, got {text!r}",
                       f"সংখ্যা চাই (expected a number), লেখা আছে '{text}'; লিখুন যেমন ৮ বা ২.৫ (বাংলা বা ইংরেজি অঙ্ক)")
    cleaned = cleaned.replace(",", "")
    return bounded(Decimal("0" + cleaned if cleaned.startswith(".") else cleaned), text)


def bounded(value: Decimal, written: object) -> Decimal:
    """`value`, or a ValueError when it has more than MAX_DIGITS digits before the point or MAX_PLACES after."""
    sign, digits, exponent = value.as_tuple()
    if value and (value.adjusted() >= MAX_DIGITS or exponent < -MAX_PLACES or len(digits) > MAX_DIGITS + MAX_PLACES):
        raise BadValue(f"number {written!r} is out of range: at most {MAX_DIGITS} digits before the decimal "
                       f"point and {MAX_PLACES} after it",
                       f"সংখ্যাটি সীমার বাইরে (out of range): '{written}'; দশমিকের আগে সর্বোচ্চ {bn_number(MAX_DIGITS)}টি "
                       f"ও পরে {bn_number(MAX_PLACES)}টি অঙ্ক লিখুন")
    return value

def looks_like_date(text: str) -> bool:
    return bool(_DATE.match(to_ascii_digits(text.strip())))


def parse_date(text: str) -> dt.date:
    """'২৬/০৭/২৩', '26/07/2023' -> date(2023, 7, 26); BadValue for ৩২/০৭/২৩."""
    match = _DATE.match(to_ascii_digits(nfc(text).strip()))
    if not match:
        raise BadValue(f"expected a date dd/mm/yy, got {text!r}",
                       f"তারিখ চাই (expected a date) দিন/মাস/বছর, লেখা আছে '{text}'; লিখুন যেমন ২৬/০৭/২০২৩")
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:  # ২৬/০৭/২৩; a written 0001 stays the year 1 (and is refused below)
        year += 2000
    if not YEARS[0] <= year <= YEARS[1]:
        return bounded_date(dt.date(max(year, 1), 1, 1), text)  # says which years are allowed
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(
            f"impossible date {text!r}: day {day}, month {month}, year {year} does not exist",
            f"এমন তারিখ হয় না (impossible date): '{text}' — {bn_number(year)} সালের {bn_number(month)} মাসে "
            f"{bn_number(day)} তারিখ নেই; দিন/মাস/বছর ক্রমে লিখুন, যেমন ২৬/০৭/২০২৩",
        ) from None


def bounded_date(day: dt.date, written: object) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise BadValue(f"date {written!r} is out of range: the year must be {YEARS[0]} to {YEARS[1]}",
                       f"তারিখ সীমার বাইরে (out of range): '{written}'; বছর {bn_number(YEARS[0])} থেকে "
                       f"{bn_number(YEARS[1])}-এর মধ্যে লিখুন, যেমন ২৬/০৭/২০২৩")
    return day


def parse_fiscal_year(text: str) -> str:
    """'২০২৩-২৪', '2023-2024' -> '2023-24'; BadValue unless the years are consecutive (1900-01 ... 2098-99)."""
    match = _FISCAL.match(to_ascii_digits(nfc(str(text))).strip())
    if not match:
        raise BadValue(f"expected a fiscal year such as 2023-24, got {text!r}",
                       f"অর্থবছর (fiscal year) চাই, লেখা আছে '{text}'; লিখুন যেমন ২০২৩-২৪")
    start, end = int(match.group(1)), int(match.group(2))
    if end < 100:
        end += start - start % 100
    if end != start + 1:
        raise BadValue(f"fiscal year {text!r} must span two consecutive years (July-June)",
                       f"অর্থবছর (fiscal year) '{text}' পরপর দুই বছরের (জুলাই-জুন) হতে হবে; লিখুন যেমন "
                       f"{bn_fiscal_year(f'{start}-{(start + 1) % 100:02d}')}")
    if not FISCAL_YEARS[0] <= start <= FISCAL_YEARS[1]:
        first, last = (f"{y}-{(y + 1) % 100:02d}" for y in FISCAL_YEARS)
        raise BadValue(f"fiscal year {text!r} is out of range: {first} to {last}",
                       f"অর্থবছর (fiscal year) '{text}' {bn_fiscal_year(first)} থেকে {bn_fiscal_year(last)}-এর মধ্যে হতে হবে")
    return f"{start}-{end % 100:02d}"


def parse_whole_number(raw, low: int, high: int, what: str) -> int:
    """A small whole number typed with Bengali or ASCII digits (quarter ১-৪, annex ৪-৮)."""
    text = str(raw).strip() if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
    ascii_text = to_ascii_digits(nfc(text)) if text is not None else ""
    if not ascii_text.isdigit() or not low <= int(ascii_text) <= high:
        raise BadValue(f"expected a whole number from {low} to {high}, got {raw!r}",
                       f"{what} {bn_number(low)} থেকে {bn_number(high)}-এর একটি পূর্ণ সংখ্যা হতে হবে, "
                       f"লেখা আছে '{raw}'; লিখুন যেমন {bn_number(low)}")
    return int(ascii_text)


# The same shapes for the JSON Schemas: editors check while typing what `check` reads.
STRICT_DATE = r"(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:\d{2}|19\d{2}|20\d{2})"  # calendar: check's


def whole(ascii_pattern: str) -> str:
    """^…$ around a pattern, with the surrounding blanks `check` strips, for Bengali or ASCII digits."""
    return f"^\\s*(?:{schema_pattern(ascii_pattern)})\\s*$"


def fiscal_year_pattern() -> str:
    """Every fiscal year `parse_fiscal_year` accepts, 1972-73 … 2098-99, as one alternation."""
    years = []
    for start in range(FISCAL_YEARS[0], FISCAL_YEARS[1] + 1):
        end = start + 1
        years.append(f"{start}\\s*[-–]\\s*(?:{end}|{end % 100:02d})")
    return whole("|".join(years)).replace("\\\\s", "\\s")


def schema_pattern(ascii_pattern: str) -> str:
    """An ASCII-digit regular expression -> the same for Bengali or ASCII digits (for JSON Schemas):
    `\\d` and digit ranges in classes gain their Bengali digits, a bare digit becomes a class of both."""
    out, i = [], 0
    while i < len(ascii_pattern):
        char = ascii_pattern[i]
        if ascii_pattern.startswith("\\d", i):
            out.append("[0-9০-৯]")
            i += 2
        elif char == "\\":
            out.append(ascii_pattern[i:i + 2])
            i += 2
        elif char == "{":  # a quantifier such as {1,3}
            end = ascii_pattern.index("}", i)
            out.append(ascii_pattern[i:end + 1])
            i = end + 1
        elif char == "[":
            end = ascii_pattern.index("]", i + 1)
            body = ascii_pattern[i + 1:end]
            extra = "".join(f"{to_bengali_digits(a)}-{to_bengali_digits(b)}"
                            for a, b in re.findall(r"(\d)-(\d)", body))
            singles = re.sub(r"\d-\d", "", body)
            extra += "".join(to_bengali_digits(d) for d in singles if d.isdigit())
            out.append(f"[{body}{extra}]")
            i = end + 1
        elif char.isdigit():
            out.append(f"[{char}{to_bengali_digits(char)}]")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


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
