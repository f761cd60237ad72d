"""The site engine layer (MkDocs + Material): engine.py runs a build or the preview, plugin.py makes the
generated pages, rawhtml.py the Markdown bypass. Nothing outside this package imports mkdocs.

Material's end-of-life banner is a print (not a log line) made only when the `mkdocs` command runs;
`build_site.py` never shows it. For `mkdocs build` itself, NO_MKDOCS_2_WARNING=1 turns it off."""
