"""Domain rules over a loaded catalog -> located problems. Reads nothing, writes nothing.

Errors stop the build; warnings are printed and the build goes on, because real
documents are inconsistent and must still publish.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sebabox.scoring import score
from sebabox.bengali import bn_date, bn_fiscal_year, bn_number, bn_score, quarter_end
from sebabox.calendar import check_calendars
from sebabox.errors import Problems
from sebabox.inputs.annotations import covers
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
                             f"the issuing office {loaded.model.issuer_office!r} is not in the plans: the template is "
                             f"not published among its documents (add {loaded.model.issuer_office}/office.yaml, or "
                             "correct issuer_office)")
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
            problems.error(loaded.path, loaded.line("parent"), f"unknown parent office {office.parent!r}")
            continue
        if LEVEL_RANK[parent.model.level] >= LEVEL_RANK[office.level]:
            _warn(problems, loaded, ("parent",),
                             f"parent {office.parent!r} is a {LEVEL_BN[parent.model.level]}, "
                             f"not above this {LEVEL_BN[office.level]}")
        seen, current = {slug}, parent.model
        while current.parent and current.parent in offices:
            if current.parent in seen:
                problems.error(loaded.path, loaded.line("parent"), f"office hierarchy loops back to {slug!r}")
                break
            seen.add(current.parent)
            current = offices[current.parent].model


def _document_office(catalog: Catalog, loaded: Loaded, problems: Problems) -> None:
    if loaded.model.office not in catalog.offices:
        problems.error(loaded.path, loaded.line("office"), f"unknown office {loaded.model.office!r}; "
                       "add plans/<slug>/office.yaml or fix the slug")


def _signatory_place(catalog: Catalog, loaded: Loaded, loc: tuple, person, problems: Problems) -> None:
    """A signature block naming another district is usually an OCR or copy-paste slip."""
    office = catalog.offices.get(loaded.model.office)
    if person is None or not person.place or office is None or not office.model.district:
        return
    if office.model.district not in person.place:
        _warn(problems, loaded, (*loc, "place"),
                         f"signatory place {person.place!r} does not name the office's district {office.model.district}")


def _charter(loaded, problems: Problems) -> None:
    charter = loaded.model
    if not charter.services:
        problems.warning(loaded.path, loaded.line("citizen_services"),
                         "the charter has no service yet, so it is not published: add citizen_services "
                         "(নাগরিক সেবা), one item with a name each")
    if charter.officer and any(s.officer for s in charter.services):
        problems.warning(loaded.path, loaded.line("officer"),
                         "'officer' is given for all services and also for some services; the page shows both")


def _unique_documents(catalog: Catalog, problems: Problems) -> None:
    seen: dict[tuple, str] = {}
    for loaded in [*catalog.plans, *catalog.apas, *catalog.charters]:
        key = (loaded.model.office, loaded.model.fiscal_year, loaded.model.kind)
        if key in seen:
            year = f" {key[1]}" if key[1] else ""
            problems.error(loaded.path, loaded.line("kind"), f"{key[2]}{year} of {key[0]} is already given in {seen[key]}")
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
            problems.error(loaded.path, loaded.line("kind"), f"this document's files (pdf/{pdf}.pdf, its data) are "
                           f"also those of {seen[pdf]}: two documents would share them; change the office slug "
                           "or the template's file name")
        seen.setdefault(pdf, loaded.path)


# --------------------------------------------------------------------------- plan tables


def _areas(loaded: Loaded, areas: list[Area], loc: tuple, problems: Problems) -> None:
    counts = Counter(ind.id for area in areas for ind in area.indicators)
    for ai, area in enumerate(areas):
        here = loc + (ai,)
        total = sum((ind.weight for ind in area.indicators), Decimal(0))
        if area.indicators and total != area.weight:
            problems.error(loaded.path, loaded.line(*here, "weight"),
                           f"area {area.id} has weight {bn_number(area.weight)} but its indicators' weights add up to {bn_number(total)}")
        for ii, ind in enumerate(area.indicators):
            iloc = here + ("indicators", ii)
            if counts[ind.id] > 1:
                problems.error(loaded.path, loaded.line(*iloc, "id"), f"duplicate indicator id {ind.id}")
            _indicator(loaded, ind, iloc, problems)


def _indicator(loaded: Loaded, ind: Indicator, loc: tuple, problems: Problems) -> None:
    """Checks on one row's own values; `loc` is where the row (or its filled-in values) sits."""
    def line(field: str) -> int:
        return loaded.line(*loc, field)

    cells = [(("target",), ind.target), *((("levels", i), v) for i, v in enumerate(ind.levels or [])),
             *((("quarter_targets", i), v) for i, v in enumerate(ind.quarter_targets or []))]
    is_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
    for where, value in cells:
        field = where[0]
        if value is None:
            continue
        if is_date and not value.is_date:
            problems.error(loaded.path, line(field),
                           f"indicator {ind.id}: unit/method তারিখ needs a date such as ২৬/০৭/২০২৩, got {value.display()}")
        elif value.is_date and not is_date:
            problems.error(loaded.path, line(field),
                           f"indicator {ind.id}: a date {value.display()} for unit {ind.unit!r}; set unit: তারিখ")
        elif value.percent and value.number > 100:
            _warn(problems, loaded, (*loc, *where), f"indicator {ind.id}: percentage over 100 ({value.display()})")
        elif value.percent and "%" not in ind.unit and "শতাংশ" not in ind.unit:
            # often the level headers' ১০০% ৯০% … printed into the cells of a count row
            _warn(problems, loaded, (*loc, *where),
                             f"indicator {ind.id}: a percentage {value.display()} for unit {ind.unit!r}")
    if ind.levels is not None:
        if len(ind.levels) != 5:
            problems.error(loaded.path, line("levels"),
                           f"indicator {ind.id}: expected the five target levels (১০০% ৯০% ৮০% ৭০% ৬০%), got {len(ind.levels)}")
        elif not _monotonic(ind.levels):
            way = "lower" if score.lower_is_better(ind.levels) else "higher"
            _warn(problems, loaded, (*loc, "levels"),
                             f"indicator {ind.id}: target levels {' '.join(v.display() if v else '-' for v in ind.levels)} "
                             f"are not in order ({way} is better)")
    if ind.quarter_targets is not None and len(ind.quarter_targets) != 4:
        problems.error(loaded.path, line("quarter_targets"), f"indicator {ind.id}: expected four quarter targets")
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
            _warn(problems, loaded, (*loc, *where), f"indicator {ind.id}: percentage over 100 in {field} "
                             f"({value.display()}{'' if value.percent else '%'})")


