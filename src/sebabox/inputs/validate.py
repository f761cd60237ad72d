"""Domain rules over a loaded catalog -> located problems. Reads nothing, writes nothing.

Errors stop the build; warnings are printed and the build goes on, because real
documents are inconsistent and must still publish.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sebabox.scoring import score
from sebabox.bengali import bn_date, bn_fiscal_year, bn_number, bn_score, quarter_end, to_bengali_digits
from sebabox.calendar import check_calendars
from sebabox.errors import Problems
from sebabox.inputs.annotations import covers
from sebabox.inputs.charter_check import placeholder_cells
from sebabox.inputs.explain import hint
from sebabox.inputs.load import Catalog, Loaded
from sebabox.outputs.report import plan_rows  # the same functions the pages use
from sebabox.model import LEVEL_BN, Area, Indicator, Level, Method
from sebabox.values import Value

LEVEL_RANK = {Level.ministry: 0, Level.directorate: 1, Level.divisional: 2, Level.district: 3, Level.upazila: 4, Level.union: 5}


def validate(catalog: Catalog, problems: Problems) -> None:
    _offices(catalog, problems)
    for loaded in catalog.templates.values():
        _areas(loaded, loaded.model.areas, ("areas",), problems)
        if loaded.model.issuer_office not in catalog.offices:
            where = "issuer_office" if ("issuer_office",) in loaded.lines else "kind"
            problems.warning(loaded.path, loaded.line(where),
                             f"জারিকারী অফিস (issuer_office) '{loaded.model.issuer_office}' plans-এ নেই, তাই টেমপ্লেটটি "
                             f"কোনো অফিসের দলিলের সঙ্গে প্রকাশিত হবে না; {loaded.model.issuer_office}/office.yaml যোগ "
                             "করুন বা issuer_office ঠিক করুন")
    for loaded in catalog.plans:
        _document_office(catalog, loaded, problems)
        _signatory_place(catalog, loaded, ("signatory",), loaded.model.signatory, problems)
        _plan_values(loaded, problems)
        if loaded.model.template is None:
            _areas(loaded, loaded.model.areas, ("areas",), problems)
    for loaded in catalog.apas:
        _document_office(catalog, loaded, problems)
        _apa(loaded, problems)
    for loaded in catalog.charters:
        _document_office(catalog, loaded, problems)
        _charter(loaded, problems)
    _unique_documents(catalog, problems)
    _unique_pdf_names(catalog, problems)
    _progress(catalog, problems)
    check_calendars(catalog.calendars, problems)


def _warn(problems: Problems, loaded: Loaded, loc: tuple, message: str) -> None:
    """A warning about the value at `loc`, unless the file marks that fault as kept on purpose (`accepted:`)."""
    if any(note.accepted and covers(where, loc) for where, note in _accepted(loaded)):
        return
    problems.warning(loaded.path, loaded.line(*loc), message)


def _accepted(loaded: Loaded):
    from sebabox.inputs.load import _normal_loc

    return [(_normal_loc(where), note) for where, note in loaded.notes.items() if note.accepted]


# --------------------------------------------------------------------------- offices


def _offices(catalog: Catalog, problems: Problems) -> None:
    offices = catalog.offices
    for slug, loaded in offices.items():
        office = loaded.model
        if office.parent is None:
            continue
        parent = offices.get(office.parent)
        if parent is None:
            problems.error(loaded.path, loaded.line("parent"), f"ঊর্ধ্বতন অফিস (parent) '{office.parent}' পাওয়া যায়নি; "
                           f"plans/{office.parent}/office.yaml যোগ করুন বা ঊর্ধ্বতন অফিসের slug ঠিক করুন")
            continue
        if LEVEL_RANK[parent.model.level] >= LEVEL_RANK[office.level]:
            _warn(problems, loaded, ("parent",),
                  f"ঊর্ধ্বতন অফিস (parent) '{office.parent}' একটি {LEVEL_BN[parent.model.level]}, "
                  f"এই {LEVEL_BN[office.level]}-এর ওপরের স্তরের নয়; parent ঠিক আছে কি না দেখুন")
        seen, current = {slug}, parent.model
        while current.parent and current.parent in offices:
            if current.parent in seen:
                problems.error(loaded.path, loaded.line("parent"), f"অফিসের ঊর্ধ্বতন-ক্রম (parent) ঘুরে আবার '{slug}'-এ ফিরেছে (loop); parent ঠিক করুন")
                break
            seen.add(current.parent)
            current = offices[current.parent].model


def _document_office(catalog: Catalog, loaded: Loaded, problems: Problems) -> None:
    if loaded.model.office not in catalog.offices:
        problems.error(loaded.path, loaded.line("office"), f"অজানা অফিস (unknown office) '{loaded.model.office}'; "
                       "plans/<slug>/office.yaml যোগ করুন বা office-এর slug ঠিক করুন")


def _signatory_place(catalog: Catalog, loaded: Loaded, loc: tuple, person, problems: Problems) -> None:
    """A signature block naming another district is usually an OCR or copy-paste slip."""
    office = catalog.offices.get(loaded.model.office)
    if person is None or not person.place or office is None or not office.model.district:
        return
    if office.model.district not in person.place:
        _warn(problems, loaded, (*loc, "place"),
              f"স্বাক্ষরের স্থান (place) '{person.place}'-এ অফিসের জেলা {office.model.district} নেই; "
              "কপি করা বা ভুল পড়া কি না দেখুন")


def _charter(loaded, problems: Problems) -> None:
    charter = loaded.model
    if not charter.services:
        problems.warning(loaded.path, loaded.line("citizen_services"),
                         "চার্টারে এখনো কোনো সেবা নেই, তাই প্রকাশ করা হবে না (not published): citizen_services (নাগরিক সেবা) যোগ করুন, "
                         "প্রতিটিতে name: …")
    for loc, message in placeholder_cells(charter):
        _warn(problems, loaded, loc, message)
    if charter.officer and any(s.officer for s in charter.services):
        problems.warning(loaded.path, loaded.line("officer"),
                         "officer (দায়িত্বপ্রাপ্ত কর্মকর্তা) সব সেবার জন্য দেওয়া আছে, আবার কিছু সেবাতেও; পাতায় দুটোই দেখাবে")


def _unique_documents(catalog: Catalog, problems: Problems) -> None:
    seen: dict[tuple, str] = {}
    for loaded in [*catalog.plans, *catalog.apas, *catalog.charters]:
        key = (loaded.model.office, loaded.model.fiscal_year, loaded.model.kind)
        if key in seen:
            year = f"{bn_fiscal_year(key[1])} অর্থবছরের " if key[1] else ""
            problems.error(loaded.path, loaded.line("kind"), f"{key[0]}-এর {year}{key[2]} আগেই আছে {seen[key]}-এ; "
                           "একটি ফাইল মুছুন বা অর্থবছর ঠিক করুন")
        seen.setdefault(key, loaded.path)


def _unique_pdf_names(catalog: Catalog, problems: Problems) -> None:
    """Two documents must not share one published file: 'office-2023-24-nis' is made of the office slug, the
    fiscal year and the kind (outputs.report.doc_slug), so a crafted slug such as itna-2023-24 could collide."""
    def name(office: str, fiscal_year: str | None, kind: str) -> str:
        return f"{office}-{fiscal_year}-{kind}" if fiscal_year else f"{office}-{kind}"

    owners: list[tuple[str, Loaded]] = []
    for loaded in [*catalog.plans, *catalog.apas, *catalog.charters]:
        owners.append((name(loaded.model.office, loaded.model.fiscal_year, loaded.model.kind), loaded))
    for loaded in catalog.progress:
        m = loaded.model
        owners.append((name(m.office, m.fiscal_year, f"{m.document}-q{m.quarter}"), loaded))
    for (fiscal_year, template), loaded in catalog.templates.items():
        if loaded.model.issuer_office in catalog.offices:
            owners.append((name(loaded.model.issuer_office, fiscal_year, f"template-{template}"), loaded))
    seen: dict[str, str] = {}
    for pdf, loaded in owners:
        if pdf in seen and seen[pdf] != loaded.path:
            problems.error(loaded.path, loaded.line("kind"), f"এই দলিলের ফাইল (pdf/{pdf}.pdf, ডেটা) {seen[pdf]}-এরও "
                           "একই নামে হবে (two documents would share them); অফিসের slug বা টেমপ্লেটের ফাইলনাম বদলান")
        seen.setdefault(pdf, loaded.path)


# --------------------------------------------------------------------------- plan tables


def _areas(loaded: Loaded, areas: list[Area], loc: tuple, problems: Problems) -> None:
    counts = Counter(ind.id for area in areas for ind in area.indicators)
    for ai, area in enumerate(areas):
        here = loc + (ai,)
        total = sum((ind.weight for ind in area.indicators), Decimal(0))
        if area.indicators and total != area.weight:
            problems.error(loaded.path, loaded.line(*here, "weight"),
                           f"ক্ষেত্র (area) ক্রম {to_bengali_digits(area.id)}-এর মান (weight) {bn_number(area.weight)}, "
                           f"কিন্তু এর সূচকগুলোর মান যোগ করলে {bn_number(total)}; দুটি মিলিয়ে নিন")
        for ii, ind in enumerate(area.indicators):
            iloc = here + ("indicators", ii)
            if counts[ind.id] > 1:
                problems.error(loaded.path, loaded.line(*iloc, "id"), f"একই ক্রম দুবার (duplicate indicator id) "
                               f"{to_bengali_digits(ind.id)}; প্রতিটি সূচকের ক্রম আলাদা লিখুন")
            _indicator(loaded, ind, iloc, problems)


def _indicator(loaded: Loaded, ind: Indicator, loc: tuple, problems: Problems) -> None:
    """Checks on one row's own values; `loc` is where the row (or its filled-in values) sits."""
    def line(field: str) -> int:
        return loaded.line(*loc, field)

    bid = to_bengali_digits(ind.id)
    cells = [(("target",), ind.target), *((("levels", i), v) for i, v in enumerate(ind.levels or [])),
             *((("quarter_targets", i), v) for i, v in enumerate(ind.quarter_targets or []))]
    is_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
    for where, value in cells:
        field = where[0]
        if value is None:
            continue
        if is_date and not value.is_date:
            problems.error(loaded.path, line(field),
                           f"সূচক {bid}: একক/পদ্ধতি তারিখ, তাই {field} তারিখ হতে হবে (expected a date), লেখা আছে "
                           f"{value.display()}; লিখুন যেমন ২৬/০৭/২০২৩")
        elif value.is_date and not is_date:
            problems.error(loaded.path, line(field),
                           f"সূচক {bid}: একক (unit) '{ind.unit}', কিন্তু {field}-এ তারিখ {value.display()}; "
                           "তারিখ হলে unit: তারিখ লিখুন, নইলে সংখ্যা লিখুন")
        elif value.percent and value.number > 100:
            _warn(problems, loaded, (*loc, *where), f"সূচক {bid}: ১০০-এর বেশি শতাংশ (percentage over 100) {value.display()}; "
                  "ছাপায় ভুল কি না দেখুন")
        elif value.percent and "%" not in ind.unit and "শতাংশ" not in ind.unit:
            # often the level headers' ১০০% ৯০% … printed into the cells of a count row
            _warn(problems, loaded, (*loc, *where),
                  f"সূচক {bid}: একক (unit) '{ind.unit}', কিন্তু {field}-এ শতাংশ {value.display()}; "
                  "শিরোনামের ১০০% ৯০% … ঘরে চলে এসেছে কি না দেখুন")
    if ind.levels is not None:
        if len(ind.levels) != 5:
            problems.error(loaded.path, line("levels"),
                           f"সূচক {bid}: লক্ষ্যমাত্রার পাঁচটি স্তর (levels) চাই (অসাধারণ, অতি উত্তম, উত্তম, চলতি মান, "
                           f"চলতি মানের নিম্নে), আছে {bn_number(len(ind.levels))}টি; না থাকা স্তরে - লিখুন")
        elif not _monotonic(ind.levels):
            way = "কম হলে ভালো" if score.lower_is_better(ind.levels) else "বেশি হলে ভালো"
            _warn(problems, loaded, (*loc, "levels"),
                  f"সূচক {bid}: লক্ষ্যমাত্রার স্তর (levels) {' '.join(v.display() if v else '-' for v in ind.levels)} "
                  f"ক্রমানুসারে নেই (not in order); এই সূচকে {way}, তাই অসাধারণ থেকে চলতি মানের নিম্নে ক্রমে লিখুন")
    if ind.quarter_targets is not None and len(ind.quarter_targets) != 4:
        problems.error(loaded.path, line("quarter_targets"), f"সূচক {bid}: চারটি কোয়ার্টারের লক্ষ্যমাত্রা (quarter_targets) চাই, "
                       f"আছে {bn_number(len(ind.quarter_targets))}টি; না থাকলে - লিখুন")
    _quarter_targets_fit(loaded, ind, loc, problems)
    _percentages_over_100(loaded, ind, loc, problems)


