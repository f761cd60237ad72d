"""Synthetic plans for benchmarks and scale tests: N offices across the hierarchy.

Every office gets what a real one publishes in a year, filled from the national
templates it is given: an office file, an APA (section 3 plus the governance
block), the governance annexes its level has templates for, and four quarters
of progress for each of them, with the year's publication calendar. Not every
office is punctual (`punctuality`): one in ten sends its second-quarter reports
three weeks late and signs its APA after 25 June; one in ten has not sent its
third- and fourth-quarter reports; one in twenty-five never published its RTI
plan. Output is deterministic for a given N and seed, and passes `check`.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from sebabox import bengali
from sebabox.errors import Problems, SebaboxError
from sebabox.inputs.load import load_plans
from sebabox.model import PLAN_KINDS, Level, Template

AREA_NAMES = ["সেবা প্রদান ও সম্প্রসারণ", "সক্ষমতা বৃদ্ধি", "পরিবীক্ষণ ও মূল্যায়ন", "আর্থিক ব্যবস্থাপনা",
              "প্রশিক্ষণ ও উদ্বুদ্ধকরণ"]
ACTIVITIES = ["নিবন্ধন প্রদান", "পরিদর্শন সম্পন্ন", "প্রশিক্ষণ আয়োজন", "অডিট সম্পাদন", "সভা আয়োজন",
              "তথ্য হালনাগাদকরণ", "ঋণ বিতরণ", "ভাতা বিতরণ", "অভিযোগ নিষ্পত্তি", "উদ্বুদ্ধকরণ সভা"]
PLACES = ["সদর", "উত্তর", "দক্ষিণ", "পূর্ব", "পশ্চিম", "নদীতীর", "পাহাড়পুর", "চরাঞ্চল", "বন্দর", "মধ্যপাড়া"]
GOVERNANCE = [("nis", "শুদ্ধাচার কর্মপরিকল্পনা", 10), ("egov", "ই-গভর্ন্যান্স/ উদ্ভাবন কর্মপরিকল্পনা", 10),
              ("grs", "অভিযোগ প্রতিকার কর্মপরিকল্পনা", 4), ("cc", "সেবা প্রদান প্রতিশ্রুতি কর্মপরিকল্পনা", 3),
              ("rti", "তথ্য অধিকার কর্মপরিকল্পনা", 3)]


def _bn(value) -> str:
    return bengali.to_bengali_digits(str(value))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (the generated text has no quotes or backslashes)."""
    return f'"{text}"'


def _date(day: dt.date) -> str:
    return _bn(day.strftime("%d/%m/%Y"))


