"""Typed models of every file kind in plans/.

Text is NFC-normalised on the way in; numbers, percentages and dates are
`Value`s read from Bengali or ASCII digits. Unknown keys are errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema

from sebabox import bengali
from sebabox.errors import BadValue
from sebabox.values import Annotation, CellValue, Date, Number

SLUG_RE = r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
ID_RE = re.compile(r"^\d+(?:\.\d+)*$")


_NOT_TEXT = ("লেখা চাই (expected text), এখানে {}; কী-এর পরে একই লাইনে লেখাটি লিখুন (yes/no বা true/false "
             "লেখা হিসেবে রাখতে উদ্ধৃতিচিহ্নে লিখুন, যেমন \"yes\")")


def _text(raw: Any) -> str:
    if isinstance(raw, bool) or raw is None:
        raise BadValue("expected text", _NOT_TEXT.format("কিছু লেখা নেই" if raw is None else f"হ্যাঁ/না ({raw})"))
    if isinstance(raw, (int, float)):
        raw = str(raw)
    if not isinstance(raw, str):
        raise BadValue("expected text", _NOT_TEXT.format("তালিকা বা কী-মান লেখা আছে"))
    return bengali.nfc(raw).strip()


def _indicator_id(raw: Any) -> str:
    """'[১.১.১]', '১.১', 1.1 -> '1.1.1' / '1.1'; a part padded with 0 ('০১') is refused, not renumbered."""
    text = bengali.to_ascii_digits(_text(raw)).strip("[]() ").rstrip(".")
    if not ID_RE.match(text):
        raise BadValue(f"expected an id such as 1.1 or ১.২.১, got {raw!r}",
                       f"ক্রম (id) চাই যেমন ১.১ বা ১.২.১ (অঙ্ক, মাঝে বিন্দু), লেখা আছে '{raw}'")
    parts = text.split(".")
    if any(len(part) > 1 and part.startswith("0") or part == "0" for part in parts):
        fixed = ".".join(str(int(part)) for part in parts)
        raise BadValue(f"id {raw!r} has a part padded with 0; write {fixed}",
                       f"ক্রম (id) '{raw}'-এ শুরুতে শূন্য (0-padded) চলে না; লিখুন {bengali.to_bengali_digits(fixed)} "
                       "(অন্য ফাইলে এই ক্রম একইভাবে লিখুন)")
    return text


def _fiscal_year(raw: Any) -> str:
    return bengali.parse_fiscal_year(_text(raw))


EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
WEB_RE = r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'`]*)?"
# an id as _indicator_id reads it: brackets and a trailing dot around parts of digits, none padded with 0
ID_INPUT = r"[\[\]() ]*[1-9]\d*(?:\.[1-9]\d*)*\.*[\[\]() ]*"


def _email(raw: str) -> str:
    # a plain address only: nothing that a mailto: link reads as headers (?cc=, &body=) or markup
    if not re.fullmatch(EMAIL_RE, raw):
        raise BadValue(f"not an e-mail address: {raw!r}",
                       f"ই-মেইল (email) ঠিকানা নয়: '{raw}'; লিখুন যেমন office@example.gov.bd")
    return raw


def _web(raw: str) -> str:
    if not re.fullmatch(WEB_RE, raw):
        raise BadValue(f"a website must be an http:// or https:// address, got {raw!r}",
                       f"ওয়েবসাইট (website) http:// বা https:// দিয়ে শুরু হতে হবে, লেখা আছে '{raw}'; "
                       "লিখুন যেমন https://example.gov.bd")
    return raw


# A slug is a directory name in site/: refuse the device names Windows reserves (con, nul, com1, …).
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}


def _slug(raw: str) -> str:
    if raw in WINDOWS_RESERVED:
        raise BadValue(f"{raw!r} is a reserved file name on Windows; choose another slug",
                       f"'{raw}' উইন্ডোজে সংরক্ষিত ফাইলনাম (reserved name); অন্য একটি slug লিখুন, যেমন {raw}-office")
    return raw


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise BadValue(f"a weight cannot be negative, got {bengali.bn_exact(value)}: write the row's marks (মান), 0 or more",
                       f"মান (weight) ঋণাত্মক হতে পারে না, লেখা আছে {bengali.bn_exact(value)}; সারির নম্বর ০ বা তার বেশি লিখুন")
    return value


def _one_key_per_id(raw: Any) -> Any:
    """'1.1', '[১.১]' and ১.১ are one indicator: given twice in one mapping is an error, not 'the last wins'."""
    if isinstance(raw, dict):
        seen: dict[str, Any] = {}
        for key in raw:
            try:
                ident = _indicator_id(key)
            except ValueError:
                continue  # reported as a bad id by the key's own validation
            if ident in seen:
                raise BadValue(f"indicator {ident} is given twice, as {seen[ident]!r} and as {key!r}; keep one",
                               f"একই সূচক দুবার (given twice): '{seen[ident]}' ও '{key}' একই ক্রম "
                               f"{bengali.to_bengali_digits(ident)}; একটি রাখুন")
            seen[ident] = key
    return raw


def _quarter(raw: Any) -> int:
    return bengali.parse_whole_number(raw, 1, 4, "কোয়ার্টার (quarter)")


def _annex(raw: Any) -> int:
    return bengali.parse_whole_number(raw, 4, 8, "সংযোজনী (annex)")


def _whole_number_schema(low: int, high: int) -> WithJsonSchema:
    digits = "|".join(str(n) for n in range(low, high + 1))
    return WithJsonSchema({"anyOf": [{"type": "integer", "minimum": low, "maximum": high},
                                     {"type": "string", "pattern": bengali.whole(f"0*(?:{digits})")}]})


# Each type's JSON Schema is made from the expression its reader uses (bengali.py, the *_RE above).
TEXT_SCHEMA = {"type": ["string", "number", "boolean"]}  # a plain 0123 or yes stays the text typed
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema(TEXT_SCHEMA)]
Quarter = Annotated[int, BeforeValidator(_quarter), _whole_number_schema(1, 4)]
Annex = Annotated[int, BeforeValidator(_annex), _whole_number_schema(4, 8)]
Id = Annotated[str, BeforeValidator(_indicator_id), WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "number", "exclusiveMinimum": 1},
               {"type": "string", "pattern": bengali.whole(ID_INPUT)}]})]
FiscalYear = Annotated[str, BeforeValidator(_fiscal_year),
                       WithJsonSchema({"type": "string", "pattern": bengali.fiscal_year_pattern()})]
Email = Annotated[str, BeforeValidator(_text), AfterValidator(_email),
                  WithJsonSchema({"type": "string", "pattern": f"^\\s*{EMAIL_RE}\\s*$"})]
Url = Annotated[str, BeforeValidator(_text), AfterValidator(_web),
                WithJsonSchema({"type": "string", "pattern": f"^\\s*{WEB_RE}\\s*$"})]
Slug = Annotated[str, Field(pattern=SLUG_RE), AfterValidator(_slug), WithJsonSchema(
    {"type": "string", "pattern": SLUG_RE, "not": {"enum": sorted(WINDOWS_RESERVED)}})]
Weight = Annotated[Number, AfterValidator(_not_negative), WithJsonSchema(
    {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": bengali.whole(f"\\+?{bengali.UNSIGNED}")}],
     "description": "সারির নম্বর (মান), ০ বা তার বেশি, বাংলা বা ইংরেজি অঙ্কে"})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Document(Strict):
    """A whole file's model. `_notes` holds its annotated values (corrections, faults kept as printed)
    by their place in the model, e.g. ("areas", 0, "indicators", 1, "weight"); see inputs/annotations.py."""

    _notes: dict[tuple, Annotation] = PrivateAttr(default_factory=dict)


# --------------------------------------------------------------------------- office


class Level(str, Enum):
    ministry = "ministry"
    directorate = "directorate"
    divisional = "divisional"
    district = "district"
    upazila = "upazila"
    union = "union"


LEVEL_BN = {
    Level.ministry: "মন্ত্রণালয়/বিভাগ",
    Level.directorate: "অধিদপ্তর/দপ্তর",
    Level.divisional: "বিভাগীয় কার্যালয়",
    Level.district: "জেলা কার্যালয়",
    Level.upazila: "উপজেলা কার্যালয়",
    Level.union: "ইউনিয়ন পর্যায়ের কার্যালয়",
}


class Person(Strict):
    name: Text | None = None
    designation: Text
    place: Text | None = Field(None, description="office, branch or address as printed")
    room: Text | None = Field(None, description="room number (কক্ষ নং)")
    phone: Text | None = Field(None, description="phone numbers as printed; quote them or type them as text")
    email: Email | None = None


class Office(Document):
    kind: Literal["office"]
    slug: Slug
    name: Text
    name_en: Text | None = None
    level: Level
    parent: Slug | None = None
    division: Text | None = None
    district: Text | None = None
    upazila: Text | None = None
    address: Text | None = None
    phone: Text | None = Field(None, description="phone numbers as published, e.g. ০২৯৯৭৭৬৩৭১৭, ০১৭১২-৩৪৫৬৭০")
    fax: Text | None = None
    email: Email | None = None
    website: Url | None = None
    hours: Text | None = Field(None, description="office hours as published (অফিস সময়)")
    head: Person | None = None
    rti_officer: Person | None = Field(None, description="তথ্য অধিকার: দায়িত্বপ্রাপ্ত কর্মকর্তা (RTI designated officer)")
    rti_appeal_authority: Person | None = Field(None, description="তথ্য অধিকার: আপিল কর্তৃপক্ষ")
    grs_focal_point: Person | None = Field(None, description="অভিযোগ নিষ্পত্তি কর্মকর্তা (অনিক, GRS focal point)")
    grs_appellate_officer: Person | None = Field(None, description="অভিযোগ প্রতিকার: আপিল কর্মকর্তা")
    source: Url | None = Field(None, description="where the contact data is published")


# --------------------------------------------------------------------------- plan tables


class Method(str, Enum):
    """How quarterly achievements add up to the year (APA calculation method)."""

    sum = "সমষ্টি"
    average = "গড়"
    cumulative = "ক্রমপুঞ্জিভূত"
    date = "তারিখ"


def _method(raw: Any) -> Any:
    return bengali.nfc(raw).strip() if isinstance(raw, str) else raw


def _nfc_variants(word: str) -> str:
    """A pattern for a word typed with য় ড় ঢ় composed (U+09DF, U+09DC, U+09DD) or not, as `check` reads both."""
    composed = {"\u09af\u09bc": "\u09df", "\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd"}
    out = re.escape(word)
    for pair, single in composed.items():
        out = out.replace(pair, f"(?:{pair}|{single})")
    return out


MethodField = Annotated[Method, BeforeValidator(_method), WithJsonSchema(
    {"type": "string", "pattern": f"^\\s*(?:{'|'.join(_nfc_variants(m.value) for m in Method)})\\s*$"})]


class Indicator(Strict):
    """One row of a plan table (APA section 3 or a governance annex)."""

    id: Id
    activity: Text | None = None
    name: Text = Field(description="কর্মসম্পাদন সূচক")
    unit: Text
    weight: Weight
    method: MethodField | None = None
    responsible: Text | None = None
    target: CellValue = Field(None, description="annual target (NIS); defaults to the অসাধারণ level")
    levels: list[CellValue] | None = Field(
        None, description="the five target levels অসাধারণ ১০০% … চলতি মানের নিম্নে ৬০%"
    )
    actuals: list[CellValue] | None = Field(None, description="actuals of the two previous years")
    projections: list[CellValue] | None = None
    quarter_targets: list[CellValue] | None = None
    remarks: Text | None = None

    @property
    def effective_method(self) -> Method:
        if self.method:
            return self.method
        return Method.date if self.unit == "তারিখ" else Method.sum

    @property
    def annual_target(self):
        if self.target is not None:
            return self.target
        return next((v for v in self.levels or [] if v is not None), None)


class Area(Strict):
    id: Id
    name: Text
    weight: Weight
    indicators: list[Indicator]


class IndicatorValues(Strict):
    """What an office fills in for a template's indicator."""

    responsible: Text | None = None
    target: CellValue = None
    levels: list[CellValue] | None = None
    actuals: list[CellValue] | None = None
    quarter_targets: list[CellValue] | None = None
    remarks: Text | None = None


