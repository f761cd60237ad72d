"""Sharded builds at national size: python benchmarks/shards.py [--offices 1000] [--max-offices 100] [--pdf]

Simulates the publish matrix on this machine: `build --sharded` runs every shard in turn, each in its own
process, and prints each one's time and peak memory; then the merge. Then one office's quarterly report
changes and the site is built again: only that office's shard and the merge run. Printed: the cold
build, the republish, the peak memory of the largest process (shards and merge), and projections to
15,000 offices from the per-shard figures (a shard's size does not grow with the site; the merge does).
Last, the search of the merged site made three ways (one index over every page; one bundle per shard, as
the build makes it; bundles of several shards), each with Pagefind's time and peak memory and the bytes a
visitor's query transfers, measured in Chromium (`--search-only`: only this, on the site a run left).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = 15_000
SHARD_LINE = re.compile(r"^shard (\S+): (\d+) office\(s\) in ([\d.]+) s, peak memory (\d+) MB")  # (rebuilt …)
MERGE_LINE = re.compile(r"^merge: ([\d.]+) s")
NATIONAL_LINE = re.compile(r"national tables and zips ([\d.]+) s")  # the merge's (the plugin's log line)
SEARCH_PART = re.compile(r"search (\d+) page\(s\) in ([\d.]+) s, Pagefind peak memory (\d+) MB")  # a shard's, the merge's


def build(plans: Path, out: Path, cache: Path, max_offices: int, pdf: bool, jobs: int = 1) -> dict:
    """One `build --sharded`: wall time, the build process's own peak memory (the merge runs in it), and
    each shard's (name, offices, seconds, MB) as it printed them."""
    command = [sys.executable, str(ROOT / "build_site.py"), "build", "--plans", str(plans), "--out", str(out),
               "--sharded", "--max-offices", str(max_offices), "--as-of", "2024-06-30", "--jobs", str(jobs),
               *([] if pdf else ["--no-pdf"])]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "SEBABOX_CACHE": str(cache)},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"build failed:\n{output}")
    lines = output.splitlines()
    shards = [(m[1], int(m[2]), float(m[3]), int(m[4]), _search(line)) for line in lines if (m := SHARD_LINE.match(line))]
    merge = next((float(m[1]) for m in map(MERGE_LINE.match, lines) if m), 0.0)
    merge_search = next((_search(line) for line in lines if line.startswith("merge search: ")), None)
    national = [float(m[1]) for line in lines if (m := NATIONAL_LINE.search(line))]
    steps = next((line.split("; ", 1)[1] for line in lines if line.startswith("merged ") and "; " in line), "")
    return {"seconds": seconds, "rss": usage.ru_maxrss / 1024, "shards": shards, "merge": merge,
            "merge_search": merge_search, "national": national[-1] if national else 0.0, "merge_steps": steps}


def _search(line: str) -> tuple[int, float, int] | None:
    """(pages, seconds, MB) of the Pagefind run a progress line reports, if any."""
    found = SEARCH_PART.search(line.replace("its own ", "search "))
    return (int(found[1]), float(found[2]), int(found[3])) if found else None


QUERIES = ("উপজেলা", "সমবায়")  # one word found on pages of every shard, and a rarer one: the first results


def remade(site: Path, shard_dirs: list[Path], groups: list[list[int]] | None, dest: Path, routed: bool = True) -> list:
    """A copy of the merged site (hard links) with its search made again: one index over every page
    (`groups` None), or one bundle per group of shards (indexes into shard_dirs) and the merge's own
    pages' bundle, as `merge` lists them (with their directory pages when `routed`). Each Pagefind run's pages, time and peak memory (publish.Indexed)."""
    from sebabox.outputs.publish import _html_files, index_search
    from sebabox.outputs.search_bundles import SHARD_BUNDLES, bundle_words, data_only, index_primary

    shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", "-l", "-L", str(site.resolve()), str(dest)], check=True)  # -L: through folder links
    shutil.rmtree(dest / SHARD_BUNDLES, ignore_errors=True)
    if groups is None:
        return [index_search(dest)]
    pages_of = [{p.relative_to(d).as_posix() for p in _html_files(d)} for d in shard_dirs]
    every = {p.relative_to(dest).as_posix() for p in _html_files(dest)}
    runs, listed = [], []
    for number, group in enumerate(groups):
        name = f"{SHARD_BUNDLES}/g{number}"
        indexed = index_search(dest, name, skip=every - set().union(*(pages_of[i] for i in group)))
        data_only(dest / name)
        if indexed.pages:
            runs.append(indexed)
            listed.append(name + "/")
    words = {name: " ".join(sorted(bundle_words(dest / name))) for name in listed}
    runs.append(index_primary(dest, set().union(*pages_of), words, routed))  # the merge's own pages
    return runs


