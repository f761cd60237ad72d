"""`new-office`: a new office folder with office.yaml and one plan per national template of its level.

Every target is left empty (null) for the office to fill in, so the new files pass `check` at once.
All files are written into a hidden temporary folder inside plans/ and renamed into place in one step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sebabox import bengali
from sebabox.errors import Problems, SebaboxError, printable, refusal
from sebabox.inputs.explain import hint
from sebabox.inputs.load import Catalog, load_file, load_plans
from sebabox.model import ANNEX_NUMBERS, KIND_TITLES, PLAN_KINDS, WINDOWS_RESERVED, Indicator, Level, Template

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVEL_ALIASES = {"division": "divisional"}


@dataclass
class Scaffold:
    office_dir: Path
    files: list[Path] = field(default_factory=list)
    fiscal_year: str | None = None
    notes: list[str] = field(default_factory=list)


DOCUMENT_CHOICES = ("charter", *PLAN_KINDS)


def new_office(plans_dir: Path, slug: str, name: str, level: str, parent: str | None = None,
               district: str | None = None, fiscal_year: str | None = None,
               today: dt.date | None = None, documents: str | None = None) -> Scaffold:
    """Create plans_dir/slug/; raise SebaboxError (one line) when it cannot be done cleanly. `documents`
    ("charter,nis") names the documents the office publishes; default: a plan per national template."""
    wanted = _documents(documents)
    _check_slug(slug)
    level_ = _level(level)
    name = " ".join(bengali.nfc(name or "").split())
    district = " ".join(bengali.nfc(district).split()) if district else None
    if not name:
        raise SebaboxError("--name খালি (empty); অফিসের নাম যেমন ছাপা হয় তেমন লিখুন, যেমন "
                           "--name \"উপজেলা সমবায় কার্যালয়, ইটনা\"")
    for text in (name, district or ""):
        bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cs")), None)
        if bad:
            raise refusal(f"'{printable(text)}'-এ একটি অদৃশ্য নিয়ন্ত্রণ অক্ষর আছে (control character U+{ord(bad):04X}); "
                          "অক্ষরটি মুছে আবার লিখুন")
    if not plans_dir.is_dir():
        raise refusal(f"plans ফোল্ডার {plans_dir} পাওয়া যায়নি (plans directory not found); --plans-এ ঠিক পথ দিন")
    target = plans_dir / slug
    catalog = load_plans(plans_dir, Problems())
    if target.exists() or slug in catalog.offices:
        where = catalog.offices[slug].path if slug in catalog.offices else target
        raise refusal(f"অফিস '{slug}' আগে থেকেই আছে (already exists: {where}); অন্য slug বেছে নিন")
    _check_parent(catalog, parent, level_)
    year, templates, notes = choose_fiscal_year(catalog, level_, fiscal_year, today or dt.date.today())

    if wanted is not None:
        missing = [k for k in wanted if k != "charter" and k not in {t.document for _, t in templates}]
        if missing:
            raise refusal(f"{bengali.bn_fiscal_year(year)} অর্থবছরে {level_.value} অফিসের জাতীয় টেমপ্লেট নেই (no national "
                          f"template): {', '.join(missing)} (plans/_templates/{year}/); --documents থেকে এটি বাদ দিন, বা "
                          "অন্য --fiscal-year দিন")
        templates = [(tname, t) for tname, t in templates if t.document in wanted]
        notes = notes if templates else []
    result = Scaffold(target, fiscal_year=year, notes=notes)
    texts = {Path("office.yaml"): office_yaml(slug, name, level_, parent, district)}
    if wanted is not None and "charter" in wanted:
        texts[Path("charter.yaml")] = charter_yaml(slug, name)
    for tname, template in templates:
        texts[Path(year) / f"{template.document}.yaml"] = plan_yaml(slug, name, year, tname, template)
    _write_atomically(plans_dir, target, texts)
    result.files = [target / rel for rel in texts]
    return result


# --------------------------------------------------------------------------- checks


def _documents(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    bad = [n for n in names if n not in DOCUMENT_CHOICES]
    if bad or not names:
        close = "".join(hint(n, DOCUMENT_CHOICES) for n in bad[:1])
        raise refusal(f"--documents-এ অজানা দলিল (unknown document) {', '.join(bad) or repr(text)}{close}; কমা দিয়ে "
                      f"আলাদা করে লিখুন: {', '.join(DOCUMENT_CHOICES)} (যেমন --documents charter,nis)")
    return list(dict.fromkeys(names))


def _check_slug(slug: str) -> None:
    if not SAFE_SLUG.match(slug or "") or len(slug) > 80:
        raise refusal(f"'{slug}' নিরাপদ slug নয় (not a safe slug): ছোট হাতের ইংরেজি অক্ষর ও অঙ্ক, মাঝে একটি করে '-' "
                      "দিয়ে লিখুন, সর্বোচ্চ ৮০ অক্ষর; যেমন itna-upazila-cooperative")
    if slug in WINDOWS_RESERVED:
        raise refusal(f"'{slug}' Windows-এ সংরক্ষিত ফাইলের নাম (a reserved file name on Windows); অন্য slug বেছে নিন")


def _level(level: str) -> Level:
    value = LEVEL_ALIASES.get(level, level)
    try:
        return Level(value)
    except ValueError:
        names = ", ".join(l.value for l in Level)
        raise refusal(f"অজানা স্তর (unknown level) '{level}'{hint(level, [l.value for l in Level])}; --level-এ লিখুন: "
                      f"{names}") from None


def _check_parent(catalog: Catalog, parent: str | None, level: Level) -> None:
    if parent is None:
        if level is not Level.ministry:
            raise SebaboxError(f"--parent দরকার (required unless --level is ministry): এই {level.value} অফিসের ঠিক "
                               "ওপরের অফিসের slug দিন, যেমন --parent kishoreganj-district-cooperative")
        return
    if parent not in catalog.offices:
        close = difflib.get_close_matches(parent, list(catalog.offices), n=1, cutoff=0.6)
        fix = f"; আপনি কি '{close[0]}' লিখতে চেয়েছিলেন? (did you mean '{close[0]}'?)" if close else ""
        raise refusal(f"অজানা ওপরের অফিস (unknown parent office) '{parent}'{fix}; --parent-এ এমন অফিসের slug দিন যার "
                      "plans/<slug>/office.yaml আছে")


def templates_for(catalog: Catalog, level: Level) -> dict[str, list[tuple[str, Template]]]:
    """National templates for `level`, by fiscal year: one per document kind (the first by file name)."""
    years: dict[str, dict[str, tuple[str, Template]]] = {}
    for (year, tname), loaded in sorted(catalog.templates.items()):
        template = loaded.model
        if level in template.levels:
            years.setdefault(year, {}).setdefault(template.document, (tname, template))
    order = {kind: i for i, kind in enumerate(PLAN_KINDS)}
    return {year: sorted(kinds.values(), key=lambda t: order[t[1].document]) for year, kinds in years.items()}


def choose_fiscal_year(catalog: Catalog, level: Level, wanted: str | None,
                       today: dt.date) -> tuple[str, list[tuple[str, Template]], list[str]]:
    """(fiscal year, its templates, notes saying which year was used and why)."""
    by_year = templates_for(catalog, level)
    what = f"{level.value} অফিসের জাতীয় টেমপ্লেট"
    only = "শুধু office.yaml লেখা হয়েছে (only office.yaml was written)"
    if wanted is not None:
        try:
            year = bengali.parse_fiscal_year(wanted)
        except ValueError as exc:
            raise refusal(f"--fiscal-year: {getattr(exc, 'bengali', None) or exc}") from None
        if year in by_year:
            return year, by_year[year], [f"অর্থবছর (fiscal year) {bengali.bn_fiscal_year(year)}"]
        return year, [], [f"{bengali.bn_fiscal_year(year)} অর্থবছরে {what} নেই (no national templates; "
                          f"plans/_templates/{year}/); {only}"]
    current = bengali.fiscal_year_of(today)
    if current in by_year:
        return current, by_year[current], [f"অর্থবছর (fiscal year) {bengali.bn_fiscal_year(current)}, চলতি অর্থবছর"]
    if not by_year:
        return current, [], [f"plans/_templates/-এ {what} নেই (no national templates); {only}"]
    newest = max(by_year)
    return newest, by_year[newest], [
        f"অর্থবছর (fiscal year) {bengali.bn_fiscal_year(newest)}: {what} আছে এমন সর্বশেষ বছর (চলতি "
        f"{bengali.bn_fiscal_year(current)}-এর এখনো নেই); অন্য বছর চাইলে --fiscal-year দিন"]


# --------------------------------------------------------------------------- text


def scalar(text: str) -> str:
    """A YAML scalar for `text`: plain when it reads back unchanged, else double-quoted."""
    text = " ".join(str(text).split())
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def office_yaml(slug: str, name: str, level: Level, parent: str | None, district: str | None) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/office.schema.json",
        "# `build_site.py new-office` লিখেছে (written by new-office). যা জানেন পূরণ করুন: কী-এর আগের '# ' মুছে",
        "# উদাহরণের মানটি বদলে দিন। অঙ্ক বাংলা বা ইংরেজি দুটোই চলে।",
        "kind: office",
        f"slug: {slug}",
        f"name: {scalar(name)}",
        f"level: {level.value}",
    ]
    if parent:
        lines.append(f"parent: {parent}")
    lines.append(f"district: {scalar(district)}" if district else "# district: কিশোরগঞ্জ")
    lines += [
        "# name_en: Upazila Cooperative Office, Itna, Kishoreganj",
        "# division: ঢাকা",
        "# upazila: ইটনা",
        "# address: উপজেলা পরিষদ ভবন, ইটনা",
        '# phone: "০২২৯৭৭৬৩৭১৭"',
        "# email: office@example.gov.bd",
        "# website: https://example.gov.bd",
        "# head:",
        "#   name: নাম",
        "#   designation: উপজেলা সমবায় অফিসার",
        "#   place: ইটনা, কিশোরগঞ্জ",
    ]
    return "\n".join(lines) + "\n"


def charter_yaml(slug: str, name: str) -> str:
    """An empty charter to type the office's published one into; it is published once it has a service."""
    return "\n".join([
        "# yaml-language-server: $schema=../../schemas/charter.schema.json",
        f"# সেবা প্রদান প্রতিশ্রুতি (সিটিজেন চার্টার): {' '.join(name.split())}",
        "# `build_site.py new-office` লিখেছে (written by new-office). অফিসের ছাপা চার্টারে যা আছে শুধু তা-ই লিখুন:",
        "# যে কলাম, তারিখ বা অর্থবছর চার্টারে ছাপা নেই তা বাদ থাকবে। কোথা থেকে নেওয়া তা `source:`-এ লিখুন।",
        "# অন্তত একটি সেবা লিখলে চার্টারটি প্রকাশিত হবে (ততক্ষণ check সতর্ক করবে)।",
        "kind: charter",
        f"office: {slug}",
        "# title: সিটিজেন চার্টার",
        "# fiscal_year: ২০২৫-২৬        # শুধু চার্টারে ছাপা থাকলে",
        "# date: ০১/০৭/২০২৫            # হালনাগাদের তারিখ, শুধু চার্টারে ছাপা থাকলে",
        "# source: https://example.gov.bd/site/page/citizen-charter",
        "citizen_services: []",
        "#  - name: সেবার নাম",
        "#    method: সেবা প্রদান পদ্ধতি",
        "#    documents: [আবেদনপত্র, জাতীয় পরিচয়পত্রের কপি]",
        "#    fee: বিনামূল্যে",
        "#    time_limit: ৭ কার্যদিবস",
        '#    officer: {designation: পদবি, phone: "০১৭১২-৩৪৫৬৭০", email: office@example.gov.bd}',
    ]) + "\n"