class Template(Document):
    """A national template: the same activities for every office of a level in a year."""

    kind: Literal["template"]
    document: Literal["nis", "egov", "grs", "cc", "rti"]
    fiscal_year: FiscalYear
    title: Text
    levels: list[Level] = Field(description="office levels the template is for")
    issuer: Text = "মন্ত্রিপরিষদ বিভাগ"  # as printed on the template
    issuer_office: Slug = Field("cabinet-division", description="the slug of the office that issues it: the "
                                "template is published among that office's documents (never matched by name)")
    areas: list[Area]
    notes: list[Text] = []


PLAN_KINDS = ("nis", "egov", "grs", "cc", "rti")


class Attachment(Strict):
    """A table printed after a plan (সংযুক্তি-০১): its title, column headers and rows of text."""

    title: Text
    columns: list[Text]
    rows: list[list[Text]]
    signed: bool = Field(False, description="the plan's signatory signs under this attachment too, as printed")


class GovernancePlan(Document):
    """Annexes 4-8: NIS, e-Gov & innovation, GRS, Citizen Charter, RTI action plans."""

    kind: Literal["nis", "egov", "grs", "cc", "rti"]
    office: Slug
    fiscal_year: FiscalYear
    title: Text | None = None
    annex: Annex | None = Field(None, description="annex number in the APA")
    template: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    values: Annotated[dict[Id, IndicatorValues], BeforeValidator(_one_key_per_id)] = {}
    areas: list[Area] = []
    signatory: Person | None = None
    signing_date: Date | None = Field(None, description="the date printed with the signature (স্বাক্ষরের তারিখ), "
                                      "only when printed; the plan's publication date")
    notes: list[Text] = Field([], description="notes printed under the table (*** কার্যক্রম … প্রযোজ্য হবে না)")
    attachments: list[Attachment] = Field([], description="tables printed after the plan (সংযুক্তি)")