def _percentages_over_100(loaded: Loaded, ind: Indicator, loc: tuple, problems: Problems) -> None:
    """A row in unit % printed without the sign (১০০, not ১০০%), and the actuals and projections of any row:
    over ১০০ is a slip. Targets written with the sign are warned of above."""
    in_percent = ind.unit.strip() == "%"
    cells = [*((("actuals", i), v, True) for i, v in enumerate(ind.actuals or [])),
             *((("projections", i), v, True) for i, v in enumerate(ind.projections or [])),
             (("target",), ind.target, False), *((("levels", i), v, False) for i, v in enumerate(ind.levels or [])),
             *((("quarter_targets", i), v, False) for i, v in enumerate(ind.quarter_targets or []))]
    for where, value, any_sign in cells:
        if value is None or value.number is None or value.number <= 100:
            continue
        field = where[0]
        if (value.percent and any_sign) or (in_percent and not value.percent):
            _warn(problems, loaded, (*loc, *where), f"সূচক {to_bengali_digits(ind.id)}: {field}-এ ১০০-এর বেশি শতাংশ "
                  f"(percentage over 100) {value.display()}{'' if value.percent else '%'}; ছাপায় ভুল কি না দেখুন")


def _quarter_targets_fit(loaded: Loaded, ind: Indicator, loc: tuple, problems: Problems) -> None:
    """For a summed indicator, the quarters' targets should not promise more than the year's."""
    target = ind.target
    if ind.effective_method is not Method.sum or target is None or target.number is None or target.percent:
        return
    numbers = [v.number for v in ind.quarter_targets or [] if v is not None and v.number is not None and not v.percent]
    if numbers and sum(numbers) > target.number:
        _warn(problems, loaded, (*loc, "quarter_targets"),
              f"সূচক {to_bengali_digits(ind.id)}: কোয়ার্টারের লক্ষ্যমাত্রা (quarter_targets) যোগ করলে "
              f"{bn_number(sum(numbers))}, বার্ষিক লক্ষ্যমাত্রা {target.display()}-এর বেশি; মিলিয়ে নিন")


