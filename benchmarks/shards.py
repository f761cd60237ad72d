"""Sharded builds at national size: python benchmarks/shards.py [--offices 1000] [--max-offices 100] [--pdf]

Simulates the publish matrix on this machine: `build --sharded` runs every shard in turn, each in its own
process, and prints each one's time and peak memory; then the merge. Then one office's quarterly report
changes and the site is built again: only that office's shard and the merge run. Printed: the cold
build, the republish, the peak memory of the largest process (shards and merge), and projections to
15,000 offices from the per-shard figures (a shard's size does not grow with the site; the merge does).
"""

from __future__ import annotations

import argparse
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


def build(plans: Path, out: Path, cache: Path, max_offices: int, pdf: bool) -> dict:
    """One `build --sharded`: wall time, the build process's own peak memory (the merge runs in it), and
    each shard's (name, offices, seconds, MB) as it printed them."""
    command = [sys.executable, str(ROOT / "build_site.py"), "build", "--plans", str(plans), "--out", str(out),
               "--sharded", "--max-offices", str(max_offices), "--as-of", "2024-06-30", *([] if pdf else ["--no-pdf"])]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "SEBABOX_CACHE": str(cache)},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"build failed:\n{output}")
    shards = [(m[1], int(m[2]), float(m[3]), int(m[4])) for m in map(SHARD_LINE.match, output.splitlines()) if m]
    merge = next((float(m[1]) for m in map(MERGE_LINE.match, output.splitlines()) if m), 0.0)
    return {"seconds": seconds, "rss": usage.ru_maxrss / 1024, "shards": shards, "merge": merge}


def pagefind(pages: list[Path], root: Path, work: Path) -> dict:
    """Pagefind over these pages (hard links under a temporary site, as publish.index_search does): its
    time, peak memory, and the files a query reads: entry, meta, wasm, the average index chunk and fragment."""
    site, out = work / "pages", work / "bundle"
    for folder in (site, out):
        shutil.rmtree(folder, ignore_errors=True)
    for page in pages:
        target = site / page.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out),
                              "--force-language", "bn", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start

    def mean(pattern: str) -> float:
        sizes = [f.stat().st_size for f in out.glob(pattern)]
        return sum(sizes) / len(sizes) if sizes else 0.0

    found = {"seconds": seconds, "mb": usage.ru_maxrss / 1024, "pages": len(pages),
             "entry": (out / "pagefind-entry.json").stat().st_size, "meta": mean("*.pf_meta"),
             "wasm": mean("wasm.*.pagefind"), "chunk": mean("index/*.pf_index"), "fragment": mean("fragment/*")}
    shutil.rmtree(work, ignore_errors=True)
    return found


def searchable(folder: Path) -> list[Path]:
    from sebabox.outputs.publish import SEARCHABLE, _html_files

    return [page for page in _html_files(folder) if SEARCHABLE in page.read_bytes()]


def search_either_way(site: Path, shard_dirs: list[Path], work: Path) -> None:
    """One Pagefind index over the merged site (what `merge` makes), against one index per shard plus one for
    the merge's own pages, merged in the browser (Pagefind's mergeIndex: the primary bundle's wasm, each
    bundle's entry, meta and index chunks). Bytes per query: what the index files make a visitor load for
    a one-word query showing six results; the search code (UI, worker) is the same either way."""
    merged_pages = searchable(site)
    single = pagefind(merged_pages, site, work)
    bundles, seen = [], set()
    for folder in shard_dirs:
        pages = searchable(folder)
        seen.update(p.relative_to(folder) for p in pages)
        bundles.append(pagefind(pages, folder, work))
    bundles.append(pagefind([p for p in merged_pages if p.relative_to(site) not in seen], site, work))
    one = single["entry"] + single["meta"] + single["wasm"] + single["chunk"] + 6 * single["fragment"]
    many = (bundles[0]["wasm"] + sum(b["entry"] + b["meta"] + b["chunk"] for b in bundles)
            + 6 * sum(b["fragment"] for b in bundles) / len(bundles))
    print(f"  search, one index over the merged site: Pagefind {single['seconds']:.1f} s, peak memory "
          f"{single['mb']:.0f} MB for {single['pages']:,} pages; a query loads about {one / 1024:.0f} KB of index "
          f"and excerpts")
    print(f"  search, one index per shard ({len(bundles)} bundles, merged in the browser): Pagefind "
          f"{sum(b['seconds'] for b in bundles):.1f} s in all, {max(b['seconds'] for b in bundles):.1f} s and "
          f"{max(b['mb'] for b in bundles):.0f} MB at most per bundle; a query loads about {many / 1024:.0f} KB "
          f"({many / one:.1f}x)")


