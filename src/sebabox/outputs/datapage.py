"""The data page (ডেটা ডাউনলোড): every bulk file with its size, the licence, the columns, examples,
and a schema.org Dataset description (JSON-LD) for search engines."""

from __future__ import annotations

import json
from decimal import Decimal

from markupsafe import Markup

from sebabox import bengali
from sebabox.outputs import bulk, datapackage as dp, national
from sebabox.outputs.national import national_path
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


def data_page(written, site_url: str | None, generated: str, site_name: str, names: dict | None = None) -> str:
    """Markdown of the data page; `written` is what opendata.write_open_data reported; `names`: offices' names
    (a site in parts names each part after its top office)."""
    import datetime as dt

    parts = written.parts
    tables = [{"name": name, "description": description, "columns": columns,
               "csv": f"data/national/{name}.csv", "json": f"data/national/{name}.json"}
              for name, (description, columns) in dp.TABLES.items()]
    for table in tables if parts else []:  # sizes of all parts together
        for ext in ("csv", "json"):
            table[f"{ext}_size"] = sum(written.sizes[national_path(table["name"], ext, p.name)] for p in parts)
            table[f"{ext}_first"] = national_path(table["name"], ext, parts[0].name)
    years = [(fy, bulk.fiscal_year_zip_path(fy)) for fy in written.fiscal_years] if not parts else []
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    return render_template(
        "data.md.j2", tables=tables, years=years, everything=bulk.EVERYTHING, sizes=written.sizes,
        licence=dp.LICENCE, licence_bn=dp.LICENCE_BN, page_url=PAGE_URL,
        generated=dt.date.fromisoformat(generated), example_url=base + "data/national/indicators.csv",
        parts=_part_rows(written, names or {}), fiscal_years=written.fiscal_years, base=base or "https://…/",
        jsonld=json_ld(written, base, generated, site_name, tables, years),
    )


def _part_rows(written, names: dict[str, str]) -> list[dict]:
    """One row per part: its name, the office it is named after, its offices and its zips (all, each year)."""
    rows = []
    for part in written.parts:
        top = part.tops[0]
        number = part.name[len(top) + 1:] if part.name != top else ""
        rows.append({"name": part.name, "top": names.get(top, top), "more": len(part.tops) - 1, "number": number,
                     "offices": len(part.offices), "everything": national.everything_path(part.name),
                     "years": [(fy, path) for fy in written.fiscal_years
                               if (path := national.fiscal_year_zip_path(fy, part.name)) in written.sizes]})
    return rows


def json_ld(written, base: str, generated: str, site_name: str, tables: list[dict], years) -> str:
    """schema.org Dataset; safe inside <script>: no '<' survives."""
    def url(path: str) -> str:
        return base + path

    zips = [national.everything_path(p.name) for p in written.parts] or [bulk.EVERYTHING]
    distribution = [{"@type": "DataDownload", "name": path.rsplit("/", 1)[-1], "encodingFormat": "application/zip",
                     "contentUrl": url(path), "contentSize": f"{written.sizes[path]} B"} for path in zips]
    if written.parts:  # the tables in parts: their description, which lists every part
        distribution.append({"@type": "DataDownload", "name": "datapackage.json", "encodingFormat": "application/json",
                             "contentUrl": url("data/datapackage.json"),
                             "contentSize": f"{written.sizes['data/datapackage.json']} B"})
    distribution += [{"@type": "DataDownload", "name": f"{t['name']}.csv", "encodingFormat": "text/csv",
                      "contentUrl": url(t["csv"]), "contentSize": f"{written.sizes[t['csv']]} B"}
                     for t in tables if not written.parts]
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
    if written.fiscal_years:
        first, last = written.fiscal_years[0], written.fiscal_years[-1]
        data["temporalCoverage"] = (f"{bengali.fiscal_year_start(first)}-07-01/"
                                    f"{bengali.fiscal_year_start(last) + 1}-06-30")
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # JSON, not HTML: a <script> body is not entity-decoded
