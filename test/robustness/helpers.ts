// Helpers of the robustness suite: run the CLI as a child process (a user would), a small generated corpus,
// and the check that an error reached the user as one clean line (no Node stack trace).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Rng } from '../../src/util/rng.ts';

export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** Run `wordloom …` to completion (env merged over this process's). */
export function cli(args: string[], env: Record<string, string> = {}, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout });
}

/** Start `wordloom …` in the background; stderr is collected and every chunk is offered to `onErr`. */
export function cliAsync(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  const waiters: { re: RegExp; res: () => void }[] = [];
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) { if (w.re.test(stderr)) w.res(); else waiters.push(w); }
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return {
    child, exited,
    stderr: () => stderr,
    /** Resolves when stderr matches `re` (the caller's test timeout bounds the wait). */
    waitFor: (re: RegExp) => new Promise<void>((res) => { if (re.test(stderr)) res(); else waiters.push({ re, res }); }),
  };
}

/** The error reached the user as exactly one `wordloom: …` line matching every pattern, exit code 2, no stack. */
export function assertOneLineError(r: { status: number | null; stderr: string }, ...patterns: RegExp[]): void {
  assert.equal(r.status, 2, `exit code ${r.status}; stderr:\n${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/^wordloom: (removed|note:)/.test(l));
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^wordloom: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |node:internal|Error: /);
  for (const p of patterns) assert.match(lines[0], p);
}

/** A corpus of `lines` lines of 50 words from a 300-word vocabulary (seeded). */
export function writeCorpus(path: string, lines: number, seed = 1): void {
  const r = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(Array.from({ length: 50 }, () => `w${r.int(300)}`).join(' '));
  writeFileSync(path, out.join('\n') + '\n');
}
