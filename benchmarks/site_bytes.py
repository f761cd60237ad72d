"""What takes the space in a built site: python benchmarks/site_bytes.py SITE_DIR [--offices N]

Prints one table of every file by category (HTML by kind of page, open data by kind of file, PDFs,
search index, theme assets): files, MB, KB per office, share of the site and the gzip ratio (what a
server that compresses sends), then what the HTML's bytes are made of (the theme's header and
navigation, tables' per-cell labels and classes, whitespace, …). `run.py` prints the same tables
for each N it builds.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

QUARTER_PAGE = re.compile(r"-q[1-4]$")
DOCUMENT_FILE = re.compile(r"-\d{4}-\d{2}-")

# Parts of an HTML page, measured by pattern (they may overlap: the header holds a <nav> and SVG icons).
HTML_PARTS = {
    "theme head (<head>)": r"<head>.*?</head>",
    "theme header bar": r"<header\b.*?</header>",
    "theme navigation (<nav class=md-nav)": r'<nav class="md-nav\b.*?</nav>',
    "theme footer": r"<footer\b.*?</footer>",
    "scripts": r"<script\b.*?</script>",
    "inline SVG icons": r"<svg\b.*?</svg>",
    "tables (<table>)": r"<table\b.*?</table>",
    "  cell labels for phones (data-label=)": r' data-label="[^"]*"',
    "  class attributes": r' class="[^"]*"',
    "  score explanations (title=)": r' title="[^"]*"',
    "  rowspan=\"1\" (redundant)": r' rowspan="1"',
    "indentation (newline + spaces)": r"\n[ \t]+",
}
_PARTS = {name: re.compile(pattern, re.S) for name, pattern in HTML_PARTS.items()}


def category(rel: Path) -> str:
    """The category of one file of the site, by its path relative to the site root."""
    parts, name, suffix = rel.parts, rel.name, rel.suffix
    top = parts[0] if len(parts) > 1 else ""
    if suffix == ".html":
        if top == "offices":
            if len(parts) == 3:
                return "HTML: office home pages"
            return "HTML: quarterly report pages" if QUARTER_PAGE.search(parts[-2]) else "HTML: plan pages"
        return "HTML: home, roll-ups, status, help"
    if top == "pdf":
        return "PDFs"
    if top == "data":
        if len(parts) == 2:
            return "data: offices.json, status, national datapackage"
        if parts[1] == "bulk":
            return "data: bulk zips (everything, each year)"
        if parts[1] == "national":
            return f"data: national tables ({suffix[1:]})"
        if name.endswith("-open-data.zip"):
            return "data: office zips"
        if name.startswith("schema-") or name == "datapackage.json":
            return "data: office datapackage + schemas"
        if DOCUMENT_FILE.search(name):
            return f"data: document files ({suffix[1:]})"
        return f"data: office tables ({suffix[1:]})"
    if top == "pagefind":
        return "search index (pagefind/)"
    if top == "assets":
        return "theme assets (CSS, JS, fonts)"
    return "other (sitemap, 404, robots)"


def measure(site: Path) -> dict:
    """{'categories': {name: [files, bytes, gzip bytes]}, 'html': {part: bytes}, 'html_bytes', 'total'}."""
    cats: dict[str, list[int]] = {}
    html_parts: Counter = Counter()
    html_bytes = 0
    for path in sorted(Path(folder, name) for folder, _, names in os.walk(site, followlinks=True) for name in names):
        # (through the folder links of a merged site: its office folders link into the shards' builds)
        rel = path.relative_to(site)
        data = path.read_bytes()
        entry = cats.setdefault(category(rel), [0, 0, 0])
        entry[0] += 1
        entry[1] += len(data)
        entry[2] += len(zlib.compress(data, 6)) if path.suffix in (".html", ".json", ".csv", ".js", ".css", ".xml", ".txt") else len(data)
        if path.suffix == ".html":
            html_bytes += len(data)
            text = data.decode("utf-8", "replace")
            for part, pattern in _PARTS.items():
                html_parts[part] += sum(len(m.group(0).encode("utf-8")) for m in pattern.finditer(text))
    return {"categories": cats, "html": dict(html_parts), "html_bytes": html_bytes,
            "total": sum(c[1] for c in cats.values())}


def table(result: dict, offices: int) -> str:
    """The measurement as two Markdown tables: by category, then the parts of the HTML."""
    total = result["total"] or 1
    lines = ["category | files | MB | KB/office | share | gzip", "--- | ---: | ---: | ---: | ---: | ---:"]
    for name, (files, size, packed) in sorted(result["categories"].items(), key=lambda kv: -kv[1][1]):
        lines.append(f"{name} | {files} | {size / 1e6:.2f} | {size / 1e3 / offices:.1f} | {size / total:.1%} | "
                     f"{packed / max(size, 1):.0%}")
    lines.append(f"**all** | {sum(c[0] for c in result['categories'].values())} | {total / 1e6:.2f} | "
                 f"{total / 1e3 / offices:.1f} | 100% | "
                 f"{sum(c[2] for c in result['categories'].values()) / total:.0%}")
    html = result["html_bytes"] or 1
    lines += ["", "HTML made of | MB | KB/office | share of HTML", "--- | ---: | ---: | ---:"]
    for part, size in result["html"].items():
        lines.append(f"{part} | {size / 1e6:.2f} | {size / 1e3 / offices:.1f} | {size / html:.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--offices", type=int, help="number of offices (default: the folders under offices/)")
    args = parser.parse_args(argv)
    offices = args.offices or sum(1 for p in (args.site / "offices").iterdir() if p.is_dir())
    print(f"{args.site}: {offices} offices")
    print(table(measure(args.site), offices))
    return 0


if __name__ == "__main__":
    sys.exit(main())