def _kind(url: str) -> str:
    path = url.split("?")[0]
    if path.endswith(".pf_index"):
        return "index"
    if path.endswith(".pf_fragment"):
        return "excerpts"
    if path.endswith((".pf_meta", ".json")):
        return "meta"
    return "code"


def bytes_per_query(site: Path, queries=QUERIES) -> list[dict]:
    """In Chromium (playwright), a fresh visitor on the home page types the first query, waits for the
    first results with their excerpts, then types the second: what each query transferred (headers and
    bodies as served by a plain file server with GitHub Pages' `Cache-Control: max-age=600`; Pagefind's
    index files are gzip already), by kind: code (JS,
    CSS, WebAssembly), meta (bundle list, each bundle's entry and pf_meta), index chunks, excerpts."""
    import functools
    import gzip
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):  # as GitHub Pages serves every file: the browser reuses what it fetched
            self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or None)
            context = browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block")
            page = context.new_page()
            responses: list = []
            page.on("response", lambda response: responses.append(response))
            page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="networkidle")
            for number, query in enumerate(queries):
                responses.clear()
                if number == 0:
                    page.keyboard.press("/")
                else:
                    page.locator(".sb-search .pagefind-ui__search-input").fill("")
                page.keyboard.type(query)
                page.wait_for_function(
                    """q => {
                        const m = document.querySelector('.sb-search .pagefind-ui__message');
                        const shown = document.querySelectorAll('.sb-search .pagefind-ui__result').length;
                        const loaded = document.querySelectorAll('.sb-search .pagefind-ui__result-link').length;
                        return m && m.textContent.includes('“' + q + '”') && shown > 0 && shown === loaded;
                    }""", arg=query, timeout=120_000)
                page.wait_for_load_state("networkidle")
                by_kind = {"code": 0, "meta": 0, "index": 0, "excerpts": 0}
                code_gzip, files = 0, 0
                for response in responses:
                    if "pagefind" not in response.url or not response.ok:
                        continue
                    sizes = response.request.sizes()
                    by_kind[_kind(response.url)] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                    if _kind(response.url) == "code" and sizes["responseBodySize"]:  # (not from the cache)
                        body = response.body()
                        code_gzip += len(gzip.compress(body)) if response.url.endswith((".js", ".css")) else len(body)
                    files += 1
                results = page.locator(".sb-search .pagefind-ui__message").inner_text()
                found.append({"query": query, "files": files, "code_gzip": code_gzip, "message": results, **by_kind})
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return found


def search_either_way(site: Path, shard_dirs: list[Path], work: Path, group_offices: int = 300) -> None:
    """The search a visitor of the merged site gets, made three ways, each measured in Chromium: one
    index over every page (what `merge` made before), one bundle per shard (what `build --shard` and
    `merge` make now, merged in the browser by Pagefind's mergeIndex), and bundles of several shards
    (up to `group_offices` offices each). For each: Pagefind's time and peak memory per run, and the
    bytes a query transfers."""
    import json

    from sebabox.outputs.shards import META

    offices = [len(json.loads((d / META / "shard.json").read_text(encoding="utf-8"))["offices"]) for d in shard_dirs]
    groups: list[list[int]] = [[]]
    for number, count in enumerate(offices):  # consecutive shards (the plan's order: subtrees stay together)
        if groups[-1] and sum(offices[i] for i in groups[-1]) + count > group_offices:
            groups.append([])
        groups[-1].append(number)
    each = [[i] for i in range(len(shard_dirs))]
    ways = [("one index over every page", None, False),
            (f"a bundle per shard, all merged", each, False),
            (f"a bundle per shard, routed (the build's)", each, True),
            (f"bundles of <= {group_offices} offices, all merged", groups, False),
            (f"bundles of <= {group_offices} offices, routed", groups, True)]
    print(f"  search, measured in Chromium: a fresh visitor's first query ({QUERIES[0]}), then a second "
          f"({QUERIES[1]}); KB transferred (code: JS, CSS, WebAssembly as served, gzip in brackets)")
    print(f"  {'search made as':<44}{'bundles':>8}{'Pagefind s':>11}{'max MB':>8}{'query':>7}{'code':>13}{'meta':>7}"
          f"{'index':>7}{'excerpt':>8}{'total':>7}{'files':>6}")
    baseline = None
    for label, grouping, routed in ways:
        runs = remade(site, shard_dirs, grouping, work / "remade", routed)
        for number, measured in enumerate(bytes_per_query(work / "remade")):
            total = sum(measured[k] for k in ("code", "meta", "index", "excerpts"))
            data = total - measured["code"]
            if number == 0 and baseline is None:
                baseline = (total, data)
            made = (f"{label:<44}{len(runs):>8}{sum(r.seconds for r in runs):>11.1f}{max(r.peak_mb for r in runs):>8.0f}"
                    if number == 0 else " " * 71)
            print(f"  {made}{number + 1:>7}{measured['code'] / 1024:>7.0f} ({measured['code_gzip'] / 1024:>3.0f})"
                  f"{measured['meta'] / 1024:>7.0f}{measured['index'] / 1024:>7.0f}{measured['excerpts'] / 1024:>8.0f}"
                  f"{total / 1024:>7.0f}{measured['files']:>6}   {measured['message']}")
            if number == 0 and baseline:
                print(f"  {'':<44}first query without code: {data / 1024:.0f} KB, {data / baseline[1]:.2f}x one index's")
    shutil.rmtree(work / "remade", ignore_errors=True)


