/**
 * `wordloom start` (what `npm start` runs): the whole pipeline on the bundled data with progress bars — word
 * vectors, GloVe co-occurrence ratios, the SST sentiment model, a quick memory sweep — cached in .wordloom-cache/
 * (a second start is instant; --retrain recomputes), the headline tables, then the playground on
 * http://127.0.0.1:<port>/ (--no-serve for scripted runs).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultSteps, renderReport, runPipeline, STEP_NAMES } from '../../tasks/start/index.ts';
import { WordloomError } from '../../util/errors.ts';
import { terminalProgress } from '../progress-bar.ts';
import { intArg } from '../options.ts';
import { serve, serveOptions } from './serve.ts';

interface StartFlags {
  serve: boolean; retrain?: boolean | string; port: number; host: string; cache: string; data: string; threads: number; json?: boolean; log?: boolean; quick?: boolean; reviewModel?: string; allowHost?: string[];
}

function packageVersion(): string {
  const p = fileURLToPath(new URL('../../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
}

export function register(program: Command): void {
  serveOptions(program.command('start')
    .description('train everything on the bundled data (cached), print the headline tables, serve the playground'))
    .option('--no-serve', 'stop after the pipeline and the tables (scripted runs)')
    .option('--retrain [steps]', `recompute cached steps (all, or a comma-separated list of ${STEP_NAMES.join(', ')})`)
    .option('--data <dir>', 'folder of the bundled data', 'data')
    .option('--threads <n>', 'worker threads for training', intArg(1, 64), 2)
    .option('--quick', 'train the sentiment model on whole sentences only, ≤ 5 epochs (a few minutes instead of ~10–15)')
    .option('--json', 'print the step reports as JSON on stdout instead of the tables')
    .action(async (o: StartFlags, cmd: Command) => {
      let retrain: boolean | string[] = false;
      if (o.retrain === true) retrain = true;
      else if (typeof o.retrain === 'string') {
        retrain = o.retrain.split(',').map((s) => s.trim()).filter(Boolean);
        const bad = retrain.filter((s) => !(STEP_NAMES as readonly string[]).includes(s));
        if (bad.length) throw new WordloomError(`unknown step(s) ${bad.join(', ')}; steps are ${STEP_NAMES.join(', ')}`, { flag: '--retrain' });
      }
      const say = (line: string) => process.stderr.write(line + '\n');
      say(`wordloom start: training on ${o.data}/ (cache: ${o.cache}/)`);
      const reports = await runPipeline(defaultSteps(o.data, o.threads, { quick: o.quick }), {
        cacheDir: o.cache, dataDir: o.data, retrain, progress: terminalProgress(), log: say, threads: o.threads, codeVersion: packageVersion(),
      });
      if (o.json) process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
      else process.stdout.write('\n' + renderReport(reports) + '\n\n');
      const failed = reports.filter((r) => r.status === 'failed');
      if (!o.serve) {
        if (failed.length) throw new WordloomError(`${failed.length} step(s) failed: ${failed.map((f) => f.name).join(', ')} (see above)`);
        return;
      }
      if (failed.length) say(`note: ${failed.map((f) => f.name).join(', ')} failed; the playground shows those parts as not available`);
      try {
        await serve({ port: o.port, host: o.host, cache: o.cache, log: o.log, reviewModel: o.reviewModel, allowHost: o.allowHost });
      } catch (e) {
        // The default port is taken (another playground?): take any free one rather than failing after training.
        if (!(e instanceof WordloomError && e.flag === '--port' && cmd.getOptionValueSource('port') === 'default')) throw e;
        say(`port ${o.port} is in use; serving on a free port instead`);
        await serve({ port: 0, host: o.host, cache: o.cache, log: o.log, reviewModel: o.reviewModel, allowHost: o.allowHost });
      }
    });
}
