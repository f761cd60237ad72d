"""The command line: a thin layer over load -> validate -> build. Errors print as one line each."""

from __future__ import annotations

import errno
import gc
import json
import os
import sys
from pathlib import Path

import click

from sebabox.errors import Problems, SebaboxError, printable
from sebabox.inputs.check import check_plans, parse_cache_root
from sebabox.outputs.shards import DEFAULT_MAX_OFFICES

PLANS = "plans"


def _print_problems(problems: Problems, fmt: str = "text", verbose: bool = False) -> None:
    for problem in sorted(problems, key=lambda p: (p.file, p.line)):
        if fmt == "github":  # workflow commands are read from standard output
            click.echo(problem.github())
        else:
            click.echo(problem.verbose() if verbose else str(problem), err=problem.severity == "error")


def _date_option(value: str | None):
    """--as-of: a date as dd/mm/yyyy (Bengali or ASCII digits) or yyyy-mm-dd."""
    import datetime as dt

    from sebabox.bengali import parse_date, to_ascii_digits

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(to_ascii_digits(value.strip()))
    except ValueError:
        pass
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}; type a date such as ২৯/১১/২০২৬ or 2026-11-29") from None


def _quarter_option(value: str | None) -> int | None:
    """--quarter: 1 to 4, Bengali or ASCII digits."""
    from sebabox.bengali import parse_whole_number

    if value is None:
        return None
    try:
        return parse_whole_number(value, 1, 4, "কোয়ার্টার (quarter)")
    except ValueError as exc:
        raise click.BadParameter(printable(exc.bengali)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """sebabox: Bengali plans and performance reports of government offices, as a site and PDFs."""


@main.command()
@click.argument("plans_dir", default=PLANS, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: each problem as a GitHub Actions annotation (::error file=…,line=…::…).")
@click.option("--verbose", "-v", is_flag=True, help="Under each message, the parser's or validator's own words.")
def check(plans_dir: Path, fmt: str, verbose: bool) -> None:
    """Validate PLANS_DIR, or any part of it (an office, a year folder, one file: templates and parent
    offices come from the plans/ folder it lies in); print each problem as path:line: error|warning: message."""
    from sebabox.inputs.check import check_path

    problems, files = check_path(plans_dir)
    _print_problems(problems, fmt, verbose)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:  # every problem, beyond the annotations GitHub shows
        from sebabox.errors import github_summary

        ordered = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.line))
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(github_summary(ordered, len(files)))
    errors, warnings = len(problems.errors), len(problems.warnings)
    click.echo(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
@click.option("--out", "out_dir", default="site", type=click.Path(path_type=Path), show_default=True)
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (fast preview).")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@click.option("--incremental", is_flag=True,
              help="Rebuild only the offices whose plan files changed since the last build of OUT (and their parents).")
@click.option("--as-of", "as_of", metavar="DATE", callback=lambda ctx, param, value: _date_option(value),
              help="Judge reporting status as of DATE (২৯/১১/২০২৬ or 2026-11-29). Default: SOURCE_DATE_EPOCH if set, "
                   "else today.")
@click.option("--config", "config_file", default="mkdocs.yml", type=click.Path(path_type=Path), show_default=True)
@click.option("--shard", metavar="NAME", help="Build one shard (see `shards`) into OUT_DIR, for `merge`.")
@click.option("--max-offices", default=DEFAULT_MAX_OFFICES, show_default=True, type=click.IntRange(min=1),
              help="With --shard: the shard plan's size (as given to `shards`).")
@click.option("--sharded/--single", default=None,
              help="Build shard by shard, each in its own process, then merge (reusing unchanged shards), or in one "
                   "process. Default: shard by shard above 300 offices.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Shard by shard: how many shards to build at once (each ~250 MB of memory at most).")
@click.option("--keep-builds", is_flag=True, hidden=True,
              help="With --shard: keep the shard's earlier builds (build --sharded: its merged site links to them).")
@click.option("--files-from", type=click.Path(path_type=Path), hidden=True,
              help="With --shard: the plan files to read, as build --sharded found them (else the plans are walked).")