# --------------------------------------------------------------------------- quarterly progress


class Letter(Strict):
    """The forwarding letter that sends a quarterly report upward."""

    memo: Text | None = None
    date: Date
    subject: Text | None = None
    body: Text | None = None
    recipients: list[Text]
    signatory: Person


class PrintedTotals(Strict):
    total: CellValue = None
    score: Number | None = None


class Progress(Document):
    kind: Literal["progress"]
    office: Slug
    fiscal_year: FiscalYear
    document: Literal["apa", "nis", "egov", "grs", "cc", "rti"]
    quarter: Quarter
    as_of: Date = Field(description="date of the report")
    achievements: Annotated[dict[Id, CellValue], BeforeValidator(_one_key_per_id)]
    printed: dict[Id, PrintedTotals] = Field(
        {}, description="totals and scores as printed on paper; compared with the computed ones"
    )
    letter: Letter | None = None


# --------------------------------------------------------------------------- APA


class Party(Strict):
    designation: Text
    office: Text


class Overview(Strict):
    achievements: Text
    challenges: Text
    future_plan: Text
    expected_outcomes: list[Text]


class Section1(Strict):
    vision: Text
    mission: Text
    areas: list[Text]
    governance_areas: list[Text]
    functions: list[Text]


class OutcomeIndicator(Strict):
    name: Text
    unit: Text
    actuals: list[CellValue]
    target: CellValue
    projections: list[CellValue]
    joint_offices: Text | None = None
    source: Text | None = None