def _monotonic(levels: list[Value | None]) -> bool:
    present = [score._scalar(v) for v in levels if v is not None and (v.is_date or v.number is not None)]
    if score.lower_is_better(levels):
        present = [-v for v in present]
    return all(a >= b for a, b in zip(present, present[1:]))


def _plan_values(loaded: Loaded, problems: Problems) -> None:
    """Values an office filled into a template are checked at their own lines."""
    plan = loaded.model
    if plan.template is None:
        return
    by_id = {ind.id: ind for area in plan.areas for ind in area.indicators}
    for key in plan.values:
        if key in by_id:
            _indicator(loaded, by_id[key], ("values", key), problems)


# --------------------------------------------------------------------------- APA


def _apa(loaded: Loaded, problems: Problems) -> None:
    apa = loaded.model
    _areas(loaded, apa.areas, ("areas",), problems)
    year_end = quarter_end(apa.fiscal_year, 4)
    if apa.signing_date > year_end:
        problems.error(loaded.path, loaded.line("signing_date"),
                       f"স্বাক্ষরের তারিখ (signing_date) {bn_date(apa.signing_date)}, চুক্তির অর্থবছর "
                       f"{bn_fiscal_year(apa.fiscal_year)} শেষ হওয়ার ({bn_date(year_end)}) পরে; তারিখ বা অর্থবছর ঠিক করুন")
    block = apa.governance
    items = sum((i.weight for i in block.items), Decimal(0))
    if items != block.weight:
        problems.error(loaded.path, loaded.line("governance", "weight"),
                       f"সুশাসন ক্ষেত্রের (governance) মান {bn_number(block.weight)}, কিন্তু এর সূচকগুলোর মান যোগ করলে "
                       f"{bn_number(items)}; দুটি মিলিয়ে নিন")
    grand = sum((a.weight for a in apa.areas), Decimal(0)) + block.weight
    if grand != 100:
        problems.error(loaded.path, loaded.line("areas"),
                       f"সেকশন ৩-এর ক্ষেত্রগুলোর মান ({bn_number(grand - block.weight)}) আর সুশাসনের মান "
                       f"({bn_number(block.weight)}) মিলে {bn_number(grand)}, ১০০ নয় (total); মানগুলো মিলিয়ে নিন")
    for ai, area in enumerate(apa.areas):
        for ii, ind in enumerate(area.indicators):
            if ind.levels is None:
                _warn(problems, loaded, ("areas", ai, "indicators", ii, "levels"),
                      f"সূচক {to_bengali_digits(ind.id)}: লক্ষ্যমাত্রার স্তর (levels) নেই, তাই নম্বর হিসাব করা যাবে না; "
                      "levels: [অসাধারণ, অতি উত্তম, উত্তম, চলতি মান, চলতি মানের নিম্নে] লিখুন")


