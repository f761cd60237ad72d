"""Build-time charts as HTML and CSS: horizontal bars of achieved against possible, no JavaScript, no CDN.

Plain HTML rather than SVG so the text keeps the page's own size on a phone (an SVG scaled to a
358 px screen printed its 12 px labels at 6 px). Each bar is a list item whose text says everything
the bar shows (label, achieved / possible), so the chart needs no other text alternative; the
bars themselves are decoration (aria-hidden). Every number is in Bengali digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from sebabox.bengali import QUARTER_NAMES, bn_number, bn_score, to_bengali_digits


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    maximum: Decimal
    href: str | None = None


@dataclass(frozen=True)
class QuarterPoint:
    """One quarter of a document: the score its quarter targets would give by then, and the score achieved."""

    quarter: int
    planned: Decimal | None  # None: the plan has no quarter targets
    achieved: Decimal | None  # None: not reported yet


def _share(value: Decimal, maximum: Decimal) -> str:
    share = (value / maximum) if maximum else Decimal(0)
    return f"{max(Decimal(0), min(share, Decimal(1))) * 100:.1f}%"


def _bar(css: str, value: Decimal, maximum: Decimal) -> str:
    return (f'<span class="sb-bar {css}" aria-hidden="true"><span style="width:{_share(value, maximum)}"></span></span>')


def bar_chart(bars: list[Bar], title: str) -> Markup:
    """Achieved (dark) over possible (light) per bar; value printed as 'অর্জন / সর্বোচ্চ'."""
    items = []
    for bar in bars:
        label = escape(bar.label)
        if bar.href:
            label = Markup(f'<a href="{escape(bar.href)}">{label}</a>')
        items.append(f'<li><span class="sb-bar-label">{label}</span>{_bar("", bar.value, bar.maximum)}'
                     f'<span class="sb-bar-value">{bn_score(bar.value)} / {bn_number(bar.maximum)}</span></li>')
    return Markup(f'<figure class="sb-chart"><figcaption>{escape(title)}</figcaption>\n<ol class="sb-bars">\n'
                  + "\n".join(items) + "\n</ol></figure>")


def quarter_chart(points: list[QuarterPoint], maximum: Decimal) -> Markup:
    """Q1 → Q4: the score the quarter targets aim at by each quarter's end (where the plan sets them)
    against the score achieved by then."""
    planned = any(p.planned is not None for p in points)
    title = ("ত্রৈমাসিক লক্ষ্যমাত্রা ও অর্জন: প্রতি কোয়ার্টার শেষে ত্রৈমাসিক লক্ষ্যমাত্রা পূরণ হলে যে মান হতো"
             " (যেসব সূচকে তা দেওয়া আছে) ও অর্জিত মান" if planned
             else "কোয়ার্টার শেষে অর্জিত মান (এই পরিকল্পনায় ত্রৈমাসিক লক্ষ্যমাত্রা নেই)")
    items = []
    for p in points:
        rows = []
        if planned:
            rows.append(_pair("লক্ষ্যমাত্রা", "sb-bar--target", p.planned, maximum))
        rows.append(_pair("অর্জন", "", p.achieved, maximum))
        items.append(f'<li><span class="sb-bar-label">{QUARTER_NAMES[p.quarter - 1]}</span>{"".join(rows)}</li>')
    return Markup(f'<figure class="sb-chart sb-chart--quarters"><figcaption>{escape(title)}</figcaption>\n'
                  f'<ol class="sb-bars">\n' + "\n".join(items) + "\n</ol></figure>")


def _pair(name: str, css: str, value: Decimal | None, maximum: Decimal) -> str:
    text = (f"{bn_score(value)} / {bn_number(maximum)}" if value is not None
            else "প্রতিবেদন নেই" if name == "অর্জন" else "—")
    return (f'<span class="sb-bar-row"><span class="sb-bar-name">{name}</span>{_bar(css, value or Decimal(0), maximum)}'
            f'<span class="sb-bar-value">{text}</span></span>')


def document_charts(doc, quarters: list[QuarterPoint] = ()) -> Markup:
    """Per quarter (where the document reports by quarter), per performance area and per indicator:
    achieved score against the possible."""
    if doc.score is None:
        return Markup("")
    parts = []
    if quarters:
        parts.append(quarter_chart(list(quarters), doc.max_score))
    areas = [Bar(f"{to_bengali_digits(a.area.id)} {a.area.name}", a.score or Decimal(0), a.area.weight)
             for a in doc.areas]
    rows = [Bar(f"{to_bengali_digits(r.indicator.id)} {r.indicator.name}", r.score.value if r.score else Decimal(0),
                r.indicator.weight) for a in doc.areas for r in a.rows]
    parts.append(bar_chart(areas, "কর্মসম্পাদনের ক্ষেত্র অনুযায়ী অর্জিত মান ও মোট মান"))
    parts.append(bar_chart(rows, "সূচক অনুযায়ী অর্জিত মান ও সূচকের মান"))
    return Markup("\n").join(parts)