class Outcome(Strict):
    outcome: Text
    indicators: list[OutcomeIndicator]


class GovernanceItem(Strict):
    """One mandatory governance indicator of section 3 (unit প্রাপ্ত নম্বর): its marks come from an annex."""

    id: Id
    activity: Text
    name: Text
    weight: Weight
    document: Literal["nis", "egov", "grs", "cc", "rti"]
    actuals: list[CellValue] | None = None
    projections: list[CellValue] | None = None


class GovernanceBlock(Strict):
    """আবশ্যিক কৌশলগত উদ্দেশ্য: সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ."""

    id: Id
    name: Text
    weight: Weight
    items: list[GovernanceItem]


class Acronym(Strict):
    short: Text
    full: Text


class Evidence(Strict):
    indicator: Id
    activity: Text | None = Field(None, description="কার্যক্রম, when annex 2 prints it otherwise than section 3")
    description: Text | None = None
    implementers: Text | None = None
    evidence: Text | None = None


class Dependency(Strict):
    activity: Text | None = None
    indicator: Text
    offices: Text
    relation: Text | None = None
    mechanism: Text | None = None


class Apa(Document):
    kind: Literal["apa"]
    office: Slug
    fiscal_year: FiscalYear
    first_party: Party
    second_party: Party
    overview: Overview
    signing_date: Date
    provisional: Text | None = Field(
        None, description="footnote of the last year's actuals, printed 'প্রকৃত অর্জন*': e.g. সাময়িক (provisional) তথ্য")
    section1: Section1
    section2: list[Outcome]
    areas: list[Area]
    governance: GovernanceBlock
    signatures: list[Person]
    acronyms: list[Acronym] = []
    evidence: list[Evidence] = []
    dependencies: list[Dependency] = []


