"""What a citizen's charter shows: only the columns its document has, and contacts as links.

A charter's table differs from office to office (the Cabinet Division's current format has seven
columns, older ones four or five): a column is shown when any service of that table has it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from markupsafe import Markup, escape

from sebabox import bengali
from sebabox.model import Charter, Service

# (field, header) in the order of the Cabinet Division's সেবা প্রদান প্রতিশ্রুতি format: the printed order
PRINT_COLUMNS = [
    ("recipient", "সেবা গ্রহীতা"),  # older charters only, printed next to the service's name
    ("method", "সেবা প্রদান পদ্ধতি"),
    ("documents", "প্রয়োজনীয় কাগজপত্র"),
    ("documents_from", "কাগজপত্র ও আবেদন ফরম প্রাপ্তিস্থান"),
    ("place", "সেবা প্রদানের স্থান"),
    ("fee", "সেবার মূল্য"),
    ("payment", "পরিশোধ পদ্ধতি"),
    ("legal_basis", "সংশ্লিষ্ট আইন ও বিধি"),  # some older charters, between the fee and the time limit
    ("time_limit", "সেবা প্রদানের সময়সীমা"),
    ("officer", "দায়িত্বপ্রাপ্ত কর্মকর্তা"),
    ("appellate_officer", "ঊর্ধ্বতন কর্মকর্তা (আপিল)"),
    ("remedy", "সেবা প্রদানে ব্যর্থ হলে প্রতিকার"),
    ("remarks", "মন্তব্য"),
]
# On the site a citizen reads the fee, the time limit and whom to call first (one card per service on a phone)
PAGE_ORDER = ["fee", "payment", "time_limit", "officer", "appellate_officer", "recipient", "place", "method", "documents",
              "documents_from", "legal_basis", "remedy", "remarks"]
HEADERS = dict(PRINT_COLUMNS)


def columns(services: list[Service], *, page: bool = False, order: list[str] | None = None) -> list[tuple[str, str]]:
    """(field, header) of every column that at least one of `services` fills: in the printed order (the
    charter's own `order`, else the Cabinet Division's) or, on the page, in the citizen's (PAGE_ORDER)."""
    present = [key for key, _ in PRINT_COLUMNS if any(getattr(s, key) for s in services)]
    if page:
        present = [key for key in PAGE_ORDER if key in present]
    elif order:
        present = [k for k in order if k in present] + [k for k in present if k not in order]
    return [(key, HEADERS[key]) for key in present]


def wide(charter: Charter) -> bool:
    """A4 landscape when a table has more than five columns besides the number and the name."""
    return any(len(columns(group)) > 4 for _, _, group in charter.groups) or bool(charter.grs)


_PHONE = re.compile(r"\+?[0-9০-৯][0-9০-৯ ‐\-–]{4,}[0-9০-৯]")


def tel_href(number: str) -> str:
    """'০১৭১২-৩৪৫৬৭০' -> 'tel:01712345670'; '+৮৮০ ২ …' keeps its plus."""
    digits = re.sub(r"[^0-9+]", "", bengali.to_ascii_digits(number))
    return "tel:" + digits


def phone_links(text: str | None) -> Markup:
    """Phone numbers in a text as tel: links (shown in Bengali digits); the rest of the text escaped."""
    if not text:
        return Markup("")
    out, last = [], 0
    for match in _PHONE.finditer(text):
        if len(re.sub(r"\D", "", bengali.to_ascii_digits(match.group()))) < 5:
            continue
        out.append(escape(bengali.to_bengali_digits(text[last:match.start()])))
        shown = bengali.to_bengali_digits(match.group())
        out.append(Markup('<a href="{}">{}</a>').format(tel_href(match.group()), shown))
        last = match.end()
    out.append(escape(bengali.to_bengali_digits(text[last:])))
    return Markup("").join(out)


def readable_url(url: str | None) -> str:
    """A published page's address as a reader of the printed charter can read it: '…/page/5OTg-%E0%A6%B8…' ->
    '…/page/5OTg-স…'. It stays encoded when decoding would show a space, a control or a direction mark."""
    if not url:
        return ""
    try:
        shown = unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in shown):
        return url
    return shown


def mail_link(address: str | None) -> Markup:
    """A mailto: link; addresses are validated plain addresses (model.Email), escaped all the same."""
    if not address:
        return Markup("")
    return Markup('<a href="mailto:{0}">{0}</a>').format(address)


# --------------------------------------------------------------------------- comparable values for open data

_UNITS = {"কার্যদিবস": "working_days", "কর্মদিবস": "working_days", "কার্য দিবস": "working_days",
          "কর্ম দিবস": "working_days", "দিন": "days", "ঘণ্টা": "hours", "ঘন্টা": "hours", "মাস": "months"}
_TIME = re.compile(r"^(?:সর্বোচ্চ\s*)?(\d+)\s*(?:\([^()]*\)\s*)?(" + "|".join(sorted(_UNITS, key=len, reverse=True))
                   + r")(?:ের)?(?:\s*মধ্যে)?[।.]?$")
_FEE = re.compile(r"^(?:টাকা\s*)?(\d+(?:\.\d+)?)\s*(?:/-|/=|৳)?\s*(?:টাকা)?[।.]?$")
FREE = ("বিনামূল্যে", "বিনা মূল্যে", "বিনামূল্য", "বিনা মূল্য", "বিনা ফি", "ফি লাগে না")


def time_limit_parts(text: str | None) -> tuple[str, str] | None:
    """'৭ কার্যদিবস' -> ('7', 'working_days'); a limit that is not one number and a unit -> None."""
    if not text:
        return None
    match = _TIME.match(" ".join(bengali.to_ascii_digits(text).split()))
    return (str(int(match.group(1))), _UNITS[match.group(2)]) if match else None


def fee_parts(text: str | None) -> tuple[str | None, bool]:
    """(amount in taka when the fee is one amount, free): '২০/- টাকা' -> ('20', False); 'বিনামূল্যে' -> ('0', True)."""
    if not text:
        return None, False
    plain = " ".join(bengali.to_ascii_digits(text).split()).rstrip("।.")
    if plain in FREE:
        return "0", True
    match = _FEE.match(plain)
    return (match.group(1), False) if match else (None, False)
