"""A citizen's charter and an office's contacts as open data: one row per service, text as typed."""

from __future__ import annotations

from sebabox.outputs import datapackage as dp
from sebabox.outputs.report import DocumentView
from sebabox.outputs.tables import charter_rows, csv_text, person_text


def charter_data(doc: DocumentView, format_version: int) -> dict:
    """The charter's JSON: what it prints (date and fiscal year only when it has them), its services
    (the rows of its CSV) and its GRS tiers."""
    charter, links = doc.model, doc.links
    return {
        "office": doc.office.slug, "office_name": doc.office.name, "kind": "charter",
        "fiscal_year": doc.fiscal_year or None, "date": charter.date.isoformat() if charter.date else None,
        "title": doc.title, "example": charter.example, "source": charter.source, "source_note": charter.source_note,
        "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv,
        "licence": dp.LICENCE, "format_version": format_version,
        "vision": charter.vision, "mission": charter.mission,
        "services": charter_rows(doc.office, doc),
        "expectations": list(charter.expectations),
        "grs": [{"when": t.when, "contact": person_text(t.contact), "phone": t.contact.phone,
                 "email": t.contact.email, "time_limit": t.time_limit} for t in charter.grs],
        "notes": list(charter.notes),
    }


def charter_csv(data: dict) -> str:
    return csv_text(dp.TABLES["charter_services"][1], data["services"])


CONTACT_FIELDS = ("address", "phone", "fax", "email", "website", "hours", "head", "rti_officer",
                  "rti_appeal_authority", "grs_focal_point", "grs_appellate_officer", "source")


def office_contacts(office) -> dict:
    """The office's published contacts, as typed (a phone keeps its digits); people as their fields."""
    out = {}
    for name in CONTACT_FIELDS:
        value = getattr(office, name)
        if value is not None:
            out[name] = value.model_dump(exclude_none=True) if hasattr(value, "model_dump") else value
    return out
