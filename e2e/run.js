// Runs the end-to-end test files (`npm test`; `npm test -- tests/x.test.js ...` for some) with
// node:test and the spec reporter, in concurrent LANES.
//
// Every file starts its own nodes on free ports and its own chain, so files never share state;
// they spend most of their time waiting for 6-second blocks, not computing. The files therefore
// run in a few lanes at once: within a lane one file at a time, the lanes side by side. The lanes
// are balanced by measured duration, and the multi-validator files that measure consensus timing
// (local-testnet, validators) share a lane so that at most one 4-validator network runs next to
// the equivocation network. A file in no lane (a new one) joins the last lane. Files named on the
// command line run in one lane, one at a time. PERSPECTIVE_E2E_LANES=1 runs everything in one lane.
//
// Each lane's spec report is printed when the lane is done, so reports never interleave. Ports
// are claimed across the concurrent test processes through $PERSPECTIVE_E2E_PORTS (lib/node.js).
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Seconds measured on the 2-core CI machine, in brackets.
const LANES = [
  // Two 4-validator networks, one after the other [≈ 640 s].
  ['validators.test.js', 'local-testnet.test.js'],
  // Two dev chains and a 5-node network, started once the lanes' first networks are up [≈ 680 s].
  ['contributions.test.js', 'equivocation.test.js', 'appeals.test.js'],
  // Dev chains and CLI subcommands [≈ 560 s].
  ['governance.test.js', 'evaluation.test.js', 'council-dust.test.js', 'cli-subcommands.test.js',
    'dev-chain.test.js', 'startup-errors.test.js', 'compose.test.js'],
  // The `perspective` CLI and its agents on a dev chain: mostly waiting for evaluation windows
  // and an epoch, so it runs beside the others [≈ 320 s].
  ['perspective-cli.test.js'],
];

process.chdir(dirname(fileURLToPath(import.meta.url)));
const requested = process.argv.slice(2);
const all = requested.length > 0
  ? requested
  : readdirSync('tests').filter((f) => f.endsWith('.test.js')).sort().map((f) => join('tests', f));

function lanesOf(files) {
  if (requested.length > 0 || process.env.PERSPECTIVE_E2E_LANES === '1') return [files];
  const lanes = LANES.map((names) => names.map((n) => join('tests', n)).filter((f) => files.includes(f)));
  const placed = new Set(lanes.flat());
  lanes[lanes.length - 1].push(...files.filter((f) => !placed.has(f)));
  return lanes.filter((lane) => lane.length > 0);
}

const portClaims = mkdtempSync(join(tmpdir(), 'perspective-e2e-ports-'));
process.env.PERSPECTIVE_E2E_PORTS = portClaims; // inherited by the test processes
process.on('exit', () => rmSync(portClaims, { recursive: true, force: true }));

let failed = false;
const started = Date.now();

/** Runs `lane` one file at a time; prints its spec report once the lane is done. */
async function runLane(lane, index, count) {
  const stream = run({ files: lane, concurrency: 1 });
  stream.on('test:fail', () => { failed = true; });
  let text = '';
  for await (const chunk of stream.compose(new spec())) text += chunk;
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\n# ---- lane ${index + 1}/${count}: ${lane.map((f) => basename(f)).join(', ')} (done after ${seconds} s) ----\n`);
  process.stdout.write(text);
}

const lanes = lanesOf(all);
await Promise.all(lanes.map((lane, i) => runLane(lane, i, lanes.length)));
process.stdout.write(`\n# e2e wall time: ${Math.round((Date.now() - started) / 1000)} s in ${lanes.length} lane(s)\n`);
if (failed) process.exitCode = 1;
