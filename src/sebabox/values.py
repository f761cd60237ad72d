"""Typed plan values: a number, a percentage or a date, read from Bengali or ASCII text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from sebabox import bengali
from sebabox.errors import BadValue


@dataclass(frozen=True)
class Value:
    """One cell of a plan table. Exactly one of `number` and `date` is set."""

    number: Decimal | None = None
    date: dt.date | None = None
    percent: bool = False

    @property
    def is_date(self) -> bool:
        return self.date is not None

    def display(self) -> str:
        if self.date is not None:
            return bengali.bn_date(self.date)
        if -self.number.as_tuple().exponent > MAX_WRITTEN_PLACES:  # a computed average such as ১০ ÷ ৩
            text = bengali.bn_number(self.number, 2)
        else:
            text = bengali.bn_exact(self.number)  # as written: ৯৪.৯০%, ১০০.০০%, ০.০০০৮০
        return text + "%" if self.percent else text

    def plain(self) -> str:
        """ASCII form for open data: 2, 100%, 2023-07-26."""
        if self.date is not None:
            return self.date.isoformat()
        text = format(self.number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + "%" if self.percent else text

    def __str__(self) -> str:
        return self.display()


@dataclass(frozen=True)
class Annotation:
    """What a plan says about one of its own values, written `{value: X, printed: Y, reason: …}` (a
    correction: the document printed Y, the site shows X) or `{value: X, accepted: …}` (a fault kept as
    printed, so `check` does not warn on it). `line` is where it is written in its file."""

    line: int = field(compare=False)  # where it is written, not what it says
    printed: str | None = None  # as printed, with Bengali digits
    reason: str | None = None
    accepted: str | None = None

    @property
    def is_correction(self) -> bool:
        return self.printed is not None


MISSING = ("", "-", "–", "—")
MAX_WRITTEN_PLACES = 10  # no document writes more decimals; more means a computed repeating fraction


def parse_value(raw: Any) -> Value | None:
    """'২', 2, '১০০%', '.৫০', '২৬/০৭/২৩' -> Value; '-' or empty -> None."""
    if raw is None or isinstance(raw, Value):
        return raw
    if isinstance(raw, bool):
        raise BadValue("expected a number, percentage or date, got yes/no",
                       "সংখ্যা, শতাংশ বা তারিখ চাই (expected a number, percentage or date), লেখা আছে হ্যাঁ/না "
                       "(yes/no, true/false); লিখুন যেমন ৮, ১০০% বা ২৬/০৭/২০২৩")
    if isinstance(raw, int) and len(str(abs(raw))) > bengali.MAX_DIGITS:
        raise BadValue(f"number {raw} is out of range: at most {bengali.MAX_DIGITS} digits",
                       f"সংখ্যাটি সীমার বাইরে (out of range): {raw}; সর্বোচ্চ {bengali.bn_number(bengali.MAX_DIGITS)}টি অঙ্ক লিখুন")
    if isinstance(raw, (int, Decimal)):
        return Value(number=bengali.bounded(Decimal(raw), raw))
    if isinstance(raw, float):
        return Value(number=bengali.bounded(Decimal(str(raw)), raw))
    if isinstance(raw, dt.datetime):
        return Value(date=bengali.bounded_date(raw.date(), raw.date().isoformat()))
    if isinstance(raw, dt.date):
        return Value(date=bengali.bounded_date(raw, raw.isoformat()))
    if not isinstance(raw, str):
        raise BadValue("expected a number, percentage or date",
                       "একটি মান চাই: সংখ্যা, শতাংশ বা তারিখ (expected a number, percentage or date), এখানে তালিকা বা "
                       "কী-মান লেখা আছে; লিখুন যেমন ৮, ১০০% বা ২৬/০৭/২০২৩")
    text = bengali.nfc(raw).strip()
    if text in MISSING:
        return None
    if bengali.looks_like_date(text):
        return Value(date=bengali.parse_date(text))
    if text.endswith("%"):
        return Value(number=bengali.parse_decimal(text[:-1]), percent=True)
    return Value(number=bengali.parse_decimal(text))


def parse_decimal_field(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise BadValue(f"expected a number, got {raw!r}",
                       "সংখ্যা চাই (expected a number), লেখা আছে হ্যাঁ/না (yes/no, true/false); লিখুন যেমন ৮ বা ২.৫")
    value = parse_value(raw)
    if value is None or value.number is None or value.percent:
        shown = "কিছু লেখা নেই" if value is None else f"লেখা আছে '{raw}'"
        raise BadValue(f"expected a number, got {raw!r}",
                       f"সংখ্যা চাই (expected a number), {shown}; লিখুন যেমন ৮ বা ২.৫ (বাংলা বা ইংরেজি অঙ্ক)")
    return value.number


def parse_date_field(raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return bengali.bounded_date(raw if not isinstance(raw, dt.datetime) else raw.date(), str(raw))
    if not isinstance(raw, str):
        raise BadValue(f"expected a date dd/mm/yyyy, got {raw!r}",
                       f"তারিখ চাই (expected a date) দিন/মাস/বছর, লেখা আছে '{raw}'; লিখুন যেমন ২৬/০৭/২০২৩")
    return bengali.parse_date(raw)


# Generated from the expressions `parse_value` reads with (bengali.NUMBER, STRICT_DATE, MISSING).
NUMBER_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": bengali.whole(bengali.NUMBER)}],
                 "description": "সংখ্যা, বাংলা বা ইংরেজি অঙ্কে: ৮, ২.৫, ১,২৩৪"}
DATE_SCHEMA = {"type": "string", "pattern": bengali.whole(bengali.STRICT_DATE),
               "description": "তারিখ দিন/মাস/বছর, যেমন ২৬/০৭/২০২৩"}
_VALUE_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "null"}, {"type": "string", "pattern": bengali.whole(
        "|".join(["", "[-–—]", f"{bengali.NUMBER}\\s*%?", bengali.STRICT_DATE]))}],
    "description": "সংখ্যা, শতাংশ (১০০%) বা তারিখ (২৬/০৭/২০২৩), বাংলা বা ইংরেজি অঙ্কে; না থাকলে -",
}

CellValue = Annotated[
    Value | None,
    BeforeValidator(parse_value),
    PlainSerializer(lambda v: v.plain() if v else None, return_type=str | None),
    WithJsonSchema(_VALUE_SCHEMA),
]
Number = Annotated[
    Decimal,
    BeforeValidator(parse_decimal_field),
    PlainSerializer(lambda v: float(v), return_type=float),
    WithJsonSchema(NUMBER_SCHEMA),
]
Date = Annotated[
    dt.date,
    BeforeValidator(parse_date_field),
    WithJsonSchema(DATE_SCHEMA),
]
