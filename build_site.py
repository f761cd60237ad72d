#!/usr/bin/env python3
"""sebabox command line: `python build_site.py check|build|serve|schema|new-office|import-xlsx|xlsx-template …` (see README)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from sebabox.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
