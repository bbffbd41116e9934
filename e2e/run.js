// Runs the end-to-end test files (`npm test`; `npm test -- tests/x.test.js ...` for some) with
// node:test and the spec reporter, like `node --test --test-concurrency=1 --test-reporter=spec`,
// except that the files in ALONGSIDE run at the same time as the others.
//
// Most files run one at a time: they start nodes on a two-core CI machine, and the 4-validator
// ones (local-testnet, validators) measure consensus timing. A file in ALONGSIDE starts its own
// network that no other file touches and spends most of its time waiting for it (equivocation:
// 5 nodes, a few minutes), so it runs in parallel instead of adding its duration to the suite.
// Its report is printed when the other files are done. Ports are claimed across the concurrent
// test processes through $PERSPECTIVE_E2E_PORTS (see lib/node.js).
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { finished } from 'node:stream/promises';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALONGSIDE = ['equivocation.test.js'];

process.chdir(dirname(fileURLToPath(import.meta.url)));
const requested = process.argv.slice(2);
const files = requested.length > 0
  ? requested
  : readdirSync('tests').filter((f) => f.endsWith('.test.js')).sort().map((f) => join('tests', f));
const alongside = files.filter((f) => ALONGSIDE.includes(basename(f)));
const sequential = files.filter((f) => !ALONGSIDE.includes(basename(f)));

const portClaims = mkdtempSync(join(tmpdir(), 'perspective-e2e-ports-'));
process.env.PERSPECTIVE_E2E_PORTS = portClaims; // inherited by the test processes
process.on('exit', () => rmSync(portClaims, { recursive: true, force: true }));

let failed = false;
/** Runs `group` (one file at a time) and returns its spec report as a readable stream. */
function report(group) {
  const stream = run({ files: group, concurrency: 1 });
  stream.on('test:fail', () => { failed = true; });
  return stream.compose(new spec());
}

async function runAlongside() {
  if (alongside.length === 0) return '';
  let text = '';
  for await (const chunk of report(alongside)) text += chunk;
  return text;
}

async function runSequential() {
  if (sequential.length === 0) return;
  const out = report(sequential);
  out.pipe(process.stdout, { end: false });
  await finished(out);
}

const [alongsideReport] = await Promise.all([runAlongside(), runSequential()]);
if (alongsideReport) {
  process.stdout.write(`\n# ---- ${alongside.join(', ')} (ran alongside the other files) ----\n`);
  process.stdout.write(alongsideReport);
}
if (failed) process.exitCode = 1;
