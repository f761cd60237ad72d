"""Build-time SVG charts: horizontal bars of achieved against possible, no JavaScript, no CDN.

Each chart carries a <title> and <desc> and sits beside a table with the same numbers,
which is its text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from sebabox.bengali import bn_number, bn_score, to_bengali_digits


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    maximum: Decimal
    href: str | None = None


ROW = 26
LABEL_W = 260
BAR_W = 300
PAD = 8


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[Bar], title: str) -> Markup:
    """Achieved (dark) over possible (light) per bar; value printed as 'অর্জন / সর্বোচ্চ'."""
    height = PAD * 2 + ROW * len(bars)
    width = LABEL_W + BAR_W + 110
    parts = [
        f'<svg class="sb-chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape('; '.join(f'{b.label}: {bn_score(b.value)} / {bn_number(b.maximum)}' for b in bars))}</desc>",
    ]
    for i, bar in enumerate(bars):
        y = PAD + i * ROW
        share = (bar.value / bar.maximum) if bar.maximum else Decimal(0)
        share = max(Decimal(0), min(share, Decimal(1)))
        label = escape(_short(bar.label))
        text = f'<text x="{LABEL_W - 6}" y="{y + 16}" text-anchor="end" font-size="12">{label}</text>'
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        parts += [
            text,
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="{ROW - 8}" fill="#dfe9e1"/>',
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{(share * BAR_W):.1f}" height="{ROW - 8}" fill="#2e7d32"/>',
            f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 16}" font-size="12">'
            f"{bn_score(bar.value)} / {bn_number(bar.maximum)}</text>",
        ]
    parts.append("</svg>")
    return Markup("\n".join(parts))


def document_charts(doc) -> Markup:
    """Per performance area and per indicator: achieved score against weight."""
    if doc.score is None:
        return Markup("")
    areas = [Bar(f"{to_bengali_digits(a.area.id)} {a.area.name}", a.score or Decimal(0), a.area.weight) for a in doc.areas]
    rows = [Bar(f"{to_bengali_digits(r.indicator.id)} {r.indicator.name}", r.score.value if r.score else Decimal(0), r.indicator.weight)
            for a in doc.areas for r in a.rows]
    return (bar_chart(areas, "কর্মসম্পাদনের ক্ষেত্র অনুযায়ী অর্জিত মান ও মোট মান")
            + Markup("\n") + bar_chart(rows, "সূচক অনুযায়ী অর্জিত মান ও সূচকের মান"))