def _quarter_targets_fit(loaded: Loaded, ind: Indicator, loc: tuple, problems: Problems) -> None:
    """For a summed indicator, the quarters' targets should not promise more than the year's."""
    target = ind.target
    if ind.effective_method is not Method.sum or target is None or target.number is None or target.percent:
        return
    numbers = [v.number for v in ind.quarter_targets or [] if v is not None and v.number is not None and not v.percent]
    if numbers and sum(numbers) > target.number:
        _warn(problems, loaded, (*loc, "quarter_targets"),
                         f"indicator {ind.id}: quarter targets add up to {bn_number(sum(numbers))}, "
                         f"more than the annual target {target.display()}")


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
                       f"signing date {bn_date(apa.signing_date)} is after the fiscal year {bn_fiscal_year(apa.fiscal_year)} "
                       f"the agreement is for ended ({bn_date(year_end)})")
    block = apa.governance
    items = sum((i.weight for i in block.items), Decimal(0))
    if items != block.weight:
        problems.error(loaded.path, loaded.line("governance", "weight"),
                       f"governance area has weight {bn_number(block.weight)} but its items add up to {bn_number(items)}")
    grand = sum((a.weight for a in apa.areas), Decimal(0)) + block.weight
    if grand != 100:
        problems.error(loaded.path, loaded.line("areas"),
                       f"section 3 weights ({bn_number(grand - block.weight)}) plus governance marks "
                       f"({bn_number(block.weight)}) total {bn_number(grand)}, not ১০০")
    for ai, area in enumerate(apa.areas):
        for ii, ind in enumerate(area.indicators):
            if ind.levels is None:
                _warn(problems, loaded, ("areas", ai, "indicators", ii, "levels"),
                                 f"indicator {ind.id}: no target levels; it cannot be scored")


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
                           f"quarter {report.quarter} of {report.document} {report.fiscal_year} is already reported in {seen[key]}")
        seen.setdefault(key, loaded.path)
        plan = plans.get(key[:3])
        if plan is None:
            problems.error(loaded.path, loaded.line("document"),
                           f"no {report.document} plan for {report.office} in {report.fiscal_year} to report progress on")
            continue
        if report.as_of < quarter_end(report.fiscal_year, report.quarter):
            _warn(problems, loaded, ("as_of",),
                             f"report dated {bn_date(report.as_of)}, before quarter {report.quarter} ended "
                             f"({bn_date(quarter_end(report.fiscal_year, report.quarter))})")
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
            problems.error(loaded.path, line, f"achievement for unknown indicator {key}")
            continue
        if value is None:
            continue
        is_date = ind.effective_method is Method.date or ind.unit == "তারিখ"
        if is_date != value.is_date:
            need = "a date" if is_date else "a number"
            problems.error(loaded.path, line, f"indicator {key} ({ind.unit}) needs {need}, got {value.display()}")
        elif value.percent and value.number > 100:
            _warn(problems, loaded, ("achievements", key), f"indicator {key}: percentage over 100 ({value.display()})")


def _printed(catalog: Catalog, loaded: Loaded, plan: Loaded, problems: Problems) -> None:
    """A score typed into the YAML is only compared with the computed one."""
    rows = {r.indicator.id: r for r in plan_rows(catalog, plan.model, loaded.model.quarter)}
    for key, printed in loaded.model.printed.items():
        row = rows.get(key)
        if row is None:
            problems.error(loaded.path, loaded.line("printed", key), f"printed score for unknown indicator {key}")
            continue
        computed = row.score.value if row.score else Decimal(0)
        if printed.score is not None and printed.score.quantize(Decimal("0.01")) != computed.quantize(Decimal("0.01")):
            _warn(problems, loaded, ("printed", key, "score"),
                             f"indicator {key}: printed score {bn_score(printed.score)} differs from the computed "
                             f"{bn_score(computed)} ({row.score.explanation if row.score else 'no achievement'})")
