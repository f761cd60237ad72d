"""Build-speed benchmark at national scale: python benchmarks/run.py [--sizes 10 100 1000] [--pdf-sizes 10 100]

For each N it generates N synthetic offices (benchmarks/generate.py), then measures, each in a fresh
process with a fresh PDF cache and no parsed plans (the update: those of the build before it):

  site     cold build of pages, open data and search index (build --no-pdf)
  +pdf     cold build with every PDF (only for N in --pdf-sizes; other sizes show a projection marked ~)
  s/page   site seconds per HTML page
  peak     peak resident memory of the largest process of the site build (Python or Pagefind)
  size     site size on disk; largest HTML page
  query    bytes a visitor downloads for one search (headless Chromium, Pagefind's own API)
  update   republishing after one office's quarterly update (build --incremental; with PDFs where built)
  mkdocs   plain `mkdocs build` of the same generated Markdown without the plugin, and our ratio
  weasy    bare WeasyPrint (one process, HTML(string=...).write_pdf()) on the same documents' HTML as our
           PDFs, on an even sample of --bare-pdfs documents: seconds per PDF next to ours (cold cache,
           all cores), and the ratio (only for N in --pdf-sizes)
  bytes    what takes the space, per category and per office (benchmarks/site_bytes.py)
  open data  seconds the build spent on document files, office tables and zips, national tables and
           zips (cold, and again in the update), the national tables' rows and sizes, the zips' sizes
  status   what reporting status adds: reading the git dates, judging every office × document × quarter,
           the roll-ups and rendering every status page and the home dashboard (in-process, seconds)

Timings are wall-clock seconds on this machine; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import site_bytes  # noqa: E402  (beside this file)

PY = sys.executable
QUERY = "প্রশিক্ষণ"


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run cmd in a fresh child; (seconds, peak RSS in MB of its largest process)."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.stderr.write(r.stderr[-2000:] if r.returncode else ''); sys.exit(r.returncode)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], capture_output=True, text=True, env=env, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    seconds, rss_kb = out.stdout.split()
    return float(seconds), int(rss_kb) // 1024


def build(plans: Path, out: Path, cache: Path, pdf: bool, *extra: str) -> tuple[float, int]:
    """PDFs cached in `cache`, build records and parsed plans beside it (cold: both empty)."""
    env = {**os.environ, "SEBABOX_PDF_CACHE": str(cache), "SEBABOX_CACHE": str(cache.parent / "state"),
           "SEBABOX_TIMINGS": str(cache.parent / "opendata-timings.jsonl")}
    cmd = [PY, "build_site.py", "build", "--plans", str(plans), "--out", str(out), *extra]
    return timed(cmd + ([] if pdf else ["--no-pdf"]), env)


def remove_site(site: Path) -> None:
    """The built site: `site` is a symlink to the live build under .<name>.builds/ (publish.py's atomic swap)."""
    if site.is_symlink():
        site.unlink()
    elif site.exists():
        shutil.rmtree(site)
    shutil.rmtree(site.parent / f".{site.name}.builds", ignore_errors=True)


def site_files(root: Path) -> list[Path]:
    """Every file of a site as served: through the folder links of a merged (sharded) site too."""
    return [Path(folder, name) for folder, _, names in os.walk(root, followlinks=True) for name in names]


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in site_files(path))


def largest_html(site: Path) -> tuple[int, str]:
    size, page = max((f.stat().st_size, f) for f in site_files(site) if f.suffix == ".html")
    return size, str(page.relative_to(site))


