// Text of each PDF as pdf.js (Firefox's PDF viewer) extracts it for find and copy.
//
//   node pdfjs_text.mjs PDFJS_DIR FILE.pdf...   -> JSON {file: text} on stdout
//
// PDFJS_DIR is a directory where `npm install pdfjs-dist` was run (benchmarks/pdf_text.py
// does that into its cache); nothing is installed into the repository.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, ...files] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(join(dir, "node_modules/pdfjs-dist/legacy/build/pdf.mjs")).href);

const result = {};
for (const file of files) {
  const data = new Uint8Array(readFileSync(file));
  const doc = await pdfjs.getDocument({ data, verbosity: 0, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    // As Firefox's find bar joins a page's text: items in order, a line end where pdf.js marks one.
    pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
  }
  result[file] = pages.join("\f");
  await doc.destroy();
}
process.stdout.write(JSON.stringify(result));
