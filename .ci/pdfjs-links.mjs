// Link elements of a tagged PDF as pdf.js sees them, on every page (the
// shared pdfjs-struct.mjs reads page 1 only, and the links are on page 2):
// each Link element's text and the annotation its OBJR points at, and each
// link annotation's structParent. Exits 1 unless every link annotation is
// the child of a Link element.
// usage: node .ci/pdfjs-links.mjs FILE.pdf   (pdfjs-dist from `npm root -g`, or $PDFJS_DIST)
import { execSync } from "child_process";
import fs from "fs";
const root = process.env.PDFJS_DIST || execSync("npm root -g").toString().trim() + "/pdfjs-dist";
const pdfjs = await import(root + "/legacy/build/pdf.mjs");
const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
let annots = 0, linked = 0;
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const tc = await page.getTextContent({ includeMarkedContent: true });
  const text = {}; const open = [];
  for (const it of tc.items) {
    if (it.type === "beginMarkedContentProps" || it.type === "beginMarkedContent") open.push(it.id || it.tag);
    else if (it.type === "endMarkedContent") open.pop();
    else if (it.str !== undefined && open.length) text[open.at(-1)] = (text[open.at(-1)] || "") + it.str;
  }
  const targets = new Set();
  const walk = (node) => {
    if (node.role === "Link") {
      const words = (node.children || []).filter((c) => c.type === "content").map((c) => text[c.id] || "").join("");
      const objects = (node.children || []).filter((c) => c.type === "object" || c.type === "annotation").map((c) => c.id);
      objects.forEach((id) => targets.add(id));
      console.log(`p${n} Link ${JSON.stringify(words)} -> annotation ${objects.join(", ") || "none"}`);
    }
    (node.children || []).forEach(walk);
  };
  walk((await page.getStructTree()) || {});
  for (const a of await page.getAnnotations()) {
    if (a.subtype !== "Link") continue;
    annots++;
    const ok = targets.has(a.id);
    if (ok) linked++;
    console.log(`p${n} annotation ${a.id} ${a.url} structParent=${a.structParent} contents=${JSON.stringify(a.contentsObj?.str)}${ok ? "" : "  NOT IN A LINK ELEMENT"}`);
  }
}
console.log(`${linked} of ${annots} link annotations are children of Link elements`);
process.exit(annots > 0 && linked === annots ? 0 : 1);
