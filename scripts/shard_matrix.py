"""The publish workflow's shard matrix: `build_site.py shards` JSON lines on stdin -> `shards=[…]` for
$GITHUB_OUTPUT (a JSON list of shard names, one line).

    python build_site.py shards --plans plans | python scripts/shard_matrix.py >> "$GITHUB_OUTPUT"

A shard name becomes a job name, an artifact name, a cache key and a folder: only letters, digits,
'.', '_' and '-' pass (office slugs are made of these), anything else stops the workflow with the
line it came from. GitHub runs at most 256 jobs of one matrix: more shards stop it too, with what
to do (a larger --max-offices).
"""

from __future__ import annotations

import json
import re
import sys

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_JOBS = 256


def matrix(lines: list[str]) -> list[str]:
    names: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            name = json.loads(line)["shard"]
        except (ValueError, KeyError, TypeError):
            raise SystemExit(f"shard plan line {number}: not a JSON object with a \"shard\" name") from None
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise SystemExit(f"shard plan line {number}: the shard name {json.dumps(name, ensure_ascii=True)} may "
                             "only have letters, digits, '.', '_' and '-'")
        if name in names:
            raise SystemExit(f"shard plan line {number}: the shard {name} is listed twice")
        names.append(name)
    if not names:
        raise SystemExit("the shard plan is empty: no office to build")
    if len(names) > MAX_JOBS:
        raise SystemExit(f"{len(names)} shards, GitHub runs at most {MAX_JOBS} jobs of one matrix: raise MAX_OFFICES "
                         "in publish.yml")
    return names


def main() -> int:
    print("shards=" + json.dumps(matrix(sys.stdin.read().splitlines()), separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