@click.argument("shard_out", required=False, type=click.Path(path_type=Path), metavar="[OUT_DIR]")
def build(plans_dir: Path, out_dir: Path, no_pdf: bool, no_search: bool, incremental: bool, as_of, config_file: Path,
          shard: str | None, max_offices: int, sharded: bool | None, shard_out: Path | None, jobs: int,
          keep_builds: bool, files_from: Path | None) -> None:
    """Build the site, PDFs and open data into OUT, replacing it only when everything succeeded.
    With --shard NAME OUT_DIR: one shard's offices only (pages, PDFs, data, summaries), for `merge`."""
    from sebabox.outputs.publish import build_site
    from sebabox.outputs.sharded import build_shard
    from sebabox.site.engine import show_progress

    show_progress()
    if shard is not None:
        if shard_out is None:  # never a shard's partial output into the site by a forgotten argument
            raise click.UsageError("--shard NAME needs the folder to build it into: build --shard NAME OUT_DIR")
        target = shard_out
        try:
            build_shard(config_file, plans_dir, target, shard, max_offices=max_offices, pdf=not no_pdf,
                        progress=lambda line: click.echo(line, err=True), as_of=as_of, problems_out=_print_problems,
                        incremental=incremental, search=not no_search, keep_builds=keep_builds, files_from=files_from)
        except OSError as exc:
            raise SebaboxError(f"{_os_error(exc)}; {target} was not replaced") from None
        return
    if shard_out is not None or files_from is not None:
        raise click.UsageError("OUT_DIR and --files-from are for --shard; a site is built into --out")
    from sebabox.outputs.sharded import build_sharded, wants_shards

    if wants_shards(plans_dir, sharded):
        try:
            done = build_sharded(config_file, plans_dir, out_dir, pdf=not no_pdf, search=not no_search, as_of=as_of,
                                 max_offices=max_offices, progress=lambda line: click.echo(line, err=True),
                                 jobs=jobs)
        except OSError as exc:
            raise SebaboxError(f"{_os_error(exc)}; {out_dir} was not replaced") from None
        if done:
            _built(out_dir)
            return
    problems, catalog = check_plans(plans_dir, parse_cache_root(config_file))
    _print_problems(problems)
    if problems.errors:
        raise SebaboxError(f"{len(problems.errors)} error(s) in {plans_dir}; nothing was built, {out_dir} is unchanged")
    gc.freeze()  # the catalog lives as long as the build: the collector need not walk it again and again
    try:
        build_site(config_file, plans_dir, out_dir, pdf=not no_pdf, search=not no_search, catalog=catalog,
                   incremental=incremental, progress=lambda line: click.echo(line, err=True), as_of=as_of)
    except OSError as exc:  # a full disk, a read-only or immutable output: one line, not a traceback
        raise SebaboxError(f"{_os_error(exc)}; {out_dir} was not replaced") from None
    finally:
        gc.unfreeze()
    _built(out_dir)


def _built(out_dir: Path) -> None:
    click.echo(f"built {out_dir}/", err=True)
    from sebabox.tools.deploy import pages_warning

    if warning := pages_warning(out_dir):
        click.echo(warning, err=True)


@main.command()
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
@click.option("--max-offices", default=DEFAULT_MAX_OFFICES, show_default=True, type=click.IntRange(min=1),
              help="A subtree with more offices is split by its children.")