def query_bytes(site: Path) -> int | None:
    """Bytes fetched under /pagefind/ for one query and its first five results, in headless Chromium."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium:
        return None
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            responses = []
            page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
            page.evaluate("""async (q) => {
                const pf = await import('/pagefind/pagefind.js');
                const found = await pf.search(q);
                await Promise.all(found.results.slice(0, 5).map(r => r.data()));
            }""", QUERY)
            page.wait_for_load_state("networkidle")
            total = sum(len(r.body()) for r in responses)  # the search runs in a worker: count its fetches too
            browser.close()
    finally:
        server.shutdown()
    return total


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def one_office_update(plans: Path) -> None:
    """An upazila office reports a changed second-quarter figure."""
    report = plans / "upazila-0" / "2023-24" / "apa-q2.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r'(\n  \S+: )"[০-৯]+"', r'\1"৯৯"', text, count=1), encoding="utf-8")


def plain_mkdocs(plans: Path, work: Path) -> float:
    """Write the Markdown our plugin generates to a docs folder and time plain `mkdocs build` on it."""
    docs, cfg = work / "plain-docs", work / "plain-mkdocs.yml"
    subprocess.run([PY, __file__, "--dump-markdown", str(plans), str(docs)], check=True, cwd=ROOT)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nplugins:\n(  .*\n)+", "\nplugins: []\n", text)
    text = text.replace("docs_dir: content", f"docs_dir: {docs}").replace("site_dir: site", f"site_dir: {work / 'plain-site'}")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    cfg.write_text(text, encoding="utf-8")
    seconds, _ = timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(cfg)])
    return seconds


def dump_markdown(plans: Path, docs: Path) -> None:
    """The Markdown MkDocs receives from the plugin (generated pages, home page with its sections), as files."""
    from types import SimpleNamespace

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from sebabox.site import rawhtml

    rawhtml.stash = lambda md: (md, [])  # plain MkDocs gets the HTML blocks inline, as any plugin would give them
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["sebabox"]
    plugin.config.plans = str(plans)
    plugin.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    # the data page is a MkDocs page (in nav:), every other generated page is streamed after MkDocs' build
    streamed = [entry[-2:] for entry in getattr(plugin, "_streamed", [])]  # (…, src_uri, source)
    pages = [(uri, source()) for uri, source in [*plugin._sources.items(), *streamed]]
    for src in sorted((ROOT / "content").rglob("*.md")):
        uri = src.relative_to(ROOT / "content").as_posix()
        page = SimpleNamespace(file=SimpleNamespace(src_uri=uri))
        pages.append((uri, plugin.on_page_markdown(src.read_text(encoding="utf-8"), page, config, files)))
    for uri, text in pages:
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(text, encoding="utf-8")


def bare_weasyprint(plans: Path, sample: int) -> float:
    """Seconds per PDF of bare WeasyPrint (one process, no cache, no tagging) on an even sample of the
    documents whose HTML our build renders (render.pdf_jobs: the same HTML, CSS and fonts)."""
    from weasyprint import HTML

    from sebabox.inputs.check import check_plans
    from sebabox.outputs import pdf, render
    from sebabox.outputs.report import SiteDocuments

    jobs = render.pdf_jobs(SiteDocuments.of(check_plans(plans)[1]))
    step = max(1, len(jobs) // max(sample, 1))
    chosen = jobs[::step][:sample]
    fetcher = pdf._font_fetcher(ROOT / "theme_overrides" / "assets" / "fonts")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for i, job in enumerate(chosen):
            HTML(string=job.html, url_fetcher=fetcher).write_pdf(Path(tmp) / f"{i}.pdf")
        return (time.perf_counter() - start) / len(chosen)


def run_size(n: int, with_pdf: bool, work: Path, pdf_rate: float | None, bare_pdfs: int = 40) -> dict:
    plans, site = work / "plans", work / "site"
    subprocess.run([PY, "benchmarks/generate.py", str(n), str(plans)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    row: dict = {"n": n}
    row["site_s"], row["peak_mb"] = build(plans, site, work / "cache", pdf=False)
    row["opendata"] = opendata_costs(work, site)
    pages = sum(1 for f in site_files(site) if f.suffix == ".html")
    row["pages"], row["s_per_page"] = pages, row["site_s"] / pages
    row["size_mb"] = tree_size(site) / 1e6
    row["bytes"] = site_bytes.measure(site)
    row["largest_kb"], row["largest_page"] = largest_html(site)[0] / 1000, largest_html(site)[1]
    row["query_kb"] = (q / 1000) if (q := query_bytes(site)) is not None else None
    docs = len(list(plans.rglob("*.yaml"))) - n - len(list(plans.glob("_templates/*/*.yaml")))
    if with_pdf:
        remove_site(site)
        shutil.rmtree(work / "state")  # cold: the plans are parsed again too
        row["pdf_s"], row["pdf_peak_mb"] = build(plans, site, work / "cache", pdf=True)
        row["pdf_rate"] = docs / max(row["pdf_s"] - row["site_s"], 0.001)
        row["bytes_pdf"] = site_bytes.measure(site)
        out = subprocess.run([PY, __file__, "--bare-weasyprint", str(plans), str(bare_pdfs)], check=True, cwd=ROOT,
                             capture_output=True, text=True)
        row["bare_s_per_pdf"] = float(out.stdout.split()[-1])
    elif pdf_rate:
        row["pdf_s_projected"] = row["site_s"] + docs / pdf_rate
    row["pdfs"] = docs
    one_office_update(plans)
    row["update_s"], _ = build(plans, site, work / "cache", with_pdf, "--incremental")
    row["opendata_update"] = opendata_costs(work, site)
    row["mkdocs_s"] = plain_mkdocs(plans, work)
    out = subprocess.run([PY, __file__, "--status-time", str(plans)], check=True, cwd=ROOT, capture_output=True, text=True)
    row["status_s"] = float(out.stdout.split()[-1])
    return row


YEAR_ZIP = re.compile(r"-\d{4}-\d{2}\.zip$")  # a fiscal year's zip (of the site or of a part)


def opendata_costs(work: Path, site: Path) -> dict:
    """The last build's open data: seconds per stage (as the plugin recorded them) and bytes per kind."""
    record = json.loads((work / "opendata-timings.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    data = site / "data"
    return {
        **record["seconds"],
        # one file per table, or a big site's parts (data/national/<table>/<table>-<part>.csv, outputs/parts.py)
        "national_csv_mb": sum(p.stat().st_size for p in (data / "national").rglob("*.csv")) / 1e6,
        "national_json_mb": sum(p.stat().st_size for p in (data / "national").rglob("*.json")) / 1e6,
        "indicators_rows": sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1
                               for p in (data / "national").glob("indicators*.csv") if p.is_file()) +
        sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1 for p in (data / "national").glob("indicators/*.csv")),
        "everything_zip_mb": sum(p.stat().st_size for p in (data / "bulk").glob("*.zip") if not YEAR_ZIP.search(p.name)) / 1e6,
        "year_zips_mb": sum(p.stat().st_size for p in (data / "bulk").glob("*.zip") if YEAR_ZIP.search(p.name)) / 1e6,
        "office_zips_mb": sum(p.stat().st_size for p in data.glob("*/*-open-data.zip")) / 1e6,
        "data_mb": tree_size(data) / 1e6,
    }


