"""What the open data means: the licence, a Table Schema per CSV kind and the Frictionless Data Packages.

Every CSV column is described here once; `tables` and `opendata` write rows with exactly these
columns, and `datapackage.json` (for the site, and per office) gives each CSV its schema so that
`frictionless validate` checks types. Plan values (targets, achievements) are kept as written: a
number, a percentage ("100%") or an ISO date, so their column is a string; scores and weights are
exact decimals, written as text ("8.52") in JSON so no binary rounding creeps in.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LICENCE_BN = "ক্রিয়েটিভ কমন্স অ্যাট্রিবিউশন ৪.০ আন্তর্জাতিক (CC BY 4.0)"
ATTRIBUTION = ("Source: the offices' own plans and reports (APA, governance action plans, citizen charters), "
               "as published by sebabox; computed scores follow the Cabinet Division's rules.")
LICENCE_TEXT = f"""Open data of sebabox: plans and performance reports of Bangladesh government offices.

Licence: {LICENCE['title']} ({LICENCE['name']})
{LICENCE['path']}

You may copy, redistribute, adapt and build upon these data for any purpose, including
commercially, provided you give appropriate credit, link to the licence and say if you changed them.
{ATTRIBUTION}

ডেটার লাইসেন্স: {LICENCE_BN}। সূত্র উল্লেখ করে যেকোনো কাজে ব্যবহার, পুনঃপ্রকাশ ও পরিবর্তন করা যাবে।