def _target_fields(document: str, ind: Indicator) -> tuple[list[str], list[str]]:
    """(keys the office fills in, keys the template already sets, shown commented out to override)."""
    if document == "nis":
        wanted = {"responsible": "", "target": "", "quarter_targets": " [null, null, null, null]"}
    else:
        wanted = {"levels": " [null, null, null, null, null]  # অসাধারণ, অতি উত্তম, উত্তম, চলতি মান, চলতি মানের নিম্নে"}
    empty, given = [], []
    for key, blank in wanted.items():
        value = getattr(ind, key)
        if key == "levels" and value is None and ind.target is not None:
            key, value = "target", ind.target
        if value is None:
            empty.append(f"{key}:{blank}")
        else:
            given.append(f"{key}: {_shown(value)}")
    return empty, given


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(v.display() if v is not None else "null" for v in value) + "]"
    return scalar(value.display() if hasattr(value, "display") else value)


def plan_yaml(slug: str, office_name: str, year: str, tname: str, template: Template) -> str:
    kind = template.document
    lines = [
        "# yaml-language-server: $schema=../../../schemas/plan.schema.json",
        f"# {KIND_TITLES[kind]} {bengali.bn_fiscal_year(year)}, {' '.join(office_name.split())}.",
        f"# `build_site.py new-office` লিখেছে, জাতীয় টেমপ্লেট plans/_templates/{year}/{tname}.yaml থেকে; টেমপ্লেটে",
        "# প্রতিটি সারি (কার্যক্রম, সূচক, একক, মান) আছে। নিচে এই অফিসের মান পূরণ করুন: প্রতিটি null বা খালি মান বদলে",
        "# দিন (বাংলা বা ইংরেজি অঙ্ক, শতাংশ ১০০%, তারিখ ২৬/০৭/২০২৩)। খালি মান চলে: ফাইলটি যেমন আছে তেমনই check পাস করে।",
        f"kind: {kind}",
        f"office: {slug}",
        f"fiscal_year: {bengali.bn_fiscal_year(year)}",
        f"annex: {ANNEX_NUMBERS[kind]}",
        f"template: {tname}",
    ]
    rows = []
    for area in template.areas:
        for ind in area.indicators:
            empty, given = _target_fields(kind, ind)
            key = bengali.to_bengali_digits(ind.id)
            about = " ".join(f"{ind.name} ({ind.unit}), মান {bengali.bn_number(ind.weight)}".split())
            if empty:
                rows.append(f"  {key}:  # {about}")
                rows += [f"    {f}" for f in empty]
                rows += [f"    # {f}  (টেমপ্লেটে যেমন আছে)" for f in given]
            else:
                rows.append(f"  # {key}:  # {about}; টেমপ্লেটেই এগুলো দেওয়া আছে; বদলাতে '# ' মুছুন")
                rows += [f"  #   {f}" for f in given]
    active = any(not row.lstrip().startswith("#") for row in rows)
    lines += ["values:" if active else "values: {}", *rows]
    lines += [
        "# signatory:",
        "#   name: নাম",
        "#   designation: পদবি",
        "#   place: উপজেলা, জেলা",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- writing


def _usual_permissions(staging: Path) -> None:
    """mkdtemp makes a private folder; give it the permissions any new folder gets (the umask's)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)


def _write_atomically(plans_dir: Path, target: Path, texts: dict[Path, str]) -> None:
    """Write into plans/.<slug>.*/ (hidden, so `check` skips it), verify, then rename into place."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=plans_dir))
    try:
        for rel, text in texts.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            problems = Problems()
            if load_file(path, problems) is None:  # pragma: no cover - the text above is always valid
                raise SebaboxError(f"ভেতরের ত্রুটি (internal error): নতুন {rel} পড়া যায় না: {problems[0].message}")
        _usual_permissions(staging)
        try:
            staging.rename(target)
        except OSError as exc:
            raise refusal(f"{target} তৈরি করা যায়নি (cannot create): {exc.strerror}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
