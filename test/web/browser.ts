// E2E helpers: build the page when it is missing or older than its sources, launch Debian's headless Chromium
// through playwright-core with a fresh profile, and save screenshots under test-output/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.WORDLOOM_CHROMIUM ?? '/usr/bin/chromium';
export const PAGE_DIR = 'build/web';
export const SHOT_DIR = 'test-output';

function newestMtime(dir: string): number {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return t;
}

/** Make sure build/web is there and newer than web/ and src/ (rebuilds with vite otherwise). */
export function ensurePageBuilt(): void {
  const index = join(PAGE_DIR, 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < Math.max(newestMtime('web'), newestMtime('src')); // the page bundles src/ (inference code)
  if (!stale) return;
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

export interface Browser { context: BrowserContext; close(): Promise<void> }

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'wordloom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

export function shotPath(name: string): string {
  mkdirSync(SHOT_DIR, { recursive: true });
  return join(SHOT_DIR, `${name}.png`);
}
