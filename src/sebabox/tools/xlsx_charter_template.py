"""`xlsx-template --document charter`: one row per service, the office's charter filled in when it has one.

Every cell is yellow (to fill in) and formatted as text, so a phone 01712345670 keeps its 0. Columns
left empty on every row are not written by import-xlsx: the charter keeps only its own columns.
"""

from __future__ import annotations

from sebabox import bengali
from sebabox.inputs.xlsx_charter import CHARTER_COLUMNS, charter_header

BLANK_ROWS = 12
WIDTHS = {"id": 6, "group": 14, "service": 30, "recipient": 16, "method": 30, "documents": 34, "documents_from": 20, "place": 18, "fee": 18,
          "payment": 16, "legal_basis": 20, "time_limit": 16, "officer_name": 18, "officer_designation": 20, "officer_room": 8,
          "officer_phone": 16, "officer_email": 22, "appellate_designation": 20, "appellate_phone": 16,
          "appellate_email": 22, "remedy": 20, "remarks": 16}
INSTRUCTIONS = [
    "নির্দেশনা (instructions)",
    "প্রতিটি সেবার জন্য একটি সারি। চার্টারে যা ছাপা আছে শুধু তা-ই লিখুন; যে কলাম চার্টারে নেই তা খালি রাখুন।",
    "One row per service. Type only what the charter prints; leave a column empty when the charter has none.",
    "প্রয়োজনীয় কাগজপত্র: প্রতি লাইনে একটি (Alt+Enter)। সেবার ধরন: নাগরিক সেবা, প্রাতিষ্ঠানিক সেবা, অভ্যন্তরীণ সেবা বা শাখার নাম।",
    "অর্থবছর ও হালনাগাদের তারিখ কেবল চার্টারে ছাপা থাকলে লিখুন। ফোন নম্বর যেমন ছাপা তেমন লিখুন (০১৭১২-৩৪৫৬৭০)।",
    "তারপর: python build_site.py import-xlsx FILE.xlsx --office SLUG, এবং python build_site.py check",
]


def charter_book(catalog, office: str, year: str | None, book):
    """(workbook, notes): the office's charter of `year` (or its only one) as rows, else empty rows."""
    mine = [c.model for c in catalog.charters if c.model.office == office]
    charter = next((c for c in mine if c.fiscal_year == year), None) or (mine[0] if len(mine) == 1 and not year else None)
    keys = list(CHARTER_COLUMNS)
    meta = [("office", office), ("document", "charter"), ("title", charter.title if charter else None),
            ("fiscal_year", bengali.bn_fiscal_year(year or charter.fiscal_year)
             if (year or (charter and charter.fiscal_year)) else None),
            ("charter_date", bengali.bn_date(charter.date) if charter and charter.date else None),
            ("vision", charter.vision if charter else None), ("mission", charter.mission if charter else None),
            ("source", charter.source if charter else None)]
    rows = _rows(charter) if charter else []
    rows += [{"id": bengali.to_bengali_digits(str(len(rows) + i))} for i in range(1, BLANK_ROWS + 1)]
    inputs = set(keys) | {k for k, _ in meta if k not in ("office", "document")}
    label = lambda key: charter_header(key) if key not in ("office", "document", "fiscal_year") else _meta(key)  # noqa: E731
    note = (f"চার্টারের শিট (charter sheet): {office}-এর চার্টার থেকে, "
            f"{bengali.bn_number(len(rows) - BLANK_ROWS)}টি সেবা" if charter else
            f"ফাঁকা চার্টারের শিট (empty charter sheet): {office}")
    return book("CHARTER", "সেবা প্রদান প্রতিশ্রুতি (সিটিজেন চার্টার)", meta, keys, rows, inputs, label=label,
                widths=WIDTHS, instructions=INSTRUCTIONS), [note]


def _meta(key: str) -> str:
    from sebabox.inputs.xlsx import header

    return header(key)


def _rows(charter) -> list[dict]:
    rows, number = [], 0
    for _, heading, services in charter.groups:
        for s in services:
            number += 1
            row = {"id": s.number or bengali.to_bengali_digits(str(number)), "group": heading if heading != "সেবাসমূহ" else None,
                   "service": s.name, "recipient": s.recipient, "method": s.method, "documents": "\n".join(s.documents) or None,
                   "documents_from": s.documents_from, "place": s.place, "fee": s.fee, "payment": s.payment,
                   "legal_basis": s.legal_basis, "time_limit": s.time_limit, "remedy": s.remedy,
                   "remarks": s.remarks}
            for who, people in (("officer", s.officer or []), ("appellate", [s.appellate_officer] if s.appellate_officer else [])):
                for part in ("name", "designation", "room", "phone", "email"):  # several officers: one line each
                    values = [getattr(p, part) or "" for p in people]
                    if any(values):
                        row[f"{who}_{part}"] = "\n".join(values)
            rows.append(row)
    return rows
