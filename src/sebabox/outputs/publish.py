"""The writer: open data files, and the atomic swap that replaces site/ only after a full build.

A build goes into a temporary sibling directory; `site/` is replaced by it only
when MkDocs, the PDFs and the search index all succeeded, so a failed or
interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sebabox.outputs.incremental import remove_tree
from sebabox.outputs.report import DocumentView, office_page
from sebabox.values import Value

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- open data


def _plain(value: Any) -> Any:
    if isinstance(value, Value):
        return value.plain()
    if value is None:
        return None
    return format(value, "f") if not isinstance(value, (str, int)) else value


def _score(value: Decimal | None) -> str | None:
    """Scores in open data: exact decimals rounded half-up to two places, as printed ("0.50")."""
    if value is None:
        return None
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def document_data(doc: DocumentView) -> dict:
    links = doc.links
    data = {
        "office": doc.office.slug,
        "office_name": doc.office.name,
        "kind": doc.kind,
        "fiscal_year": doc.fiscal_year,
        "title": doc.title,
        "quarter": doc.quarter,
        "score": _score(doc.score),
        "max_score": _plain(doc.max_score),
        "page": links.page, "pdf": links.pdf, "csv": links.csv,
        "areas": [],
    }
    for av in doc.areas:
        area = {"id": av.area.id, "name": av.area.name, "weight": _plain(av.area.weight),
                "score": _score(av.score), "indicators": []}
        for row in av.rows:
            ind = row.indicator
            area["indicators"].append({
                "id": ind.id,
                "activity": ind.activity,
                "indicator": ind.name,
                "unit": ind.unit,
                "method": ind.effective_method.value,
                "weight": _plain(ind.weight),
                "responsible": ind.responsible,
                "target": _plain(ind.target),
                "levels": [_plain(v) for v in ind.levels] if ind.levels else None,
                "quarter_targets": [_plain(v) for v in ind.quarter_targets] if ind.quarter_targets else None,
                "achievements": {f"q{q}": _plain(v) for q, v in sorted(row.quarters.items())},
                "total": _plain(row.total),
                "score": _score(row.score.value) if row.score else None,
                "score_rule": row.score.rule if row.score else None,
                "score_explanation": row.score.explanation if row.score else None,
            })
        data["areas"].append(area)
    return data


CSV_COLUMNS = ["area_id", "area", "id", "activity", "indicator", "unit", "method", "weight", "responsible",
               "target", "level_100", "level_90", "level_80", "level_70", "level_60",
               "q1", "q2", "q3", "q4", "total", "score"]


def csv_safe(value: Any) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


def document_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for area in data["areas"]:
        for ind in area["indicators"]:
            levels = (ind["levels"] or []) + [None] * 5
            row = [area["id"], area["name"], ind["id"], ind["activity"], ind["indicator"], ind["unit"],
                   ind["method"], ind["weight"], ind["responsible"], ind["target"], *levels[:5],
                   *(ind["achievements"].get(f"q{q}") for q in range(1, 5)), ind["total"], ind["score"]]
            writer.writerow([csv_safe(v) for v in row])
    return "\ufeff" + out.getvalue()


def offices_data(catalog, docs: list[DocumentView], reports=(), previous: dict[str, dict] | None = None) -> dict:
    """Every office and its documents with their scores; the entries in `previous` (offices whose
    files did not change since it was written) are taken as they are, unscored."""
    by_office: dict[str, list[DocumentView]] = {}
    for doc in [*docs, *reports]:
        by_office.setdefault(doc.office.slug, []).append(doc)
    offices = []
    for slug in sorted(catalog.offices):
        if previous and slug in previous:
            offices.append(previous[slug])
            continue
        office = catalog.offices[slug].model
        offices.append({
            "slug": slug, "name": office.name, "name_en": office.name_en, "level": office.level.value,
            "parent": office.parent, "page": office_page(slug),
            "documents": [_document_entry(d) for d in by_office.get(slug, [])],
        })
    return {"offices": offices}


def _document_entry(doc: DocumentView) -> dict:
    links = doc.links
    entry = {"kind": doc.kind, "fiscal_year": doc.fiscal_year, "title": doc.title,
             **({"report_quarter": doc.quarter} if doc.is_report else {}),
             **({"template": doc.template_name} if doc.template_name else {}),
             "page": links.page, "pdf": links.pdf, "json": links.json, "csv": links.csv}
    if doc.score is not None:
        entry.update(score=_score(doc.score), max_score=_plain(doc.max_score), quarter=doc.quarter)
    return entry


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_open_data(site_dir: Path, catalog, docs: list[DocumentView], reports: list[DocumentView] = (),
                    offices: set[str] | None = None) -> int:
    """offices.json plus a JSON and a CSV (UTF-8 with BOM, for Excel) per document and quarterly report
    (of `offices` only, if given: the others' files, and their entries in offices.json, are kept)."""
    written = {}
    previous = None if offices is None else _previous_entries(site_dir, offices)
    written["data/offices.json"] = _dump(offices_data(catalog, docs, reports, previous))
    for doc in [*docs, *reports]:
        if offices is not None and doc.office.slug not in offices:
            continue
        data = document_data(doc)
        written[doc.links.json] = _dump(data)
        written[doc.links.csv] = document_csv(data)
    for relative, text in written.items():
        write_text(site_dir, relative, text)
    return len(written)


def _previous_entries(site_dir: Path, rebuilt: set[str]) -> dict[str, dict]:
    """offices.json entries of the offices not rebuilt, from the site being updated (none if unreadable)."""
    try:
        data = json.loads((site_dir / "data" / "offices.json").read_text(encoding="utf-8"))
        return {entry["slug"]: entry for entry in data["offices"] if entry["slug"] not in rebuilt}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_text(root: Path, relative: str, text: str) -> Path:
    """Write under root only: the one place output files are opened."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write outside the output directory: {relative!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # an incremental build's copy holds hard links to the published site
    target.write_text(text, encoding="utf-8", newline="")
    return target


# --------------------------------------------------------------------------- the whole build


def build_site(config_file: Path, plans_dir: Path, out_dir: Path, *, pdf: bool = True, search: bool = True,
               catalog=None, incremental: bool = False, progress=print) -> None:
    """mkdocs build (pages, data, PDFs by the plugin) + Pagefind into a temp dir, then swap.

    With `incremental`, only what the changed plan files affect is rebuilt (see incremental.py)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sebabox.outputs import incremental as inc

    state_path = inc.state_file(config_file, out_dir)
    state = inc.fingerprint(config_file, plans_dir, {"pdf": pdf, "search": search})
    update = None
    if incremental:
        if catalog is None:
            from sebabox.inputs.check import check_plans

            catalog = check_plans(plans_dir)[1]
        update = inc.plan_update(inc.load_state(state_path), state, catalog, out_dir)
        progress("incremental: full build (first build, or code, templates or office files changed)" if update is None
                 else f"incremental: rebuilding {len(update.changed)} changed office(s): {', '.join(sorted(update.changed))}")
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        if epoch is None:  # MkDocs dates the sitemap (and its gzip header) by it: the same plans, the same bytes
            os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(plans_dir, catalog))
        config = load_config(config_file=str(config_file), site_dir=str(tmp))
        plugin = config.plugins["sebabox"]
        plugin.config.plans = str(plans_dir.resolve())
        plugin.config.pdf = pdf
        plugin.preloaded = catalog  # already checked and printed by the caller
        plugin.update = update
        if update is not None:
            inc.copy_site(out_dir, tmp, update)
        with _quiet_dirty_warning():
            build(config, dirty=update is not None)
        if search:
            index_search(tmp)
        state_path.unlink(missing_ok=True)  # never a record that does not match the published site
        swap(tmp, out_dir)
        inc.save_state(state_path, state)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