# --------------------------------------------------------------------------- citizen charter


def _one_or_more(value: Any) -> Any:
    """One person (a mapping) or several (a list): always a list inside (anything else is checked as one person,
    so a designation typed on one line is told to be a mapping)."""
    return value if isinstance(value, list) or value is None else [value]


# a service's officer as printed: one person, or several when the charter lists more than one (১) …, ২) …)
People = Annotated[list[Person], BeforeValidator(_one_or_more, json_schema_input_type=Person | list[Person])]


class Service(Strict):
    """One row of a charter's service table; every column but the name is optional, as charters differ."""

    name: Text = Field(description="সেবার নাম")
    number: Text | None = Field(None, description="ক্রম as printed, only when the charter's numbering is not 1, 2, 3 … "
                                                  "(it skips a number, or letters its rows ক., খ.)")
    recipient: Text | None = Field(None, description="সেবা গ্রহীতা (who may ask for the service), as older charters "
                                                     "print it: নাগরিক, কর্মকর্তা / কর্মচারী, …")
    method: Text | None = Field(None, description="সেবা প্রদান পদ্ধতি")
    documents: list[Text] = Field([], description="প্রয়োজনীয় কাগজপত্র")
    documents_from: Text | None = Field(None, description="কাগজপত্র/আবেদন ফরম প্রাপ্তিস্থান")
    place: Text | None = Field(None, description="সেবা প্রদানের স্থান (where the service is given)")
    fee: Text | None = Field(None, description="সেবার মূল্য as printed: বিনামূল্যে, ২০/- টাকা, …")
    payment: Text | None = Field(None, description="পরিশোধ পদ্ধতি, when printed apart from the fee")
    legal_basis: Text | None = Field(None, description="সংশ্লিষ্ট আইন, বিধি বা নীতিমালা (the law or rule the service rests "
                                                         "on), as some charters print it in a column")
    time_limit: Text | None = Field(None, description="সেবা প্রদানের সময়সীমা as printed: ৭ কার্যদিবস, তাৎক্ষণিক, …")
    officer: People | None = Field(None, description="দায়িত্বপ্রাপ্ত কর্মকর্তা of this service: one person, or a list "
                                                     "when the charter prints several, each with its own phone")
    appellate_officer: Person | None = Field(None, description="ঊর্ধ্বতন কর্মকর্তা / আপিল কর্তৃপক্ষ of this service")
    remedy: Text | None = Field(None, description="সেবা প্রদানে ব্যর্থ হলে প্রতিকারের বিধান")
    remarks: Text | None = Field(None, description="মন্তব্য")


class ServiceSection(Strict):
    """A service table under its own heading, as older charters group services by branch (শাখা/বিভাগ)."""

    heading: Text
    services: list[Service]


class GrsTier(Strict):
    """One row of the charter's অভিযোগ প্রতিকার ব্যবস্থাপনা (GRS) table."""

    when: Text | None = Field(None, description="কখন যোগাযোগ করবেন")
    contact: Person = Field(description="কার সঙ্গে যোগাযোগ করবেন, with the address as printed")
    time_limit: Text | None = Field(None, description="নিষ্পত্তির সময়সীমা, e.g. ৩০ কার্যদিবস")