def shards(plans_dir: Path, max_offices: int) -> None:
    """Print the shard plan, one JSON line per shard: {"shard": NAME, "offices": [slugs]} (each office in
    exactly one shard; from the office files alone)."""
    from sebabox.outputs.shards import plan, read_tree

    for shard in plan(read_tree(plans_dir), max_offices):
        click.echo(json.dumps(shard.line(), ensure_ascii=False))


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.argument("shard_dirs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
@click.option("--no-search", is_flag=True, help="Skip the search index (the site then has no search).")
@click.option("--config", "config_file", default="mkdocs.yml", type=click.Path(path_type=Path), show_default=True)
def merge(out_dir: Path, shard_dirs: tuple[Path, ...], plans_dir: Path, no_search: bool, config_file: Path) -> None:
    """Assemble one site in OUT_DIR from the shards' outputs (build --shard): their files, and every page and
    file that reads several shards, from their summaries; then the search index of the pages it wrote, and the
    list of the shards' search bundles the search box merges; replaced atomically."""
    from sebabox.outputs.sharded import merge_site
    from sebabox.site.engine import show_progress

    show_progress()
    try:
        merge_site(config_file, plans_dir, out_dir, list(shard_dirs), search=not no_search,
                   progress=lambda line: click.echo(line, err=True))
    except OSError as exc:
        raise SebaboxError(f"{_os_error(exc)}; {out_dir} was not replaced") from None
    click.echo(f"built {out_dir}/", err=True)


@main.command()
@click.argument("site_dir", type=click.Path(path_type=Path, file_okay=False))
@click.argument("dest", metavar="DEST")
@click.option("--keep", default=2, show_default=True, type=click.IntRange(min=1),
              help="Releases kept at DEST (the live one and the one before it, for a rollback).")
def deploy(site_dir: Path, dest: str, keep: int) -> None:
    """Publish SITE_DIR to DEST (a directory or user@host:/path): only changed files are sent, then
    DEST/current is switched to the new release in one step. Point the web server at DEST/current."""
    from sebabox.tools.deploy import deploy as publish_to

    result = publish_to(site_dir, dest, keep=keep)
    click.echo(f"deployed {result.files} file(s) as {dest.rstrip('/')}/releases/{result.release}: "
               f"{result.transferred} file(s) sent, {result.bytes_sent:,} bytes; {dest.rstrip('/')}/current -> it")


OS_ERRORS = {
    errno.ENOSPC: "the disk is full (no space left on device): free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EROFS: "the file system is read-only: build into a writable --out",
    errno.EACCES: "permission denied: build into a directory you may write to",
    errno.EPERM: "operation not permitted (an immutable file, chattr +i?): build into a writable --out",
}


OS_ERRORS_BN = {  # import-xlsx, xlsx-template, new-office: the clerk's commands
    errno.ENOSPC: "ডিস্ক ভরে গেছে (the disk is full): জায়গা খালি করে আবার চালান",
    errno.EDQUOT: "ডিস্কের কোটা শেষ (the disk quota is used up): জায়গা খালি করে আবার চালান",
    errno.EROFS: "ফাইল সিস্টেমটি শুধু পড়ার (read-only): লেখা যায় এমন ফোল্ডারে চালান",
    errno.EACCES: "অনুমতি নেই (permission denied): যে ফোল্ডারে লেখার অনুমতি আছে সেখানে চালান",
    errno.EPERM: "অনুমতি নেই (operation not permitted): যে ফোল্ডারে লেখার অনুমতি আছে সেখানে চালান",
}


def _os_error_bn(exc: OSError) -> str:
    where = f" ({printable(str(exc.filename))})" if exc.filename else ""
    return f"লেখা থেমে গেছে{where}: {OS_ERRORS_BN.get(exc.errno, exc.strerror or str(exc))}"


def _os_error(exc: OSError) -> str:
    where = f" at {exc.filename}" if exc.filename else ""
    return f"the build stopped{where}: {OS_ERRORS.get(exc.errno, exc.strerror or str(exc))}"


@main.command()
@click.option("--config", "config_file", default="mkdocs.yml", type=click.Path(path_type=Path), show_default=True)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(config_file: Path, dev_addr: str) -> None:
    """Live preview: pages are rebuilt when a plan file changes."""
    from sebabox.site.engine import serve as serve_site

    serve_site(config_file, dev_addr)


@main.command()
@click.argument("out_dir", default="schemas", type=click.Path(path_type=Path))
def schema(out_dir: Path) -> None:
    """Write a JSON Schema per file kind (for editors: yaml-language-server)."""
    from sebabox.tools.schemas import build_schemas

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, schema in build_schemas().items():
        path = out_dir / f"{name}.schema.json"
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {path}")


@main.command("new-office")
@click.argument("slug")
@click.option("--name", required=True, help="The office's name as printed (Bengali).")
@click.option("--level", required=True, metavar="LEVEL",
              help="upazila, district, divisional (or division), directorate, ministry or union.")
@click.option("--parent", metavar="PARENT_SLUG", help="The office above it (required but for a ministry).")
@click.option("--district", help="The district, in Bengali (used to check signature places).")
@click.option("--fiscal-year", help="Default: the current fiscal year, or the newest with national templates.")
@click.option("--documents", metavar="charter,nis,…",
              help="Only these documents (charter, nis, egov, grs, cc, rti); default: a plan per national template.")
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
def new_office(slug: str, name: str, level: str, parent: str | None, district: str | None,
               fiscal_year: str | None, documents: str | None, plans_dir: Path) -> None:
    """Create PLANS/SLUG/office.yaml and the documents the office publishes (--documents)."""
    from sebabox.tools.scaffold import new_office as scaffold

    try:
        result = scaffold(plans_dir, slug, name, level, parent, district, fiscal_year, documents=documents)
    except OSError as exc:  # a read-only or full plans folder: the new office is renamed in only at the end
        raise SebaboxError(f"{_os_error_bn(exc)}; অফিসটি তৈরি হয়নি (nothing was created)") from None
    for note in result.notes:
        click.echo(note, err=True)
    for path in result.files:
        click.echo(f"তৈরি হয়েছে (created) {path}")
    click.echo(f"এরপর (next): {result.office_dir}/-এর ফাইলগুলোতে মান পূরণ করুন, তারপর চালান: build_site.py check "
               f"{plans_dir}", err=True)


@main.command("import-xlsx")
@click.argument("xlsx_file", type=click.Path(path_type=Path), metavar="FILE.xlsx")
@click.option("--office", required=True, metavar="SLUG", help="The office the workbook is for.")
@click.option("--out", "out_file", type=click.Path(path_type=Path), metavar="PATH",
              help="Where to write (one sheet only). Default: plans/SLUG/FY/nis.yaml or nis-qN.yaml.")
@click.option("--force", is_flag=True, help="Replace an existing file (its letter/signatory are kept).")
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
def import_xlsx(xlsx_file: Path, office: str, out_file: Path | None, force: bool, plans_dir: Path) -> None:
    """Turn a filled workbook (quarterly progress or plan targets) into YAML that passes check."""
    from sebabox.inputs.xlsx_import import BadCells, Unchecked, import_workbook

    try:
        outputs = import_workbook(xlsx_file, office, plans_dir, out_file, force)
    except (BadCells, Unchecked) as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        raise
    except OSError as exc:  # a full disk or a read-only plans folder: one line; files are renamed in only at the end
        raise SebaboxError(f"{_os_error_bn(exc)}; কোনো প্ল্যান ফাইল বদলায়নি (no plan file was changed)") from None
    for output in outputs:
        click.echo(printable(f"লেখা হয়েছে (wrote) {output.path} (শিট '{output.sheet}')"))


@main.command("xlsx-template")
@click.argument("out_file", type=click.Path(path_type=Path), metavar="OUT.xlsx")
@click.option("--office", required=True, metavar="SLUG")
@click.option("--document", required=True, metavar="DOC", help="nis, egov, grs, cc, rti (or apa for progress).")
@click.option("--fiscal-year", help="Default: the newest year with the office's plan.")
@click.option("--sheet", "sheet_kind", default="progress", show_default=True, metavar="progress|plan",
              help="progress: a quarter's achievements; plan: the targets.")
@click.option("--quarter", metavar="N", callback=lambda ctx, param, value: _quarter_option(value),
              help="Progress: the quarter to report, 1-4 or ১-৪ (default: the next one).")
@click.option("--force", is_flag=True, help="Replace OUT.xlsx if it exists.")
@click.option("--plans", "plans_dir", default=PLANS, type=click.Path(path_type=Path), show_default=True)
def xlsx_template(out_file: Path, office: str, document: str, fiscal_year: str | None, sheet_kind: str,
                  quarter: int | None, force: bool, plans_dir: Path) -> None:
    """Write a workbook for staff to fill in, in the layout import-xlsx reads."""
    from sebabox.tools.xlsx_template import write_template

    try:
        notes = write_template(out_file, plans_dir, office, document, fiscal_year, sheet_kind, quarter, force)
    except OSError as exc:
        raise SebaboxError(f"{_os_error_bn(exc)}; {out_file} লেখা হয়নি (was not written)") from None
    for note in notes:
        click.echo(note, err=True)
    click.echo(f"লেখা হয়েছে (wrote) {out_file}")


if __name__ == "__main__":  # pragma: no cover
    main()
