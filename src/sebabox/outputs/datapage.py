"""The data page (ডেটা ডাউনলোড): every bulk file with its size, the licence, the columns, examples,
and a schema.org Dataset description (JSON-LD) for search engines."""

from __future__ import annotations

import json
from decimal import Decimal

from markupsafe import Markup

from sebabox import bengali
from sebabox.outputs import bulk, datapackage as dp
from sebabox.outputs.render import ENV, render_template

PAGE = "open-data.md"
PAGE_URL = "open-data/"
TITLE = "ডেটা ডাউনলোড"


def human_size(size: int) -> str:
    """৪৫২ বাইট, ১২.৩ KB, ৪.৫ MB (Bengali digits, one decimal place above a kilobyte)."""
    if size < 1024:
        return f"{bengali.bn_number(size)} বাইট"
    for unit, scale in (("KB", 1024), ("MB", 1024 ** 2), ("GB", 1024 ** 3)):
        if size < scale * 1024 or unit == "GB":
            value = (Decimal(size) / scale).quantize(Decimal("0.1"))
            return f"{bengali.bn_number(value)} {unit}"
    raise AssertionError("unreachable")


ENV.filters["size"] = human_size


def office_downloads(site_dir, slug: str) -> dict:
    """An office page's open data line: its zip (with the size written) and datapackage.json."""
    zip_path = bulk.office_zip_path(slug)
    return {"zip": zip_path, "size": human_size((site_dir / zip_path).stat().st_size),
            "package": bulk.office_package_path(slug), "page": PAGE_URL}


def data_page(written, site_url: str | None, generated: str, site_name: str) -> str:
    """Markdown of the data page; `written` is what opendata.write_open_data reported."""
    import datetime as dt

    tables = [{"name": name, "description": description, "columns": columns,
               "csv": f"data/national/{name}.csv", "json": f"data/national/{name}.json"}
              for name, (description, columns) in dp.TABLES.items()]
    years = [(fy, bulk.fiscal_year_zip_path(fy)) for fy in written.fiscal_years]
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    return render_template(
        "data.md.j2", tables=tables, years=years, everything=bulk.EVERYTHING, sizes=written.sizes,
        licence=dp.LICENCE, licence_bn=dp.LICENCE_BN, page_url=PAGE_URL,
        generated=dt.date.fromisoformat(generated), example_url=base + "data/national/indicators.csv",
        jsonld=json_ld(written, base, generated, site_name, tables, years),
    )


def json_ld(written, base: str, generated: str, site_name: str, tables: list[dict], years) -> str:
    """schema.org Dataset; safe inside <script>: no '<' survives."""
    def url(path: str) -> str:
        return base + path

    distribution = [{"@type": "DataDownload", "name": bulk.EVERYTHING.rsplit("/", 1)[-1], "encodingFormat": "application/zip",
                     "contentUrl": url(bulk.EVERYTHING), "contentSize": f"{written.sizes[bulk.EVERYTHING]} B"}]
    distribution += [{"@type": "DataDownload", "name": f"{t['name']}.csv", "encodingFormat": "text/csv",
                      "contentUrl": url(t["csv"]), "contentSize": f"{written.sizes[t['csv']]} B"} for t in tables]
    distribution += [{"@type": "DataDownload", "name": path.rsplit("/", 1)[-1], "encodingFormat": "application/zip",
                      "contentUrl": url(path), "contentSize": f"{written.sizes[path]} B"} for _, path in years]
    data = {
        "@context": "https://schema.org/", "@type": "Dataset",
        "name": "সেবাবক্স: সরকারি দপ্তরের পরিকল্পনা, ত্রৈমাসিক অগ্রগতি ও অর্জিত মান",
        "alternateName": "sebabox open data: plans, quarterly progress and scores of Bangladesh government offices",
        "description": ("Annual Performance Agreements (APA) with annexes, governance action plans (NIS, e-governance, "
                        "GRS, citizen charter, RTI), citizen charters and quarterly progress reports of Bangladesh "
                        "government offices, with the scores computed by the Cabinet Division's rules, as CSV and JSON. "
                        + dp.ATTRIBUTION),
        "url": url(PAGE_URL), "license": dp.LICENCE["path"], "isAccessibleForFree": True,
        "inLanguage": ["bn", "en"], "dateModified": generated,
        "keywords": ["Bangladesh", "APA", "annual performance agreement", "government performance", "open data"],
        "spatialCoverage": {"@type": "Place", "name": "Bangladesh"},
        "creator": {"@type": "Organization", "name": site_name},
        "variableMeasured": sorted({c.name for t in tables for c in t["columns"]}),
        "distribution": distribution,
    }
    if years:
        first, last = years[0][0], years[-1][0]
        data["temporalCoverage"] = (f"{bengali.fiscal_year_start(first)}-07-01/"
                                    f"{bengali.fiscal_year_start(last) + 1}-06-30")
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # JSON, not HTML: a <script> body is not entity-decoded