def hierarchy(n: int) -> list[tuple[str, Level, str | None]]:
    """(slug, level, parent) for N offices: one ministry, directorates, districts, upazilas."""
    if n < 4:
        raise SebaboxError("generate at least 4 offices (ministry, directorate, district, upazila)")
    n_dir = max(1, n // 250)
    n_dist = max(1, n // 9)
    offices: list[tuple[str, Level, str | None]] = [("ministry-0", Level.ministry, None)]
    offices += [(f"directorate-{i}", Level.directorate, "ministry-0") for i in range(n_dir)]
    offices += [(f"district-{i}", Level.district, f"directorate-{i % n_dir}") for i in range(n_dist)]
    rest = n - len(offices)
    offices += [(f"upazila-{i}", Level.upazila, f"district-{i % n_dist}") for i in range(rest)]
    return offices


class Generator:
    def __init__(self, templates: dict[str, Template], fiscal_year: str, seed: int):
        self.templates = templates
        self.fy = fiscal_year
        self.start = bengali.fiscal_year_start(fiscal_year)
        self.rng = random.Random(seed)

    # ------------------------------------------------------------------ values
    def _value(self, unit: str) -> str:
        if "তারিখ" in unit and "সংখ্যা" not in unit:
            day = dt.date(self.start, 8, 1) + dt.timedelta(days=self.rng.randrange(300))
            return _date(day)
        if "%" in unit:
            return _bn(self.rng.randrange(60, 101))
        return _bn(self.rng.randrange(1, 40))

    def _achieved(self, unit: str, target: str, quarter: int) -> str:
        if "তারিখ" in unit and "সংখ্যা" not in unit:
            return target if quarter == 4 else ""
        if "%" in unit:
            return _bn(self.rng.randrange(50, 101))
        whole = int(bengali.to_ascii_digits(target))
        return _bn(max(0, whole // 4 + self.rng.randrange(-1, 2)))

    # ------------------------------------------------------------------ files
    def office(self, slug: str, level: Level, parent: str | None, index: int) -> str:
        place = PLACES[index % len(PLACES)]
        name = {Level.ministry: "নমুনা মন্ত্রণালয়", Level.directorate: f"নমুনা অধিদপ্তর {_bn(index)}",
                Level.district: f"জেলা নমুনা কার্যালয়, {place} {_bn(index)}",
                Level.upazila: f"উপজেলা নমুনা কার্যালয়, {place} {_bn(index)}"}[level]
        lines = ["kind: office", f"slug: {slug}", f"name: {_q(name)}", f"level: {level.value}"]
        if parent:
            lines.append(f"parent: {parent}")
        if level in (Level.district, Level.upazila):
            lines.append(f"district: {place}")
        lines += [f"email: office{index}@example.gov.bd", "head:", "  name: নমুনা কর্মকর্তা",
                  "  designation: কার্যালয় প্রধান"]
        return "\n".join(lines) + "\n"

    def apa(self, slug: str, parent: str | None, late: bool = False) -> tuple[str, list[tuple[str, str, str]]]:
        """The APA text and its section-3 rows (id, unit, target) for progress."""
        rows: list[tuple[str, str, str]] = []
        out = [
            "kind: apa", f"office: {slug}", f"fiscal_year: {self.fy}",
            "first_party: {designation: কার্যালয় প্রধান, office: নমুনা কার্যালয়}",
            f"second_party: {{designation: ঊর্ধ্বতন কর্মকর্তা, office: {parent or 'মন্ত্রিপরিষদ বিভাগ'}}}",
            "overview:",
            "  achievements: গত তিন বছরে নির্ধারিত সেবাসমূহ সময়মতো প্রদান করা হয়েছে।",
            "  challenges: জনবলের স্বল্পতা ও যানবাহনের অভাব।",
            "  future_plan: সকল সেবা অনলাইনে প্রদান করা হবে।",
            "  expected_outcomes: [সেবার মান বৃদ্ধি, সেবা প্রদানের সময় হ্রাস]",
            f"signing_date: {_date(dt.date(self.start, 6, 30 if late else 20))}",
            "section1:",
            "  vision: সবার জন্য মানসম্মত সেবা",
            "  mission: দ্রুত, স্বচ্ছ ও জবাবদিহিমূলক সেবা প্রদান",
            f"  areas: [{', '.join(AREA_NAMES[:4])}]",
            "  governance_areas: [সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ]",
            "  functions: [সেবা প্রদান, পরিদর্শন, প্রশিক্ষণ]",
            "section2:",
            "  - outcome: সেবার পরিধি বৃদ্ধি",
            "    indicators:",
            "      - {name: সেবাপ্রাপ্ত নাগরিক, unit: সংখ্যা, actuals: [১০০, ১১০], target: ১২০,"
            " projections: [১৩০, ১৪০], source: দপ্তরের রেজিস্টার}",
            "areas:",
        ]
        weights = [25, 20, 15, 10]
        for a, area_weight in enumerate(weights, start=1):
            out += [f"  - id: {_bn(a)}", f"    name: {AREA_NAMES[a - 1]}", f"    weight: {_bn(area_weight)}",
                    "    indicators:"]
            parts = [area_weight - 5 * (area_weight // 5 - 1)] + [5] * (area_weight // 5 - 1)
            for i, w in enumerate(parts, start=1):
                iid = f"{a}.1.{i}"
                top = self.rng.randrange(40, 200)
                levels = [top, top * 9 // 10, top * 8 // 10, top * 7 // 10, top * 6 // 10]
                activity = ACTIVITIES[(a * 3 + i) % len(ACTIVITIES)]
                out.append(f"      - {{id: {_bn(iid)}, activity: {activity}, name: {activity} (সংখ্যা),"
                           f" method: সমষ্টি, unit: সংখ্যা, weight: {_bn(w)},"
                           f" actuals: [{_bn(top * 8 // 10)}, {_bn(top * 9 // 10)}],"
                           f" levels: [{', '.join(_bn(v) for v in levels)}],"
                           f" projections: [{_bn(top + 10)}, {_bn(top + 20)}]}}")
                rows.append((iid, "সংখ্যা", _bn(top)))
        out += ["governance:", "  id: ৫", "  name: সুশাসন ও সংস্কারমূলক কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
                "  weight: ৩০", "  items:"]
        for i, (kind, label, weight) in enumerate(GOVERNANCE, start=1):
            out.append(f"    - {{id: ৫.{_bn(i)}, activity: {label} বাস্তবায়ন, name: {label} বাস্তবায়িত,"
                       f" weight: {_bn(weight)}, document: {kind}}}")
        out += ["signatures:", "  - {name: নমুনা কর্মকর্তা, designation: কার্যালয় প্রধান}",
                "  - {name: ঊর্ধ্বতন কর্মকর্তা, designation: ঊর্ধ্বতন কর্মকর্তা}",
                "acronyms: [{short: এপিএ, full: বার্ষিক কর্মসম্পাদন চুক্তি}]"]
        return "\n".join(out) + "\n", rows

    def plan(self, slug: str, kind: str, name: str, template: Template) -> tuple[str, list[tuple[str, str, str]]]:
        rows: list[tuple[str, str, str]] = []
        out = [f"kind: {kind}", f"office: {slug}", f"fiscal_year: {self.fy}", f"template: {name}", "values:"]
        for area in template.areas:
            for ind in area.indicators:
                target = self._value(ind.unit)
                out += [f"  {_bn(ind.id)}:", "    responsible: ফোকাল পয়েন্ট কর্মকর্তা", f"    target: {_q(target)}"]
                rows.append((ind.id, ind.unit, target))
        return "\n".join(out) + "\n", rows

    def progress(self, slug: str, document: str, quarter: int, rows, late: bool = False) -> str:
        # five days after the quarter: within every deadline (the upazila's July window ends on the 6th)
        as_of = bengali.quarter_end(self.fy, quarter) + dt.timedelta(days=36 if late else 5)
        out = ["kind: progress", f"office: {slug}", f"fiscal_year: {self.fy}", f"document: {document}",
               f"quarter: {quarter}", f"as_of: {_date(as_of)}", "achievements:"]
        for iid, unit, target in rows:
            value = self._achieved(unit, target, quarter)
            if value:
                out.append(f"  {_bn(iid)}: {_q(value)}")
        if out[-1] == "achievements:":
            out[-1] = "achievements: {}"
        return "\n".join(out) + "\n"


def punctuality(index: int) -> str:
    """How an office reports: 'on_time', 'late' (Q2 three weeks late, APA signed 30 June),
    'missing' (no Q3 and Q4 reports) or 'no_rti' (no RTI plan nor its reports)."""
    if index % 10 == 7:
        return "late"
    if index % 10 == 3:
        return "missing"
    if index % 25 == 11:
        return "no_rti"
    return "on_time"


def _templates(source: Path, fiscal_year: str) -> dict[str, Template]:
    problems = Problems()
    catalog = load_plans(source, problems)
    if problems.errors:
        raise SebaboxError(f"the templates in {source} have errors; run check on them first")
    found = {name: loaded.model for (fy, name), loaded in catalog.templates.items() if fy == fiscal_year}
    if not found:
        raise SebaboxError(f"no national templates for {fiscal_year} in {source}")
    return found


def generate(n: int, out: Path, templates_dir: Path, fiscal_year: str = "2023-24", seed: int = 0,
             quarters: int = 4) -> int:
    """Write N offices into OUT (which must not exist or be empty). Returns the number of files."""
    if out.exists() and any(out.iterdir()):
        raise SebaboxError(f"{out} is not empty; generate into a new directory")
    templates = _templates(templates_dir, fiscal_year)
    gen = Generator(templates, fiscal_year, seed)
    shutil.copytree(templates_dir / "_templates" / fiscal_year, out / "_templates" / fiscal_year)
    calendar = templates_dir / "_calendar" / f"{fiscal_year}.yaml"
    if calendar.is_file():
        (out / "_calendar").mkdir()
        shutil.copyfile(calendar, out / "_calendar" / calendar.name)
    for index, (slug, level, parent) in enumerate(hierarchy(n)):
        folder = out / slug / fiscal_year
        folder.mkdir(parents=True)
        docs: dict[str, list] = {}
        habit = punctuality(index)
        (out / slug / "office.yaml").write_text(gen.office(slug, level, parent, index), encoding="utf-8")
        text, docs["apa"] = gen.apa(slug, parent, late=habit == "late")
        (folder / "apa.yaml").write_text(text, encoding="utf-8")
        for name, template in sorted(templates.items()):
            if habit == "no_rti" and template.document == "rti":
                continue
            if level in template.levels and template.document in PLAN_KINDS:
                text, docs[template.document] = gen.plan(slug, template.document, name, template)
                (folder / f"{template.document}.yaml").write_text(text, encoding="utf-8")
        for document, rows in docs.items():
            for quarter in range(1, quarters + 1):
                if habit == "missing" and quarter >= 3:
                    continue
                (folder / f"{document}-q{quarter}.yaml").write_text(
                    gen.progress(slug, document, quarter, rows, late=habit == "late" and quarter == 2), encoding="utf-8")
    return sum(1 for _ in out.rglob("*.yaml"))
