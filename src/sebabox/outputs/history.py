"""A document's versions: when its files changed in git and what changed, indicator by indicator.

A document is made of files: its plan (and the national template it fills in) and its quarterly
progress reports; a quarter's report page is made of the plan and the reports up to that quarter,
so its versions are those of what was reported for that quarter. Each version lists what a reader
would see change ("১.২ লক্ষ্যমাত্রা ৪ → ৬", "৩.১ অর্জন যোগ হয়েছে (১ম কোয়ার্টার)"), read from the
files' YAML at both commits, and keeps the document's indicator table as it was, for a page of its
own. Pure apart from the git reads done through inputs/history.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sebabox import bengali
from sebabox.inputs.history import Commit, History
from sebabox.inputs.yamlsafe import parse_yaml_text

FIELDS = {  # what a reader sees of an indicator, as the page's column headers name it
    "activity": "কার্যক্রম", "name": "সূচক", "unit": "একক", "weight": "মান", "method": "গণনা পদ্ধতি",
    "responsible": "দায়িত্বপ্রাপ্ত", "target": "লক্ষ্যমাত্রা", "levels": "লক্ষ্যমাত্রার স্তর",
    "quarter_targets": "ত্রৈমাসিক লক্ষ্যমাত্রা", "actuals": "প্রকৃত অর্জন", "projections": "প্রক্ষেপণ",
    "remarks": "মন্তব্য",
}


@dataclass(frozen=True)
class Row:
    id: str
    fields: dict  # field -> the value as the file writes it (shown with Bengali digits)


@dataclass(frozen=True)
class Version:
    commit: Commit
    changes: list[str]
    rows: list[Row]  # the indicator table at this version
    quarters: list[int]  # quarters reported at this version
    url: str | None  # its own page; None for the current version (the document page itself)


@dataclass(frozen=True)
class DocumentHistory:
    versions: list[Version]  # newest first
    cut: bool  # a shallow clone: older versions exist that this build could not see


def document_files(paths: dict[int, str], catalog, doc) -> list[str]:
    """The files a document view is made of: its plan (or template), the template it fills in, its reports.
    `paths` maps id(model) -> path for every loaded file (see `loaded_paths`)."""
    files = [paths.get(id(doc.model))]
    template = getattr(doc.model, "template", None)
    if template and (doc.fiscal_year, template) in catalog.templates:
        files.append(catalog.templates[doc.fiscal_year, template].path)
    files += [paths.get(id(report)) for report in doc.progress]
    return [f for f in files if f]


def loaded_paths(catalog) -> dict[int, str]:
    loaded = [*catalog.plans, *catalog.apas, *catalog.charters, *catalog.progress, *catalog.templates.values()]
    return {id(item.model): item.path for item in loaded}


def version_commits(history: History | None, files: list[str]) -> list[Commit]:
    """The document's versions, newest first (cheap: from the log alone)."""
    if history is None:
        return []
    return sorted({c.sha: c for path in files for c in history.versions(path)}.values(), key=lambda c: c.order)


def version_url(page_url: str, sha: str) -> str:
    return f"{page_url}v/{sha[:10]}/"


def document_history(history: History | None, files: list[str], page_url: str) -> DocumentHistory | None:
    """The versions of the document made of `files` (plan, template, progress reports; paths as loaded)."""
    if history is None:
        return None
    by_file = {path: history.versions(path) for path in files}
    commits = version_commits(history, files)
    cut = any(history.cut(path) for path in files)
    if not commits:
        return DocumentHistory([], cut)
    states = [_state_at(history, by_file, commit) for commit in reversed(commits)]  # oldest first
    versions, before = [], None
    for commit, state in zip(reversed(commits), states):
        changes = _changes(before, state)
        if before is None and commit.sha in history.shallow:
            changes = ["এর আগের সংস্করণ এই কপিতে নেই, তাই কী বদলেছে বলা যাচ্ছে না"]
        versions.append(Version(commit, changes, _rows(state), sorted(state["quarters"]),
                                None if commit is commits[0] else version_url(page_url, commit.sha)))
        before = state
    return DocumentHistory(versions[::-1], cut)


def _state_at(history: History, by_file: dict, commit: Commit) -> dict:
    """The document's indicators (id -> field -> value) and reported quarters as of `commit`."""
    wanted = {}
    for path, versions in by_file.items():
        at = next((v for v in versions if v.order >= commit.order), None)  # the file's last change up to commit
        if at is not None:
            wanted[path] = at.sha
    texts = history.contents(list((sha, path) for path, sha in wanted.items()))
    state = {"indicators": {}, "areas": {}, "quarters": set(), "unreadable": False, "files": 0}
    for path, sha in wanted.items():
        text = texts[(sha, history._relative(path))]
        if text is None:
            continue
        state["files"] += 1
        try:
            data, _ = parse_yaml_text(text)
        except Exception:  # noqa: BLE001 — a version that no longer parses is shown as such
            state["unreadable"] = True
            continue
        if isinstance(data, dict):
            _read(data, state)
    return state


