// Static import-graph walk for browser-safety tests: lists the node:* (or bare Node built-in) imports reachable from
// an entry file. `import type` is erased and skipped; guarded dynamic imports (the kernel loader's Node-only worker
// pool) are allowed by the conventions.
import { readFileSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';

export function nodeImports(entry: string, seen = new Set<string>()): string[] {
  const bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    // Static imports only (`import type` is erased; guarded dynamic imports such as the kernel loader's Node-only
    // worker pool are allowed by the conventions).
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('node:') || ['fs', 'path', 'os', 'zlib', 'child_process', 'worker_threads'].includes(spec)) bad.push(`${relative('.', file)} imports ${spec}`);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
    }
  };
  visit(resolve(entry));
  return bad;
}