# --------------------------------------------------------------------------- quarterly progress


def _progress(catalog: Catalog, problems: Problems) -> None:
    plans = {(p.model.office, p.model.fiscal_year, p.model.kind): p for p in [*catalog.plans, *catalog.apas]}
    seen: dict[tuple, str] = {}
    for loaded in catalog.progress:
        report = loaded.model
        _document_office(catalog, loaded, problems)
        key = (report.office, report.fiscal_year, report.document, report.quarter)
        if key in seen:
            problems.error(loaded.path, loaded.line("quarter"),
                           f"{bn_fiscal_year(report.fiscal_year)}-এর {report.document} কোয়ার্টার "
                           f"{bn_number(report.quarter)}-এর প্রতিবেদন আগেই আছে {seen[key]}-এ; quarter ঠিক করুন")
        seen.setdefault(key, loaded.path)
        plan = plans.get(key[:3])
        if plan is None:
            problems.error(loaded.path, loaded.line("document"),
                           f"{report.office}-এর {bn_fiscal_year(report.fiscal_year)} অর্থবছরের {report.document} "
                           "কর্মপরিকল্পনা নেই, তাই অগ্রগতি মেলানো যাচ্ছে না; কর্মপরিকল্পনাটি যোগ করুন বা "
                           "document/fiscal_year ঠিক করুন")
            continue
        if report.as_of < quarter_end(report.fiscal_year, report.quarter):
            _warn(problems, loaded, ("as_of",),
                  f"প্রতিবেদনের তারিখ (as_of) {bn_date(report.as_of)}, কোয়ার্টার {bn_number(report.quarter)} "
                  f"শেষ হওয়ার ({bn_date(quarter_end(report.fiscal_year, report.quarter))}) আগে; তারিখ ঠিক কি না দেখুন")
        _achievements(loaded, plan.model.areas, problems)
        if report.letter:
            _signatory_place(catalog, loaded, ("letter", "signatory"), report.letter.signatory, problems)
        _printed(catalog, loaded, plan, problems)