def _read(data: dict, state: dict) -> None:
    indicators, areas = state["indicators"], state["areas"]
    if data.get("kind") == "progress":
        quarter = bengali.to_ascii_digits(str(data.get("quarter", ""))).strip()
        if quarter.isdigit():
            state["quarters"].add(int(quarter))
        for key, value in (data.get("achievements") or {}).items():
            indicators.setdefault(str(key), {})[("achievement", quarter)] = value
        return
    for area in data.get("areas") or []:
        if isinstance(area, dict):
            areas[str(area.get("id"))] = {"name": area.get("name"), "weight": area.get("weight")}
            for indicator in area.get("indicators") or []:
                if isinstance(indicator, dict):
                    fields = indicators.setdefault(str(indicator.get("id")), {})
                    fields.update({k: v for k, v in indicator.items() if k in FIELDS})
    for key, values in (data.get("values") or {}).items():  # a plan filling in a national template
        if isinstance(values, dict):
            indicators.setdefault(str(key), {}).update({k: v for k, v in values.items() if k in FIELDS})


def _changes(before: dict | None, after: dict) -> list[str]:
    if after["unreadable"]:
        return ["এই সংস্করণের একটি ফাইল পড়া যায়নি (YAML ভুল ছিল)"]
    if before is None:
        return ["দলিল প্রথম যোগ হয়েছে"]
    changes = [f"{_quarter(q)}-এর প্রতিবেদন যোগ হয়েছে" for q in sorted(after["quarters"] - before["quarters"])]
    for key in _ordered(before["areas"].keys() | after["areas"].keys()):
        old, new = before["areas"].get(key), after["areas"].get(key)
        if old and new and old.get("weight") != new.get("weight"):
            changes.append(f"ক্ষেত্র {_digits(key)} মান {_show(old.get('weight'))} → {_show(new.get('weight'))}")
    for key in _ordered(before["indicators"].keys() | after["indicators"].keys()):
        old, new = before["indicators"].get(key, {}), after["indicators"].get(key, {})
        if "name" in new and "name" not in old:
            changes.append(f"{_digits(key)} সূচক যোগ হয়েছে")
            continue
        if "name" in old and "name" not in new and key not in after["indicators"]:
            changes.append(f"{_digits(key)} সূচক বাদ গেছে")
            continue
        for field in sorted(old.keys() | new.keys(), key=_field_order):
            label = _label(field)
            if field not in old:
                changes.append(f"{_digits(key)} {label} যোগ হয়েছে{_suffix(field)}")
            elif field not in new:
                changes.append(f"{_digits(key)} {label} বাদ গেছে{_suffix(field)}")
            elif _show(old[field]) != _show(new[field]):
                changes.append(f"{_digits(key)} {label} {_show(old[field])} → {_show(new[field])}{_suffix(field)}")
            elif old[field] != new[field] and isinstance(new[field], dict):  # same value, a note added or changed
                changes.append(f"{_digits(key)} {label}: ছাপা মান ও সংশোধনের কারণ লেখা হয়েছে{_suffix(field)}")
    return changes or ["সূচকের মানে পরিবর্তন নেই (দলিলের অন্য অংশ, বানান, বিন্যাস বা মন্তব্য বদলেছে)"]


def _rows(state: dict) -> list[Row]:
    return [Row(key, state["indicators"][key]) for key in _ordered(state["indicators"].keys())]


def _ordered(keys) -> list[str]:
    def key(text: str):
        parts = bengali.to_ascii_digits(text).split(".")
        return [(0, int(p)) if p.isdigit() else (1, p) for p in parts]
    return sorted(keys, key=key)


def _field_order(field) -> tuple:
    names = list(FIELDS)
    return (0, names.index(field), "") if field in FIELDS else (1, 0, str(field[1]))


def _label(field) -> str:
    return FIELDS[field] if field in FIELDS else "অর্জন"


def _suffix(field) -> str:
    return f" ({_quarter(field[1])})" if isinstance(field, tuple) else ""


def _quarter(quarter) -> str:
    text = bengali.to_ascii_digits(str(quarter))
    return bengali.QUARTER_NAMES[int(text) - 1] if text.isdigit() and 1 <= int(text) <= 4 else _digits(quarter)


def _digits(text: str) -> str:
    return bengali.to_bengali_digits(str(text))


def show(value) -> str:
    """A value as the file writes it, with Bengali digits; a correction shows its value."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    return bengali.to_bengali_digits(str(value))


_show = show
