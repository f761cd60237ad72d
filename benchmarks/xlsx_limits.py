"""Memory of the largest workbook import-xlsx accepts: MAX_ROWS rows, MAX_CELLS cells (xlsxlimits.py).

Prints the peak resident memory of reading it (scan + openpyxl) in a fresh process; the README
states the bound (under 500 MB). Run: .venv/bin/python benchmarks/xlsx_limits.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ = """
import resource, sys, time
from pathlib import Path
from sebabox.inputs.xlsx_import import _open
from sebabox.inputs.xlsxlimits import scan_workbook
start = time.perf_counter()
scan_workbook(Path(sys.argv[1]))
book = _open(Path(sys.argv[1]))
cells = sum(1 for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
print(cells, round(time.perf_counter() - start, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def main() -> None:
    from openpyxl import Workbook

    from sebabox.inputs.xlsxlimits import MAX_CELLS, MAX_ROWS

    columns = 10
    rows = min(MAX_ROWS, MAX_CELLS // columns) - 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "largest.xlsx"
        book = Workbook(write_only=True)
        ws = book.create_sheet("NIS")
        for r in range(rows):
            ws.append([f"{r}.{c} একটি দীর্ঘ বাংলা লেখা যা একটি ঘরে থাকে" for c in range(columns)])
        book.save(path)
        size = path.stat().st_size
        out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True)
        cells, seconds, peak = out.stdout.split()
        print(f"largest accepted workbook: {rows:,} rows x {columns} columns = {int(cells):,} cells, "
              f"{size / 1e6:.1f} MB on disk")
        print(f"read in {seconds} s, peak memory {peak} MB (bound stated in the README: 500 MB)")


if __name__ == "__main__":
    main()
