"""plans/ -> typed models. Every problem carries the file and line it is about.

Gather first, then judge: every file is read, every error collected, and the
caller decides whether to stop. Templates are resolved here, so later stages
see each governance plan with its full table.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from sebabox.bengali import bn_fiscal_year, to_ascii_digits, to_bengali_digits
from sebabox.calendar import Calendar
from sebabox.errors import Problems
from sebabox.inputs.explain import describe, hint, line_for
from sebabox.values import Annotation
from sebabox.model import (
    DOCUMENT_MODELS,
    Apa,
    Area,
    Charter,
    GovernancePlan,
    Indicator,
    Office,
    Progress,
    Template,
)
from sebabox.inputs.annotations import extract as extract_annotations
from sebabox.inputs.parsecache import ParseCache
from sebabox.inputs.planfiles import plan_files
from sebabox.inputs.yamlsafe import Loc, YamlError, read_plan_bytes, read_yaml

M = TypeVar("M", bound=BaseModel)
MODELS: dict[str, type[BaseModel]] = {**DOCUMENT_MODELS, "calendar": Calendar}


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A model with where it came from: `line(loc)` finds the line of any value in it."""

    model: M
    path: str
    lines: dict[Loc, int]
    notes: dict[Loc, Annotation] = field(default_factory=dict)  # annotated values, by where they are in the file

    def line(self, *loc: Any) -> int:
        return line_for(self.lines, loc)


@dataclass
class Catalog:
    offices: dict[str, Loaded[Office]] = field(default_factory=dict)
    templates: dict[tuple[str, str], Loaded[Template]] = field(default_factory=dict)
    plans: list[Loaded[GovernancePlan]] = field(default_factory=list)
    apas: list[Loaded[Apa]] = field(default_factory=list)
    charters: list[Loaded[Charter]] = field(default_factory=list)
    progress: list[Loaded[Progress]] = field(default_factory=list)
    calendars: dict[str, Loaded[Calendar]] = field(default_factory=dict)  # by fiscal year
    files: list[str] = field(default_factory=list)
    _progress_index: dict[tuple, list] | None = field(default=None, repr=False)
    _plan_index: dict[tuple, GovernancePlan] | None = field(default=None, repr=False)
    _children_index: dict[str, list[Office]] | None = field(default=None, repr=False)

    def plan_for(self, office: str, fiscal_year: str, kind: str) -> GovernancePlan | None:
        if self._plan_index is None:
            self._plan_index = {(p.model.office, p.model.fiscal_year, p.model.kind): p.model for p in self.plans}
        return self._plan_index.get((office, fiscal_year, kind))

    def children_of(self, slug: str) -> list[Office]:
        """Offices whose parent is `slug`, by slug."""
        if self._children_index is None:
            index: dict[str, list[Office]] = {}
            for child in sorted(self.offices):
                office = self.offices[child].model
                if office.parent:
                    index.setdefault(office.parent, []).append(office)
            self._children_index = index
        return self._children_index.get(slug, [])

    def progress_for(self, office: str, fiscal_year: str, kind: str) -> list[Progress]:
        """Quarterly reports of one document, by quarter."""
        if self._progress_index is None:
            index: dict[tuple, list] = {}
            for loaded in sorted(self.progress, key=lambda x: x.model.quarter):
                m = loaded.model
                index.setdefault((m.office, m.fiscal_year, m.document), []).append(m)
            self._progress_index = index
        return self._progress_index.get((office, fiscal_year, kind), [])


def load_plans(plans_dir: Path, problems: Problems, cache: ParseCache | None = None,
               select: Callable[[Path], bool] | None = None, files: list[Path] | None = None) -> Catalog:
    """Every plan file under plans_dir (or those `select` picks, or just `files`), typed; with `cache`,
    unchanged files are not read again."""
    catalog = Catalog()
    with no_garbage_collection():
        for path in plan_files(plans_dir, problems) if files is None else files:
            if select is not None and not select(path):
                continue
            loaded = load_file(path, problems) if cache is None else _load_cached(path, problems, cache)
            if loaded is not None:
                catalog.files.append(loaded.path)
                _add(catalog, loaded, problems)
        _resolve_templates(catalog, problems)
    if cache is not None and select is None and files is None:  # a part's load (a shard) keeps the others' entries
        cache.prune()
    return catalog