def status_time(plans: Path) -> float:
    """Seconds reporting status adds to a build of `plans` (the catalog is loaded first, untimed)."""
    from sebabox.inputs.check import check_plans
    from sebabox.inputs.gitdates import first_published
    from sebabox.outputs import status_pages
    from sebabox.outputs.report import SiteDocuments
    from sebabox.scoring import status

    catalog = check_plans(plans)[1]
    site = SiteDocuments.of(catalog)
    for report in site.reports:  # scored anyway by the report pages: not status's cost
        report.score
    start = time.perf_counter()
    result = status.compute(catalog, first_published(plans), status_pages.reference_date())
    scores = status_pages.score_rollup(catalog, site.reports)
    for _, source in status_pages.status_pages(catalog, result, scores):
        source()
    status_pages.home_sections(catalog, site.docs, result)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--pdf-sizes", type=int, nargs="*", default=[10, 100],
                        help="sizes also built with every PDF (1,000 offices are ~22,000 PDFs)")
    parser.add_argument("--bare-pdfs", type=int, default=40, metavar="K",
                        help="documents bare WeasyPrint renders for the comparison (an even sample)")
    parser.add_argument("--keep", type=Path, help="keep the generated plans and sites under this directory")
    parser.add_argument("--dump-markdown", nargs=2, type=Path, metavar=("PLANS", "DOCS"), help=argparse.SUPPRESS)
    parser.add_argument("--status-time", type=Path, metavar="PLANS", help=argparse.SUPPRESS)
    parser.add_argument("--bare-weasyprint", nargs=2, metavar=("PLANS", "K"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_weasyprint:
        print(f"{bare_weasyprint(Path(args.bare_weasyprint[0]), int(args.bare_weasyprint[1])):.4f}")
        return 0
    if args.status_time:
        print(f"{status_time(args.status_time):.3f}")
        return 0
    if args.dump_markdown:
        dump_markdown(*args.dump_markdown)
        return 0
    print(f"sebabox build benchmark: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}", flush=True)
    rows, pdf_rate = [], None
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"sebabox-bench-{n}-", dir=args.keep))
        try:
            row = run_size(n, n in args.pdf_sizes, work, pdf_rate, args.bare_pdfs)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        pdf_rate = row.get("pdf_rate", pdf_rate)
        rows.append(row)
        print(f"  N={n}: done ({row['site_s']:.0f} s site)", flush=True)
    _table(rows)
    return 0