Files: CSV are UTF-8 with a byte-order mark (Excel opens them with Bengali intact); a cell that
would start a spreadsheet formula (= + - @) begins with an apostrophe. datapackage.json describes
every CSV (Frictionless Data Package, Table Schema).
"""

VALUE = ("A plan value as written: a number (\"12.5\"), a percentage (\"100%\") or an ISO date (\"2023-07-26\"); "
         "empty when none.")
EXACT = "Exact decimal, written as text (\"8.52\" in JSON too), never a binary float."


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, date
    title: str  # Bengali, as the printed document says it
    description: str
    unit: str | None = None
    exact: bool = False  # an exact decimal (a string in JSON)

    def field(self) -> dict:
        spec = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "number":
            spec["bareNumber"] = True
        if self.unit:
            spec["unit"] = self.unit
        if self.exact:
            spec["exactDecimal"] = True
            spec["description"] += " " + EXACT
        return spec


def C(name, type_, title, description, unit=None, exact=False) -> Column:
    return Column(name, type_, title, description, unit, exact)


MARKS = "marks (নম্বর)"
CONTEXT = [
    C("office", "string", "দপ্তর (slug)", "The office's identifier (its folder in plans/ and its URL)."),
    C("office_name", "string", "দপ্তরের নাম", "The office's name as it writes it."),
    C("level", "string", "স্তর", "ministry, directorate, divisional, district or upazila."),
    C("parent", "string", "ঊর্ধ্বতন দপ্তর (slug)", "The office it reports to; empty at the top."),
    C("district", "string", "জেলা", "The district the office is in (empty for national offices)."),
    C("fiscal_year", "string", "অর্থবছর", "Fiscal year, July to June, e.g. 2023-24."),
    C("document", "string", "দলিল", "apa, nis, egov, grs, cc, rti or charter (template-… for a national template)."),
    C("quarter", "integer", "কোয়ার্টার", "The quarter (1-4) the values are reported up to; empty for a plan without a report."),
]
_INDICATOR = [
    C("area_id", "string", "ক্রম (ক্ষেত্র)", "Id of the performance area (কর্মসম্পাদনের ক্ষেত্র) or governance block."),
    C("area", "string", "কর্মসম্পাদনের ক্ষেত্র", "Name of the area."),
    C("area_weight", "number", "ক্ষেত্রের মান", "Marks of the area.", MARKS, True),
    C("id", "string", "ক্রম", "Id of the indicator as printed, e.g. 1.1.2."),
    C("activity", "string", "কার্যক্রম", "The activity."),
    C("indicator", "string", "কর্মসম্পাদন সূচক", "The performance indicator."),
    C("unit", "string", "একক", "Unit of the target and achievements (সংখ্যা, %, তারিখ, প্রাপ্ত নম্বর…)."),
    C("method", "string", "গণনা পদ্ধতি", "How quarters add up: সমষ্টি (sum), গড় (average), ক্রমপুঞ্জিভূত (latest), তারিখ (date)."),
    C("weight", "number", "সূচকের মান", "Marks of the indicator.", MARKS, True),
    C("responsible", "string", "দায়িত্বপ্রাপ্ত ব্যক্তি/পদ", "Who is responsible."),
]
_BY_NAME = {c.name: c for c in _INDICATOR}
_LEVELS = [C(f"level_{p}", "string", f"লক্ষ্যমাত্রা {name} {p}%", f"Target for {p}% of the marks. " + VALUE)
           for p, name in zip((100, 90, 80, 70, 60), ("অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে"))]
_YEARS = {
    "actual_prev2": ("প্রকৃত অর্জন (দুই বছর আগে)", "Actual achievement in the fiscal year two before fiscal_year. "),
    "actual_prev1": ("প্রকৃত অর্জন (আগের বছর)", "Actual achievement in the fiscal year before fiscal_year. "),
    "projection_next1": ("প্রক্ষেপণ (পরের বছর)", "Projection for the fiscal year after fiscal_year. "),
    "projection_next2": ("প্রক্ষেপণ (দুই বছর পরে)", "Projection for the fiscal year two after fiscal_year. "),
}
YEAR_COLUMNS = {name: C(name, "string", title, text + VALUE) for name, (title, text) in _YEARS.items()}
DOCUMENT_CSV = [
    *CONTEXT, *_INDICATOR,
    YEAR_COLUMNS["actual_prev2"], YEAR_COLUMNS["actual_prev1"],
    C("target", "string", "লক্ষ্যমাত্রা", "Annual target (the অসাধারণ level where the plan gives levels). " + VALUE),
    *_LEVELS,
    YEAR_COLUMNS["projection_next1"], YEAR_COLUMNS["projection_next2"],
    *(C(f"q{q}_target", "string", f"{q} কোয়ার্টারের লক্ষ্যমাত্রা", f"Target for quarter {q}. " + VALUE) for q in range(1, 5)),
    *(C(f"q{q}", "string", f"{q} কোয়ার্টারের অর্জন", f"Achievement reported for quarter {q}. " + VALUE) for q in range(1, 5)),
    C("total", "string", "মোট অর্জন", "Achievement to date by the indicator's method. " + VALUE),
    C("score", "number", "অর্জিত মান", "Achieved marks to date, computed by the government's rules, rounded half-up "
      "to two places as printed; for a governance row the marks its annex carries into the APA.", MARKS, True),
    C("printed_total", "string", "মোট অর্জন (ছাপা)", "The total as the paper report printed it, where it did. " + VALUE),
    C("printed_score", "number", "অর্জিত মান (ছাপা)", "The score as the paper report printed it, where it did; "
      "compare with score.", MARKS, True),
    C("remarks", "string", "মন্তব্য", "Remarks."),
    C("annex", "integer", "সংযোজনী", "For the APA's governance rows: the annex (4-8) whose score gives the marks."),
]
OUTCOMES_CSV = [
    *CONTEXT,
    C("outcome", "string", "ফলাফল/প্রভাব", "APA section 2: the outcome or impact."),
    C("indicator", "string", "কর্মসম্পাদন সূচক", "Its indicator."),
    C("unit", "string", "একক", "Unit."),
    YEAR_COLUMNS["actual_prev2"], YEAR_COLUMNS["actual_prev1"],
    C("target", "string", "লক্ষ্যমাত্রা", "Target for fiscal_year. " + VALUE),
    YEAR_COLUMNS["projection_next1"], YEAR_COLUMNS["projection_next2"],
    C("joint_offices", "string", "যৌথভাবে দায়িত্বপ্রাপ্ত", "Ministries, divisions or agencies jointly responsible."),
    C("source", "string", "উপাত্তসূত্র", "Source of the data."),
]
STATUS = C("status", "string", "প্রকাশের অবস্থা", "Publication status of the row's plan (no quarter) or of that "
           "quarter's report against the build's reference date (offices.json status_as_of): on_time, late, "
           "overdue, not_due, undated (published, date unknown), no_calendar; empty where not computed.")
DATE = "ISO date (YYYY-MM-DD)."

# The national tables: one CSV (and a JSON array of the same rows) per kind, all offices together.
TABLES: dict[str, tuple[str, list[Column]]] = {
    "offices": ("Every office: name, level, place in the hierarchy, contacts.", [
        C("office", "string", "দপ্তর (slug)", "The office's identifier."),
        C("office_name", "string", "দপ্তরের নাম", "Name."),
        C("name_en", "string", "Name (English)", "Name in English."),
        C("level", "string", "স্তর", "ministry, directorate, divisional, district or upazila."),
        C("parent", "string", "ঊর্ধ্বতন দপ্তর (slug)", "The office it reports to."),
        C("parent_name", "string", "ঊর্ধ্বতন দপ্তরের নাম", "Its name."),
        C("division", "string", "বিভাগ", "Division."),
        C("district", "string", "জেলা", "District."),
        C("upazila", "string", "উপজেলা", "Upazila."),
        C("address", "string", "ঠিকানা", "Postal address."),
        C("phone", "string", "ফোন", "Phone."),
        C("email", "string", "ই-মেইল", "E-mail."),
        C("website", "string", "ওয়েবসাইট", "Website."),
        C("page", "string", "পাতা", "The office's page, relative to the site root."),
    ]),
    "documents": ("Every document and quarterly report with its score.", [
        *CONTEXT,
        C("title", "string", "শিরোনাম", "Title."),
        C("annex", "integer", "সংযোজনী", "Annex number in the APA (4-8) for a governance action plan."),
        C("report_date", "date", "প্রতিবেদনের তারিখ", "Date of the quarterly report (as_of). " + DATE),
        C("signing_date", "date", "স্বাক্ষরের তারিখ", "Date the APA was signed. " + DATE),
        C("score", "number", "অর্জিত মান", "Achieved marks to date.", MARKS, True),
        C("printed_score", "number", "অর্জিত মান (ছাপা)", "The printed rows' scores added up, where the paper "
          "report printed them.", MARKS, True),
        C("max_score", "number", "মোট মান", "Marks the document is out of.", MARKS, True),
        C("percent", "number", "শতাংশ", "score / max_score × 100, two places.", "percent", True),
        STATUS,
        C("page", "string", "পাতা", "The page, relative to the site root."),
        C("pdf", "string", "PDF", "The PDF, relative to the site root."),
        C("json", "string", "JSON", "The complete document as JSON, relative to the site root."),
        C("csv", "string", "CSV", "Its table as CSV, relative to the site root."),
    ]),
    "indicators": ("Every indicator of every plan, one row per reported quarter (a plan without a report: one row, "
                   "quarter empty).", [
        *CONTEXT,
        *(_BY_NAME[name] for name in ("area_id", "area", "id", "activity", "indicator", "unit", "weight")),
        C("target", "string", "লক্ষ্যমাত্রা", "Annual target. " + VALUE),
        C("quarter_target", "string", "কোয়ার্টারের লক্ষ্যমাত্রা", "Target for this quarter, where the plan gives one. " + VALUE),
        C("achievement", "string", "কোয়ার্টারের অর্জন", "Achievement reported for this quarter. " + VALUE),
        C("total", "string", "মোট অর্জন", "Achievement to date. " + VALUE),
        C("score", "number", "অর্জিত মান", "Achieved marks to date.", MARKS, True),
        C("printed_score", "number", "অর্জিত মান (ছাপা)", "The score as the paper report printed it, where it did.",
          MARKS, True),
        STATUS,
    ]),
    "outcomes": ("APA section 2 of every office: outcomes with actuals, target and projections.", OUTCOMES_CSV),
    "governance": ("The APA's governance block of every office: the marks each annex carries in, per quarter.", [
        *CONTEXT,
        C("block_id", "string", "ক্রম (উদ্দেশ্য)", "Id of the governance block (আবশ্যিক কৌশলগত উদ্দেশ্য)."),
        C("block_weight", "number", "উদ্দেশ্যের মান", "Marks of the block.", MARKS, True),
        C("id", "string", "ক্রম", "Id of the item."),
        C("activity", "string", "কার্যক্রম", "The activity."),
        C("indicator", "string", "কর্মসম্পাদন সূচক", "The indicator."),
        C("weight", "number", "সূচকের মান", "Marks of the item.", MARKS, True),
        C("annex", "integer", "সংযোজনী", "The annex (4-8) whose score gives the marks."),
        C("annex_document", "string", "সংযোজনীর দলিল", "nis, egov, grs, cc or rti."),
        C("annex_score", "number", "সংযোজনীর অর্জিত মান", "The annex's achieved marks.", MARKS, True),
        C("annex_max_score", "number", "সংযোজনীর মোট মান", "The annex's total marks.", MARKS, True),
        C("mark", "number", "প্রাপ্ত নম্বর", "annex_score / annex_max_score × weight.", MARKS, True),
        STATUS,
    ]),
    "charter_services": ("Every service of every citizen charter, as the charter prints it (empty where it does not).", [
        *CONTEXT,
        C("group", "string", "সেবার ধরন", "The table it is in: নাগরিক সেবা, প্রাতিষ্ঠানিক সেবা, অভ্যন্তরীণ সেবা, a branch's name, or সেবাসমূহ."),
        C("number", "integer", "ক্রম", "Its place in the charter, counted 1, 2, 3 … across its tables (the page anchor's number)."),
        C("printed_number", "string", "ছাপা ক্রম", "The number the charter prints, when it is not that count (০৫, ক.)."),
        C("service", "string", "সেবার নাম", "Name of the service."),
        C("recipient", "string", "সেবা গ্রহীতা", "Who may ask for it, when the charter prints a column for that."),
        C("method", "string", "সেবা প্রদান পদ্ধতি", "How it is given."),
        C("documents", "string", "প্রয়োজনীয় কাগজপত্র", "Papers needed, separated by ' | '."),
        C("documents_from", "string", "প্রাপ্তিস্থান", "Where the papers and forms are found."),
        C("place", "string", "সেবা প্রদানের স্থান", "Where the service is given, when the charter says."),
        C("fee", "string", "সেবার মূল্য", "The fee as printed (বিনামূল্যে when free)."),
        C("fee_taka", "number", "মূল্য (টাকা)", "The fee in taka when it is printed as one amount (২০/- টাকা); else empty."),
        C("free", "boolean", "বিনামূল্যে", "true when the charter prints the service as free; empty without a fee."),
        C("payment", "string", "পরিশোধ পদ্ধতি", "How to pay, when printed apart from the fee."),
        C("legal_basis", "string", "সংশ্লিষ্ট আইন ও বিধি", "The law or rule the service rests on, when the charter prints it."),
        C("time_limit", "string", "সময়সীমা", "Time limit as printed (working days, days, hours or text)."),
        C("time_limit_amount", "integer", "সময়সীমা (সংখ্যা)", "The limit's number when it is one number and a unit (৭ কার্যদিবস); else empty."),
        C("time_limit_unit", "string", "সময়সীমার একক", "working_days, days, hours or months, with time_limit_amount."),
        C("officer", "string", "দায়িত্বপ্রাপ্ত কর্মকর্তা", "Officer: name, designation, place, room; several "
          "officers of one service are separated by '; ', in the same order in officer_phone and officer_email."),
        C("officer_phone", "string", "ফোন", "Officer's phone numbers, as typed."),
        C("officer_email", "string", "ই-মেইল", "Officer's e-mail."),
        C("appellate_officer", "string", "ঊর্ধ্বতন/আপিল কর্মকর্তা", "Whom to turn to when the service is not given."),
        C("appellate_phone", "string", "ঊর্ধ্বতন কর্মকর্তার ফোন", "As typed."),
        C("appellate_email", "string", "ঊর্ধ্বতন কর্মকর্তার ই-মেইল", "E-mail."),
        C("remedy", "string", "প্রতিকার", "The remedy the charter names when the service fails."),
        C("remarks", "string", "মন্তব্য", "Remarks."),
        C("example", "boolean", "উদাহরণ", "true for a fictional example office's made-up charter."),
        C("page", "string", "পাতা", "The service's card on the site (relative URL with its anchor)."),
    ]),
}


def table_schema(columns: list[Column]) -> dict:
    return {"fields": [c.field() for c in columns], "missingValues": [""]}


def csv_resource(name: str, path: str, columns: list[Column] | str, description: str, size: int | None = None) -> dict:
    """A CSV resource; `columns` or the path of a schema file beside the package (shared by many CSVs)."""
    resource = {
        "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8-sig", "description": description, "licenses": [LICENCE],
        "schema": columns if isinstance(columns, str) else table_schema(columns),
    }
    if size is not None:
        resource["bytes"] = size
    return resource


def sebabox_version() -> str:
    try:
        return metadata.version("sebabox")
    except metadata.PackageNotFoundError:
        return "0"


def package(name: str, title: str, description: str, resources: list[dict], created: str | None) -> dict:
    """A Tabular Data Package; `created` is the build's reference date (YYYY-MM-DD), for an office's package
    the latest date its own documents give (none: left out)."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description + " " + ATTRIBUTION,
        "licenses": [LICENCE],
        **({"created": f"{created}T00:00:00Z"} if created else {}),
        "version": sebabox_version(),
        "keywords": ["Bangladesh", "APA", "annual performance agreement", "government", "performance", "বাংলাদেশ"],
        "resources": resources,
    }
