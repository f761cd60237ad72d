"""Generate N synthetic offices from the national templates: python benchmarks/generate.py N OUT_PLANS_DIR

The offices span the hierarchy (ministry → directorates → districts → upazilas); each has an APA,
the governance annexes of its level and four quarters of progress. The output passes `check`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sebabox.errors import SebaboxError
from sebabox.tools.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of offices")
    parser.add_argument("out", type=Path, help="new plans directory to write")
    parser.add_argument("--templates", type=Path, default=ROOT / "plans",
                        help="plans directory holding _templates/<fy>/ (default: the shipped plans/)")
    parser.add_argument("--fiscal-year", default="2023-24")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        files = generate(args.n, args.out, args.templates, args.fiscal_year, args.seed)
    except SebaboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.n} offices, {files} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
