"""The generated pages in MkDocs' sitemap.xml (and .gz): MkDocs lists only the pages it built itself.

Past 50,000 addresses (the sitemap protocol's limit per file) the addresses go to sitemap-N.xml files
and sitemap.xml becomes their index. Nothing is written when the site has no `site_url`: MkDocs'
sitemap is empty then too, since a sitemap needs absolute addresses.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
from pathlib import Path
from xml.sax.saxutils import escape

LIMIT = 50_000
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def add_urls(site_dir: Path, urls: list[str]) -> None:
    sitemap = site_dir / "sitemap.xml"
    if not urls or not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    existing = re.findall(r"<loc>(.*?)</loc>", text)
    entries = [f"<url><loc>{loc}</loc></url>" for loc in existing]
    entries += [f"<url><loc>{escape(url)}</loc></url>" for url in urls]
    mtime = _gzip_mtime(site_dir / "sitemap.xml.gz")
    if len(entries) <= LIMIT:
        _write(site_dir, "sitemap.xml", _urlset(entries), mtime)
        return
    base = existing[0].rsplit("/", 1)[0] + "/" if existing else urls[0].split("/offices/")[0] + "/"
    parts = []
    for number, start in enumerate(range(0, len(entries), LIMIT), 1):
        name = f"sitemap-{number}.xml"
        _write(site_dir, name, _urlset(entries[start:start + LIMIT]), mtime, gz=False)
        parts.append(f"<sitemap><loc>{escape(base + name)}</loc></sitemap>")
    _write(site_dir, "sitemap.xml", f"{_HEAD}<sitemapindex {_NS}>\n" + "\n".join(parts) + "\n</sitemapindex>\n", mtime)


def _urlset(entries: list[str]) -> str:
    return f"{_HEAD}<urlset {_NS}>\n" + "\n".join(entries) + "\n</urlset>\n"


def _gzip_mtime(path: Path) -> int:
    """The time MkDocs put in its own sitemap.xml.gz header (SOURCE_DATE_EPOCH or the build's), kept."""
    try:
        return struct.unpack("<I", path.read_bytes()[4:8])[0]
    except (OSError, struct.error):
        return 0


def _write(site_dir: Path, name: str, text: str, mtime: int, gz: bool = True) -> None:
    data = text.encode("utf-8")
    (site_dir / name).write_bytes(data)
    if gz:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, filename=name + ".gz", mode="wb", mtime=mtime) as handle:
            handle.write(data)
        (site_dir / f"{name}.gz").write_bytes(buffer.getvalue())
