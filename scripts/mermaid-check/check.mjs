#!/usr/bin/env node
// check.mjs runs Mermaid's own parser over diagrams.
//
//   node check.mjs FILE...      each file: a .mmd diagram, or Markdown whose
//                               ```mermaid fenced blocks are the diagrams
//   node check.mjs < FILE       the same for standard input
//   node check.mjs -q ...       print only failures and the final count
//
// Every diagram goes through `await mermaid.parse(src)`, the parser Mermaid
// renders with. Exit status: 0 when every diagram parses, 1 when one does
// not (each failure is printed with its file, block and Mermaid's message),
// 2 on a usage error or an unreadable file. Nothing is fetched: mermaid and
// jsdom come from this directory's node_modules (npm ci).
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid wants a DOM even to parse (its sanitizer and config code touch
// window and document), so give it jsdom's before importing it.
const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// Mermaid logs parse errors itself on top of throwing them; keep the output
// to our own report.
for (const k of ['error', 'warn', 'info', 'debug']) console[k] = () => {};
const say = (s) => process.stdout.write(s + '\n');
const complain = (s) => process.stderr.write(s + '\n');

let quiet = false;
const files = [];
for (const a of process.argv.slice(2)) {
  if (a === '-q') quiet = true;
  else if (a === '-h' || a === '--help') {
    say('usage: node check.mjs [-q] [FILE...]   (no FILE: standard input)');
    process.exit(0);
  } else files.push(a);
}

// diagrams splits a file into its diagrams: the ```mermaid blocks of a
// Markdown file, or the whole text.
function diagrams(text) {
  const fence = /^```mermaid[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  const out = [];
  let m;
  while ((m = fence.exec(text)) !== null) {
    out.push({ src: m[1], line: text.slice(0, m.index).split('\n').length + 1 });
  }
  if (out.length === 0 && text.trim() !== '') out.push({ src: text, line: 1 });
  return out;
}

let total = 0;
let failed = 0;
const inputs = files.length ? files : ['-'];
for (const f of inputs) {
  let text;
  try {
    text = readFileSync(f === '-' ? 0 : f, 'utf8');
  } catch (e) {
    complain(`${f}: ${e.message}`);
    process.exit(2);
  }
  const ds = diagrams(text);
  for (const [i, d] of ds.entries()) {
    total++;
    const where = ds.length > 1 ? `${f} (diagram ${i + 1}, line ${d.line})` : f;
    try {
      await mermaid.parse(d.src);
      if (!quiet) say(`ok   ${where}`);
    } catch (e) {
      failed++;
      complain(`FAIL ${where}: ${String(e.message || e).trim()}`);
    }
  }
}
say(`${total - failed} of ${total} diagrams parse`);
process.exit(failed ? 1 : 0);