def touch_one_office(plans: Path) -> Path:
    """Change one achievement of one upazila's second-quarter APA report (as an office's update does)."""
    report = sorted(plans.glob("upazila-*/*/apa-q2.yaml"))[0]
    text = report.read_text(encoding="utf-8")
    changed = re.sub(r'(\n  \S+: )"[০-৯]+"', lambda m: m[1] + ('"৯৮"' if '"৯৯"' in m[0] else '"৯৯"'), text, count=1)
    report.write_text(changed, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=1000)
    parser.add_argument("--max-offices", type=int, default=100, help="offices per shard (build --max-offices)")
    parser.add_argument("--pdf", action="store_true", help="PDFs too (site only by default)")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-shards")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from sebabox.tools.synthetic import generate

    plans = args.work / f"plans-{args.offices}"
    if not plans.is_dir():
        generate(args.offices, plans, ROOT / "plans")
    out, cache = args.work / f"site-{args.offices}", args.work / f"cache-{args.offices}"
    for stale in (out, args.work / f".site-{args.offices}.builds", cache):
        shutil.rmtree(stale, ignore_errors=True) if not stale.is_symlink() else stale.unlink()

    cold = build(plans, out, cache, args.max_offices, args.pdf)
    print(f"\nsharded build of {args.offices:,} offices ({'with' if args.pdf else 'without'} PDFs), "
          f"shards of at most {args.max_offices}, run in turn on {os.cpu_count()} cores:")
    print(f"  {'shard':<28}{'offices':>8}{'seconds':>9}{'peak MB':>9}")
    for name, offices, seconds, mb in cold["shards"]:
        print(f"  {name:<28}{offices:>8}{seconds:>9.1f}{mb:>9}")
    shard_seconds = sum(s[2] for s in cold["shards"])
    largest = max((s[3] for s in cold["shards"]), default=0)
    print(f"  cold: {cold['seconds']:.1f} s in all: shards {shard_seconds:.1f} s, merge {cold['merge']:.1f} s "
          f"(planning and fingerprints: the rest); peak memory {max(largest, cold['rss']):.0f} MB "
          f"(largest shard {largest} MB, build and merge process {cold['rss']:.0f} MB)")

    report = touch_one_office(plans)
    update = build(plans, out, cache, args.max_offices, args.pdf)
    rebuilt = update["shards"]
    print(f"  republish after one office's update ({report.relative_to(plans)}): {update['seconds']:.1f} s: "
          f"{len(rebuilt)} shard(s) rebuilt ({', '.join(f'{n} {s:.1f} s' for n, _, s, _ in rebuilt)}), "
          f"merge {update['merge']:.1f} s, planning and fingerprints "
          f"{update['seconds'] - update['merge'] - sum(s[2] for s in rebuilt):.1f} s")

    shard_dirs = sorted(p for p in (cache / "shards").glob("*/*") if p.is_dir() and not p.name.startswith("."))
    search_either_way(out, shard_dirs, args.work / "search")

    scale = NATIONAL / args.offices
    per_office = shard_seconds / max(1, sum(s[1] for s in cold["shards"]))
    other = update["seconds"] - update["merge"] - sum(s[2] for s in rebuilt)
    print(f"  projected to {NATIONAL:,} offices (shards of the same size; the merge and the fingerprints grow "
          f"with the site, linearly): cold shards {per_office * NATIONAL / 60:.1f} min on one core "
          f"({per_office * NATIONAL / 60 / 4:.1f} min on a 4-core runner, 4 shards at once), merge "
          f"{cold['merge'] * scale:.0f} s; republish {sum(s[2] for s in rebuilt) + (update['merge'] + other) * scale:.0f} s; "
          f"peak memory {largest} MB a shard")
    return 0


if __name__ == "__main__":
    sys.exit(main())
