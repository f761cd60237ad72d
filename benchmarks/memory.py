"""Peak memory of a whole build as the site grows: python benchmarks/memory.py [--sizes 200 800 1000] [--sharded]

For each N, N synthetic offices (tools/synthetic.py) are built the way `make site` builds plans/ (`build --no-pdf`,
search included): one process below 300 offices, shard by shard above (outputs/sharded.py), unless --sharded
forces shards at every size. Printed per N: seconds, the peak resident memory of the largest process of the
build (the build itself, a shard, the merge or a Pagefind run: the kernel's ru_maxrss over every process the
build waited for), and then the ratios the issue asks for: peak at 800 / peak at 200 (goal ≤ 1.3) and the peak
at 1,000 (goal ≤ 1 GB). Run it on an otherwise idle machine; peaks do not depend on load, times do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(plans: Path, out: Path, cache: Path, sharded: bool) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one cold `build --no-pdf` (run.timed: RUSAGE_CHILDREN of a
    fresh wrapper process, the largest of the build, its shards, the merge and every Pagefind run)."""
    from run import timed  # benchmarks/run.py, beside this file

    for stale in (out, out.with_name(f".{out.name}.builds"), cache):
        shutil.rmtree(stale, ignore_errors=True) if not stale.is_symlink() else stale.unlink()
    command = [sys.executable, str(ROOT / "build_site.py"), "build", "--plans", str(plans), "--out", str(out),
               "--no-pdf", "--as-of", "2024-06-30", *(["--sharded"] if sharded else [])]
    return timed(command, {**os.environ, "SEBABOX_CACHE": str(cache)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 800, 1000])
    parser.add_argument("--sharded", action="store_true", help="shards at every size (default: as `build` decides)")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-memory")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from sebabox.outputs.sharded import SHARDED_FROM
    from sebabox.tools.synthetic import generate

    peaks = {}
    print(f"{'offices':>8} {'build':>8} {'seconds':>9} {'peak MB':>9}")
    for n in args.sizes:
        plans = args.work / f"plans-{n}"
        if not plans.is_dir():
            generate(n, plans, ROOT / "plans")
        sharded = args.sharded or n > SHARDED_FROM
        seconds, peak = build(plans, args.work / f"site-{n}", args.work / f"cache-{n}", args.sharded)
        peaks[n] = peak
        print(f"{n:>8} {'sharded' if sharded else 'single':>8} {seconds:>9.1f} {peak:>9.0f}", flush=True)
        shutil.rmtree(args.work / f"cache-{n}", ignore_errors=True)
    if 200 in peaks and 800 in peaks:
        ratio = peaks[800] / peaks[200]
        print(f"peak at 800 / peak at 200 = {ratio:.2f} (goal <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'})")
    if 1000 in peaks:
        print(f"peak at 1,000 = {peaks[1000]:.0f} MB (goal <= 1,024 MB: {'met' if peaks[1000] <= 1024 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