class Charter(Document):
    """সেবা প্রদান প্রতিশ্রুতি (citizen's charter) as the office prints it: only what the document has."""

    kind: Literal["charter"]
    office: Slug
    fiscal_year: FiscalYear | None = Field(None, description="only when the charter names one")
    date: Date | None = Field(None, description="the charter's own date (হালনাগাদের তারিখ), only when printed")
    title: Text | None = Field(None, description="the title as printed, e.g. সিটিজেন চার্টার")
    example: bool = Field(False, description="true for a made-up charter of a fictional office, shown as an example")
    source: Url | None = Field(None, description="the published charter this file was typed from")
    source_note: Text | None = Field(None, description="what of the source was typed, e.g. its first six services")
    vision: Text | None = None
    mission: Text | None = None
    citizen_services: list[Service] = Field([], description="নাগরিক সেবা (or the one table of an older charter)")
    institutional_services: list[Service] = Field([], description="প্রাতিষ্ঠানিক সেবা")
    internal_services: list[Service] = Field([], description="অভ্যন্তরীণ সেবা")
    sections: list[ServiceSection] = Field([], description="service tables under other headings (শাখা/বিভাগ)")
    officer: Person | None = Field(None, description="the officer printed once for all services")
    appellate_officer: Person | None = Field(None, description="the upper officer printed once for all services")
    expectations: list[Text] = Field([], description="আপনার কাছে আমাদের প্রত্যাশা")
    grs: list[GrsTier] = Field([], description="অভিযোগ প্রতিকার ব্যবস্থাপনা (GRS), tier by tier")
    notes: list[Text] = Field([], description="notes printed with the charter")
    columns: list[Literal["recipient", "method", "documents", "documents_from", "place", "fee", "payment", "legal_basis", "time_limit",
                          "officer",
                          "appellate_officer", "remedy", "remarks"]] | None = Field(
        None, description="the printed order of the columns after সেবার নাম, when it differs from the Cabinet "
                          "Division's (method, documents, documents_from, fee, payment, legal_basis, time_limit, officer, "
                          "appellate_officer, remedy, remarks); the PDF follows it")

    @property
    def groups(self) -> list[tuple[str, str, list[Service]]]:
        """(key, Bengali heading, services) of each service table the charter has."""
        named = [("citizen", "নাগরিক সেবা", self.citizen_services),
                 ("institutional", "প্রাতিষ্ঠানিক সেবা", self.institutional_services),
                 ("internal", "অভ্যন্তরীণ সেবা", self.internal_services)]
        named += [(f"section-{i}", section.heading, section.services) for i, section in enumerate(self.sections, 1)]
        groups = [g for g in named if g[2]]
        if len(groups) == 1 and groups[0][0] == "citizen" and not (self.vision or self.mission):
            return [("citizen", "সেবাসমূহ", groups[0][2])]  # an older charter: one table, not headed নাগরিক সেবা
        return groups

    @property
    def services(self) -> list[Service]:
        return [s for _, _, group in self.groups for s in group]


DOCUMENT_MODELS: dict[str, type[Strict]] = {
    "office": Office,
    "template": Template,
    "apa": Apa,
    "progress": Progress,
    "charter": Charter,
    **{kind: GovernancePlan for kind in PLAN_KINDS},
}

KIND_TITLES = {
    "apa": "বার্ষিক কর্মসম্পাদন চুক্তি",
    "nis": "জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা",
    "egov": "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা",
    "grs": "অভিযোগ প্রতিকার ব্যবস্থা সংক্রান্ত কর্মপরিকল্পনা",
    "cc": "সেবা প্রদান প্রতিশ্রুতি কর্মপরিকল্পনা",
    "rti": "তথ্য অধিকার বিষয়ে বার্ষিক কর্মপরিকল্পনা",
    "charter": "সেবা প্রদান প্রতিশ্রুতি (সিটিজেন চার্টার)",
}
CHARTER_GROUP_NAMES = {"citizen": "নাগরিক সেবা", "institutional": "প্রাতিষ্ঠানিক সেবা", "internal": "অভ্যন্তরীণ সেবা"}
ANNEX_NUMBERS = {"nis": 4, "egov": 5, "grs": 6, "cc": 7, "rti": 8}