def _table(rows: list[dict]) -> None:
    head = ("N", "pages", "site s", "+pdf s", "PDFs", "s/page", "s/office", "peak MB", "site MB", "largest KB",
            "query KB", "update s", "mkdocs s", "ours/mkdocs", "status s")
    print("\n" + " | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        pdf = f"{r['pdf_s']:.0f}" if "pdf_s" in r else (f"~{r['pdf_s_projected']:.0f}" if "pdf_s_projected" in r else "-")
        query = f"{r['query_kb']:.0f}" if r["query_kb"] is not None else "n/a"
        print(" | ".join([
            str(r["n"]), str(r["pages"]), f"{r['site_s']:.1f}", pdf, str(r["pdfs"]), f"{r['s_per_page']:.4f}",
            f"{r['site_s'] / r['n']:.3f}", str(r["peak_mb"]), f"{r['size_mb']:.0f}", f"{r['largest_kb']:.0f}", query,
            f"{r['update_s']:.1f}", f"{r['mkdocs_s']:.1f}", f"{r['site_s'] / r['mkdocs_s']:.2f}", f"{r['status_s']:.2f}",
        ]))
    if len(rows) > 1:
        per = [r["site_s"] / r["n"] for r in rows]
        print(f"\ntime per office, largest N vs previous: {per[-1] / per[-2]:.2f}x (target <= 1.5x)")
    for r in rows:
        print(f"largest page at N={r['n']}: {r['largest_page']} ({r['largest_kb']:.0f} KB; budget 150 KB)")
    if len(rows) > 1:
        per = [r["status_s"] / r["n"] for r in rows]
        print(f"status time per office, largest N vs previous: {per[-1] / max(per[-2], 1e-9):.2f}x (linear: ~1x)")
    _opendata_table(rows)
    _side_by_side(rows)
    for r in rows:
        measured, what = (r["bytes_pdf"], "with PDFs") if "bytes_pdf" in r else (r["bytes"], "no PDFs")
        print(f"\nwhat takes the space at N={r['n']} ({what})\n" + site_bytes.table(measured, r["n"]))


def _side_by_side(rows: list[dict]) -> None:
    """sebabox next to the engines it runs on: plain `mkdocs build` of the same generated Markdown, bare
    WeasyPrint on the same documents' HTML. Ratios above 1: sebabox is slower (it does more)."""
    head = ("N", "site s", "plain mkdocs s", "site/mkdocs", "PDFs", "sebabox s/PDF", "bare WeasyPrint s/PDF",
            "sebabox/bare", "peak MB", "KB/office")
    print("\nside by side (sebabox / its engines)\n" + " | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        ours = (r["pdf_s"] - r["site_s"]) / r["pdfs"] if "pdf_s" in r else None
        bare = r.get("bare_s_per_pdf")
        print(" | ".join([
            str(r["n"]), f"{r['site_s']:.1f}", f"{r['mkdocs_s']:.1f}", f"{r['site_s'] / r['mkdocs_s']:.2f}",
            str(r["pdfs"]), f"{ours:.3f}" if ours is not None else "-", f"{bare:.3f}" if bare else "-",
            f"{ours / bare:.2f}" if ours is not None and bare else "-", str(r["peak_mb"]),
            f"{r['bytes']['total'] / 1e3 / r['n']:.0f}",
        ]))
    print("sebabox s/PDF: the cold build with PDFs minus the site-only build, per PDF, on all cores (tagged "
          "PDF/UA, cache); bare: one process, the same HTML")


def _opendata_table(rows: list[dict]) -> None:
    """What open data adds: time per stage (cold build, then the one-office update) and the sizes."""
    head = ("N", "documents s", "office tables+zips s", "national tables+zips s", "share of build", "update: national s",
            "indicators rows", "national CSV MB", "national JSON MB", "all-data zip MB", "year zips MB",
            "office zips MB", "data/ MB")
    print("\nopen data\n" + " | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        o, u = r["opendata"], r["opendata_update"]
        total = o["documents"] + o["offices"] + o["national"]
        print(" | ".join([
            str(r["n"]), f"{o['documents']:.1f}", f"{o['offices']:.1f}", f"{o['national']:.1f}",
            f"{total / r['site_s']:.0%}", f"{u['national']:.1f}", str(o["indicators_rows"]),
            f"{o['national_csv_mb']:.1f}", f"{o['national_json_mb']:.1f}", f"{o['everything_zip_mb']:.1f}",
            f"{o['year_zips_mb']:.1f}", f"{o['office_zips_mb']:.1f}", f"{o['data_mb']:.0f}",
        ]))
    if len(rows) > 1:
        per = [(r["opendata"]["offices"] + r["opendata"]["national"]) / r["n"] for r in rows]
        print(f"national tables and zips, time per office, largest N vs previous: {per[-1] / per[-2]:.2f}x (linear: ~1x)")


if __name__ == "__main__":
    sys.exit(main())