@contextlib.contextmanager
def no_garbage_collection():
    """Loading and checking make millions of objects and no garbage: the collector only slows them (2x)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load_cached(path: Path, problems: Problems, cache: ParseCache) -> Loaded | None:
    try:
        raw = read_plan_bytes(path)
    except (YamlError, OSError):
        return load_file(path, problems)  # which says what is wrong with it
    entry = cache.entry(path, raw)
    loaded = cache.get(entry)
    if loaded is None:
        before = len(problems)
        loaded = load_file(path, problems, raw)
        if loaded is not None and len(problems) == before:  # files with messages are read every time
            cache.put(entry, loaded)
    return loaded


def load_file(path: Path, problems: Problems, raw: bytes | None = None) -> Loaded | None:
    shown = str(path)
    try:
        data, lines, notes = read_yaml(path, raw)
    except YamlError as exc:
        problems.error(shown, exc.line, exc.message, exc.detail)
        return None
    except OSError as exc:
        problems.error(shown, 1, f"ফাইলটি পড়া যাচ্ছে না (cannot read file): {exc.strerror}")
        return None
    for note in notes:
        problems.warning(shown, 1, note)
    if not isinstance(data, dict):
        problems.error(shown, 1, "ফাইলের শুরুতে কী-মান চাই (expected a mapping), যেমন প্রথম লাইনে kind: nis, পরের লাইনে office: …")
        return None
    kind = data.get("kind")
    model_cls = MODELS.get(kind) if isinstance(kind, str) else None
    if model_cls is None:
        line = lines.get(("kind",), 1)
        got = "kind: নেই" if kind is None else f"kind: '{kind}' চলে না"
        problems.error(shown, line, f"ফাইলের ধরন (kind) বোঝা যাচ্ছে না: {got}{hint(kind, MODELS)}; "
                       f"লিখুন এর একটি: {', '.join(MODELS)}")
        return None
    data, notes, mistakes = extract_annotations(data, lines)
    for line, message in mistakes:
        problems.error(shown, line, message)
    if mistakes:
        return None
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.error(shown, *describe(err, data, lines, model_cls))
        return None
    if notes and hasattr(model, "_notes"):
        model._notes = {_normal_loc(loc): note for loc, note in notes.items()}
    return Loaded(model, shown, _with_id_aliases(lines), notes)


def _normal_loc(loc: Loc) -> Loc:
    """A location with indicator ids as the model keys them (১.২ -> 1.2)."""
    return tuple(_normal_id(p) for p in loc)


def _normal_id(part):
    return to_ascii_digits(part).strip("[]() ").rstrip(".") if isinstance(part, str) else part


def _with_id_aliases(lines: dict[Loc, int]) -> dict[Loc, int]:
    """Let ("achievements", "1.2") find the line of the key written as ১.২ or [১.২]."""
    aliases = {_normal_loc(loc): line for loc, line in lines.items()}
    return {**aliases, **lines}


def _add(catalog: Catalog, loaded: Loaded, problems: Problems) -> None:
    model = loaded.model
    if isinstance(model, Office):
        if model.slug in catalog.offices:
            first = catalog.offices[model.slug].path
            problems.error(loaded.path, loaded.line("slug"),
                           f"অফিস (office) '{model.slug}' আগেই আছে {first}-এ; অন্য slug লিখুন বা একটি ফাইল মুছুন")
            return
        catalog.offices[model.slug] = loaded
    elif isinstance(model, Template):
        name = Path(loaded.path).stem
        catalog.templates[(model.fiscal_year, name)] = loaded
    elif isinstance(model, GovernancePlan):
        catalog.plans.append(loaded)
    elif isinstance(model, Apa):
        catalog.apas.append(loaded)
    elif isinstance(model, Charter):
        catalog.charters.append(loaded)
    elif isinstance(model, Progress):
        catalog.progress.append(loaded)
    elif isinstance(model, Calendar):
        if model.fiscal_year in catalog.calendars:
            first = catalog.calendars[model.fiscal_year].path
            problems.error(loaded.path, loaded.line("fiscal_year"),
                           f"{bn_fiscal_year(model.fiscal_year)} অর্থবছরের ক্যালেন্ডার আগেই আছে {first}-এ; একটি মুছুন")
            return
        catalog.calendars[model.fiscal_year] = loaded


# --------------------------------------------------------------------------- templates


def _resolve_templates(catalog: Catalog, problems: Problems) -> None:
    resolved = []
    for loaded in catalog.plans:
        plan = loaded.model
        if plan.template is None:
            if not plan.areas:
                problems.error(loaded.path, loaded.line("kind"), "কর্মপরিকল্পনায় areas (সূচকের সারণি) বা template "
                               "(জাতীয় টেমপ্লেট) লাগে; যোগ করুন যেমন template: nis-field")
            if plan.values:
                problems.error(loaded.path, loaded.line("values"), "values টেমপ্লেট পূরণের জন্য; যোগ করুন "
                               "template: <টেমপ্লেটের নাম>, যেমন template: nis-field")
            resolved.append(loaded)
            continue
        template = catalog.templates.get((plan.fiscal_year, plan.template))
        if template is None:
            known = sorted(name for fy, name in catalog.templates if fy == plan.fiscal_year)
            have = f"আছে: {', '.join(known)}" if known else "এই অর্থবছরের কোনো টেমপ্লেট নেই"
            problems.error(loaded.path, loaded.line("template"),
                           f"অজানা টেমপ্লেট (unknown template) '{plan.template}' "
                           f"{bn_fiscal_year(plan.fiscal_year)} অর্থবছরের জন্য{hint(plan.template, known)}; {have} "
                           f"(plans/_templates/{plan.fiscal_year}/)")
            continue
        if template.model.document != plan.kind:
            problems.error(loaded.path, loaded.line("template"),
                           f"টেমপ্লেট '{plan.template}' একটি {template.model.document} কর্মপরিকল্পনার, {plan.kind}-এর নয়; "
                           f"{plan.kind}-এর টেমপ্লেট লিখুন")
            continue
        if plan.areas:
            problems.error(loaded.path, loaded.line("areas"), "areas আর template একসঙ্গে চলে না; টেমপ্লেট পূরণ করলে "
                           "areas মুছে values-এ অফিসের মান লিখুন")
            continue
        areas = _fill(template.model.areas, plan.values, loaded, problems)
        title = plan.title or template.model.title
        notes = [*template.model.notes, *(n for n in plan.notes if n not in template.model.notes)]
        filled = plan.model_copy(update={"areas": areas, "title": title, "notes": notes})
        filled._notes = _notes_in_table(plan._notes, areas)
        resolved.append(Loaded(filled, loaded.path, loaded.lines, loaded.notes))
    catalog.plans = resolved


def _fill(areas: list[Area], values: dict, loaded: Loaded, problems: Problems) -> list[Area]:
    known = {ind.id for area in areas for ind in area.indicators}
    for key in values:
        if key not in known:
            problems.error(loaded.path, loaded.line("values", key),
                           f"সূচক (indicator) {to_bengali_digits(key)} টেমপ্লেটে নেই"
                           f"{hint(key, known)}; টেমপ্লেটের সূচকের ক্রম লিখুন")
    return [
        area.model_copy(update={"indicators": [_merge(ind, values.get(ind.id)) for ind in area.indicators]})
        for area in areas
    ]


def _notes_in_table(notes: dict[Loc, Annotation], areas: list[Area]) -> dict[Loc, Annotation]:
    """Notes on values filled into a template (values → 1.2 → target) move to the row they fill."""
    rows = {ind.id: ("areas", ai, "indicators", ii) for ai, area in enumerate(areas) for ii, ind in enumerate(area.indicators)}
    moved = {}
    for loc, note in notes.items():
        if len(loc) > 2 and loc[0] == "values" and loc[1] in rows:
            loc = rows[loc[1]] + loc[2:]
        moved[loc] = note
    return moved


def _merge(indicator: Indicator, values) -> Indicator:
    if values is None:
        return indicator
    return indicator.model_copy(update={name: getattr(values, name) for name in values.model_fields_set})