def _achievements(loaded: Loaded, areas: list[Area], problems: Problems) -> None:
    by_id = {ind.id: ind for area in areas for ind in area.indicators}
    for key, value in loaded.model.achievements.items():
        ind = by_id.get(key)
        line = loaded.line("achievements", key)
        if ind is None:
            problems.error(loaded.path, line, f"অর্জন (achievement) এমন সূচকের, যা কর্মপরিকল্পনায় নেই: ক্রম "
                           f"{to_bengali_digits(key)}{hint(key, by_id)}; কর্মপরিকল্পনার সূচকের ক্রম লিখুন")
            continue
        if value is None:
            continue
        is_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
        if is_date != value.is_date:
            need = "তারিখ চাই (expected a date), লিখুন যেমন ২৬/০৭/২০২৩" if is_date else "সংখ্যা চাই (expected a number)"
            problems.error(loaded.path, line,
                           f"সূচক {to_bengali_digits(key)} (একক {ind.unit}): {need}; লেখা আছে {value.display()}")
        elif value.percent and value.number > 100:
            _warn(problems, loaded, ("achievements", key), f"সূচক {to_bengali_digits(key)}: ১০০-এর বেশি শতাংশ "
                  f"(percentage over 100) {value.display()}; ছাপায় ভুল কি না দেখুন")


def _printed(catalog: Catalog, loaded: Loaded, plan: Loaded, problems: Problems) -> None:
    """A score typed into the YAML is only compared with the computed one."""
    rows = {r.indicator.id: r for r in plan_rows(catalog, plan.model, loaded.model.quarter)}
    for key, printed in loaded.model.printed.items():
        row = rows.get(key)
        if row is None:
            problems.error(loaded.path, loaded.line("printed", key), f"মুদ্রিত নম্বর (printed) এমন সূচকের, যা কর্মপরিকল্পনায় নেই: "
                           f"ক্রম {to_bengali_digits(key)}{hint(key, rows)}")
            continue
        computed = row.score.value if row.score else Decimal(0)
        if printed.score is not None and printed.score.quantize(Decimal("0.01")) != computed.quantize(Decimal("0.01")):
            _warn(problems, loaded, ("printed", key, "score"),
                  f"সূচক {to_bengali_digits(key)}: কাগজে ছাপা নম্বর {bn_score(printed.score)}, হিসাবে হয় "
                  f"{bn_score(computed)} ({row.score.explanation if row.score else 'অর্জন নেই'}); "
                  "ছাপায় ভুল হলে accepted দিয়ে কারণ লিখুন, নইলে অর্জন ঠিক করুন")