class _DirtyWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def _quiet_dirty_warning():
    """MkDocs warns that a dirty build may leave stale navigation; ours has a fixed nav and rebuilds what changed."""
    logger, quiet = logging.getLogger("mkdocs.commands.build"), _DirtyWarningFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def source_date_epoch(plans_dir: Path, catalog=None) -> int:
    """The build date from the content: the latest report, letter or signing date (UTC midnight)."""
    import datetime as dt

    from sebabox.outputs.render import updated_on
    from sebabox.outputs.report import all_documents

    if catalog is None:
        from sebabox.inputs.check import check_plans

        problems, catalog = check_plans(plans_dir)
        if problems.errors:  # the build stops on them anyway, with the messages
            return 0
    day = max((updated_on(doc) for doc in all_documents(catalog)), default=dt.date(1980, 1, 1))
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


SEARCHABLE = b"data-pagefind-body"


def index_search(site_dir: Path) -> None:
    """Pagefind: a Bengali-capable static search index (Material's lunr finds no Bengali words).

    Pagefind reads every HTML file even when it then skips those without data-pagefind-body (the
    quarterly reports: four of every five pages); parsing them was two thirds of its time. So it is
    given a mirror of hard links to the searchable pages only; the index is the same."""
    source = Path(tempfile.mkdtemp(prefix=".search-pages-", dir=site_dir.parent))
    try:
        for page in _html_files(site_dir):
            if SEARCHABLE in page.read_bytes():
                target = source / page.relative_to(site_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(page, target)
                except OSError:
                    shutil.copyfile(page, target)
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(site_dir / "pagefind"),
             "--force-language", "bn", "--quiet"],
            capture_output=True, text=True,
        )
    finally:
        remove_tree(source)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")


def _html_files(root: Path) -> list[Path]:
    """Every .html file under root, sorted (os.walk: a third of rglob's time on 30,000 pages)."""
    found = []
    for folder, _, names in os.walk(root):
        found.extend(Path(folder, name) for name in names if name.endswith(".html"))
    return sorted(found)


def swap(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames only; the old tree is removed afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        remove_tree(old)