def touch_one_office(plans: Path) -> Path:
    """Change one achievement of one upazila's second-quarter APA report (as an office's update does)."""
    report = sorted(plans.glob("upazila-*/*/apa-q2.yaml"))[0]
    text = report.read_text(encoding="utf-8")
    changed = re.sub(r'(\n  \S+: )"[০-৯]+"', lambda m: m[1] + ('"৯৮"' if '"৯৯"' in m[0] else '"৯৯"'), text, count=1)
    fresh = report.with_name(report.name + ".new")
    fresh.write_text(changed, encoding="utf-8")
    os.replace(fresh, report)  # a new file, as an editor saves it (and never through a hard link of --plans)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=1000)
    parser.add_argument("--max-offices", type=int, default=100, help="offices per shard (build --max-offices)")
    parser.add_argument("--pdf", action="store_true", help="PDFs too (site only by default)")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-shards")
    parser.add_argument("--no-search-compare", action="store_true",
                        help="skip measuring the search three ways in Chromium (Pagefind over every page: minutes, GBs)")
    parser.add_argument("--search-only", action="store_true",
                        help="measure only the search of the site a previous run left in --work (no build)")
    parser.add_argument("--jobs", type=int, default=1, help="shards built at once (build --jobs): the cold build")
    parser.add_argument("--plans", type=Path, help="a synthetic plans folder of --offices offices made before "
                                                   "(tools/synthetic.py), instead of making one")
    parser.add_argument("--git", action="store_true",
                        help="the plans in a git repository, the update committed (as the publish workflow builds "
                             "them: first-publication dates read from the history)")
    parser.add_argument("--group-offices", type=int, default=300,
                        help="search bundles of several shards: at most this many offices each")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from sebabox.tools.synthetic import generate

    plans = args.work / f"plans-{args.offices}"
    if not plans.is_dir() and args.plans:  # hard links: the one file the republish changes is replaced, not written
        subprocess.run(["cp", "-al", str(args.plans), str(plans)], check=True)
    if not plans.is_dir():
        generate(args.offices, plans, ROOT / "plans")
    if args.git and not (plans / ".git").is_dir():
        _git(plans, "init", "-q", "-b", "main")
        _git(plans, "add", ".")
        _git(plans, "commit", "-qm", "plans")
    out, cache = args.work / f"site-{args.offices}", args.work / f"cache-{args.offices}"
    shard_dirs = lambda: sorted(p for p in (cache / "shards").glob("*/*") if p.is_dir() and not p.name.startswith("."))
    if args.search_only:
        print(f"\nsearch of the sharded site of {args.offices:,} offices in {out}:")
        search_either_way(out, shard_dirs(), args.work / "search", args.group_offices)
        return 0
    for stale in (out, args.work / f".site-{args.offices}.builds", cache):
        shutil.rmtree(stale, ignore_errors=True) if not stale.is_symlink() else stale.unlink()

    cold = build(plans, out, cache, args.max_offices, args.pdf, args.jobs)
    print(f"\nsharded build of {args.offices:,} offices ({'with' if args.pdf else 'without'} PDFs), "
          f"shards of at most {args.max_offices}, run in turn on {os.cpu_count()} cores:")
    print(f"  {'shard':<28}{'offices':>8}{'seconds':>9}{'peak MB':>9}   its search bundle: pages, Pagefind s, MB")
    for name, offices, seconds, mb, search in cold["shards"]:
        print(f"  {name:<28}{offices:>8}{seconds:>9.1f}{mb:>9}" + ("   {:>5} {:>6.1f} {:>5}".format(*search) if search else ""))
    if cold["merge_search"]:
        print("  the merge's own pages' bundle: {} pages, Pagefind {:.1f} s, {} MB".format(*cold["merge_search"]))
    shard_seconds = sum(s[2] for s in cold["shards"])
    largest = max((s[3] for s in cold["shards"]), default=0)
    print(f"  cold: {cold['seconds']:.1f} s in all: shards {shard_seconds:.1f} s, merge {cold['merge']:.1f} s "
          f"(national tables and zips {cold['national']:.1f} s; {cold['merge_steps']}) "
          f"(planning and fingerprints: the rest); peak memory {max(largest, cold['rss']):.0f} MB "
          f"(largest shard {largest} MB, build and merge process {cold['rss']:.0f} MB)")

    report = touch_one_office(plans)
    if args.git:
        _git(plans, "commit", "-qam", "one office's update")
    update = build(plans, out, cache, args.max_offices, args.pdf, args.jobs)
    rebuilt = update["shards"]
    print(f"  republish after one office's update ({report.relative_to(plans)}): {update['seconds']:.1f} s: "
          f"{len(rebuilt)} shard(s) rebuilt ({', '.join(f'{n} {s:.1f} s' for n, _, s, _, _ in rebuilt)}), "
          f"merge {update['merge']:.1f} s (national tables and zips {update['national']:.1f} s; {update['merge_steps']}), "
          f"planning and fingerprints "
          f"{update['seconds'] - update['merge'] - sum(s[2] for s in rebuilt):.1f} s")

    if not args.no_search_compare:
        search_either_way(out, shard_dirs(), args.work / "search", args.group_offices)

    scale = NATIONAL / args.offices
    per_office = shard_seconds / max(1, sum(s[1] for s in cold["shards"]))
    other = update["seconds"] - update["merge"] - sum(s[2] for s in rebuilt)
    print(f"  projected to {NATIONAL:,} offices (shards of the same size; the merge and the fingerprints grow "
          f"with the site, linearly): cold shards {per_office * NATIONAL / 60:.1f} min on one core "
          f"({per_office * NATIONAL / 60 / 4:.1f} min on a 4-core runner, 4 shards at once), merge "
          f"{cold['merge'] * scale:.0f} s; republish {sum(s[2] for s in rebuilt) + (update['merge'] + other) * scale:.0f} s; "
          f"peak memory {largest} MB a shard")
    record = {"offices": args.offices, "commit": _commit(), "git": args.git, "republish": update["seconds"],
              "shard": sum(s[2] for s in rebuilt), "merge": update["merge"], "planning": other,
              "cold_merge": cold["merge"], "cold_shards_per_office": per_office,
              "peak_shard_mb": largest, "merge_process_mb": cold["rss"]}
    record["at"] = time.time()
    (args.work / f"results-{args.offices}{'-git' if args.git else ''}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    fit(args.work)
    return 0


def _git(plans: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "benchmark", "GIT_AUTHOR_EMAIL": "benchmark@example.org",
           "GIT_COMMITTER_NAME": "benchmark", "GIT_COMMITTER_EMAIL": "benchmark@example.org"}
    subprocess.run(["git", *args], cwd=plans, env=env, check=True, capture_output=True)


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def fit(work: Path) -> None:
    """With runs at two sizes or more (results-N.json in --work, same commit), each part of the republish and
    of the cold merge as a + b x offices through the smallest and largest, projected to NATIONAL offices: a
    shard's own work does not grow with the site, but its walk of plans/ and reading of every office file do."""
    runs = sorted((json.loads(path.read_text(encoding="utf-8")) for path in work.glob("results-*.json")),
                  key=lambda run: run["offices"])
    if not runs:
        return
    latest = max(runs, key=lambda run: run.get("at", 0))
    runs = [run for run in runs if run["commit"] == latest["commit"] and run.get("git") == latest.get("git")]
    if len(runs) < 2:
        print(f"  (a run at another size, same commit, gives a projection from two sizes: --offices N)")
        return
    small, large = runs[0], runs[-1]
    print(f"\nrepublish after one office's update, fitted through {small['offices']:,} and {large['offices']:,} "
          f"offices (commit {large['commit']}{', plans in git' if large.get('git') else ''}), projected to {NATIONAL:,}:")
    total = 0.0
    for part in ("planning", "shard", "merge"):
        slope = (large[part] - small[part]) / (large["offices"] - small["offices"])
        projected = large[part] + slope * (NATIONAL - large["offices"])
        total += projected
        print(f"  {part:<10}{small[part]:>8.1f} s{large[part]:>8.1f} s   -> {projected:6.1f} s at {NATIONAL:,} "
              f"({slope * 1000:.2f} s per 1,000 offices)")
    print(f"  republish {total:.0f} s at {NATIONAL:,} offices (target 60 s); cold merge "
          f"{large['cold_merge'] + (large['cold_merge'] - small['cold_merge']) / (large['offices'] - small['offices']) * (NATIONAL - large['offices']):.0f} s"
          f" (target 180 s); merge process {small['merge_process_mb']:.0f} -> {large['merge_process_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
