#!/usr/bin/env node
// wordloom CLI entry: runs the compiled CLI from dist/ (built by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('wordloom: dist/ is missing — run `npm ci` (or `npm run build`) in the package folder first.');
  process.exit(1);
}
await import(new URL('../dist/cli/main.js', import.meta.url).href);
