// The `perspective` command line end to end on a real `perspective-node --dev`, driven only
// through the binary (no @polkadot/api calls that change state): three evaluator agents
// (`eval run` with the example scorer) follow the chain by themselves; Alice registers a dataset
// file; the agents are drawn, score it, commit and reveal; one agent is killed right after it
// committed and restarted from its state file, and still reveals; the contribution is accepted;
// Alice claims her reward and her balance grows by exactly amount − fee; a second claim fails
// with the chain's typed error; Bob proposes and votes on a referendum; Ferdie generates session
// keys in the node and applies to validate. Agent RSS and CPU are printed for the record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startDevNode, waitFor, rssMiB } from '../lib/node.js';

const UNIT = 10n ** 12n;

/** Path of the `perspective` binary: $PERSPECTIVE_CLI_BIN, else $CARGO_TARGET_DIR/release. */
function cliBinary() {
  if (process.env.PERSPECTIVE_CLI_BIN) return process.env.PERSPECTIVE_CLI_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'perspective', 'target');
  const bin = join(target, 'release', 'perspective');
  if (!existsSync(bin)) throw new Error(`perspective not found at ${bin}: run ./scripts/build.sh`);
  return bin;
}

let node;
let dir;
const agents = {};

before(async () => {
  node = await startDevNode();
  dir = mkdtempSync(join(tmpdir(), 'perspective-cli-e2e-'));
});

after(async () => {
  for (const agent of Object.values(agents)) agent.child.kill('SIGKILL');
  if (node) await node.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI as `name` (the secret only in the environment); returns { status, json, stderr }. */
function cli(name, args) {
  const env = { ...process.env, PERSPECTIVE_SURI: name ? `//${name}` : '' };
  const res = spawnSync(cliBinary(), ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--json', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  let json = null;
  const line = res.stdout.trim().split('\n').pop();
  try { json = JSON.parse(line); } catch { /* not JSON */ }
  return { status: res.status, json, stdout: res.stdout, stderr: res.stderr };
}

function cliOk(name, args) {
  const res = cli(name, args);
  assert.equal(res.status, 0, `perspective ${args.join(' ')} failed: ${res.stdout}\n${res.stderr}`);
  return res.json;
}

/** Starts `eval run` for `name`, collecting its JSON progress lines. */
function startAgent(name, reference) {
  const scorer = `python3 ${join(REPO_ROOT, 'client', 'examples', 'scorer.py')} --reference ${reference}`;
  const child = spawn(cliBinary(), ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--json', 'eval', 'run',
    '--scorer', scorer, '--state', join(dir, `agent-${name}.json`), '--file-root', join(dir, 'data')], {
    env: { ...process.env, PERSPECTIVE_SURI: `//${name}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const agent = { child, lines: [], stderr: '' };
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try { agent.lines.push(JSON.parse(line)); } catch { agent.lines.push({ event: 'text', line }); }
    }
  });
  child.stderr.on('data', (chunk) => { agent.stderr += chunk.toString(); });
  agents[name] = agent;
  return agent;
}

const seen = (agent, event, task) => agent.lines.some((l) => l.event === event && (task === undefined || l.task === task));

/** CPU seconds (user + system) of a process and its finished children (the scorer), from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** On a failure, what each agent printed (its progress lines and stderr), to see why. */
function dumpAgents() {
  for (const [name, agent] of Object.entries(agents)) {
    console.log(`--- agent ${name} (exit ${agent.child.exitCode}) ---`);
    for (const line of agent.lines.slice(-40)) console.log(JSON.stringify(line));
    if (agent.stderr) console.log(`stderr: ${agent.stderr.slice(-2000)}`);
  }
}

test('agents evaluate a dataset registered through the CLI; a killed agent still reveals; rewards are claimed', async (t) => {
  try {
    await agentsFlow();
  } catch (error) {
    dumpAgents();
    throw error;
  }
});

async function agentsFlow() {
  const evaluators = ['Bob', 'Charlie', 'Dave'];
  for (const name of evaluators) cliOk(name, ['eval', 'register', '200']);
  const status = cliOk('Bob', ['eval', 'status']);
  assert.equal(BigInt(status.evaluator.bond), 200n * UNIT);

  // The agents may read file:// URIs only under data/ (their state files are beside it).
  mkdirSync(join(dir, 'data'));
  const dataset = join(dir, 'data', 'dataset.txt');
  writeFileSync(dataset, 'id,text\n1,the cat sat on the mat\n2,a dog barked\n');
  // The reference equals the dataset: the example scorer gives 100 on every criterion.
  for (const name of evaluators) startAgent(name, dataset);
  await waitFor('agents started', async () => evaluators.every((n) => seen(agents[n], 'started')), { timeoutMs: 60_000 });
  // Idle: following blocks with nothing drawn, for 5 blocks.
  const usage = (n) => ({ rss: rssMiB(agents[n].child.pid), cpu: cpuSeconds(agents[n].child.pid), at: Date.now() });
  const start = Object.fromEntries(evaluators.map((n) => [n, usage(n)]));
  await new Promise((r) => setTimeout(r, 30_000));
  const idle = Object.fromEntries(evaluators.map((n) => [n, usage(n)]));

  const registered = cliOk('Alice', ['contrib', 'register', '--file', dataset, '--kind', 'dataset', '--metadata', '{"rows":2}']);
  assert.ok(Number.isInteger(registered.id), JSON.stringify(registered));
  assert.ok(Number.isInteger(registered.task), `no evaluation task: ${JSON.stringify(registered)}`);
  const task = registered.task;

  // Kill the first agent that commits, right after its commitment is on chain, and restart it.
  const killed = await waitFor('an agent committed', async () => evaluators.find((n) => seen(agents[n], 'committed', task)), { timeoutMs: 120_000 });
  agents[`${killed} (killed)`] = agents[killed];
  agents[killed].child.kill('SIGKILL');
  await new Promise((r) => agents[killed].child.on('exit', r));
  const restarted = startAgent(killed, dataset);
  await waitFor(`${killed} revealed after its restart`, async () => seen(restarted, 'revealed', task), { timeoutMs: 180_000 });
  assert.ok(!seen(restarted, 'scored', task), 'the restarted agent scored again instead of using its saved salt');

  // The panel is drawn by lot, by bond: an evaluator may get no seat (seen in CI: Charlie ×5,
  // Dave ×2, Bob none). Those drawn reveal; the others never commit. The task is still open here
  // (a reveal was just made, so its reveal window has not closed), and the chain lists its panel.
  const drawn = evaluators.filter((n) => cliOk(n, ['eval', 'tasks']).tasks.some((x) => x.task === task));
  assert.ok(drawn.includes(killed), `${killed} committed but is not on the panel (${drawn})`);
  for (const name of evaluators.filter((n) => !drawn.includes(n))) {
    console.log(`# ${name} was not drawn for task ${task}`);
    assert.ok(!seen(agents[name], 'committed', task), `${name} committed without a seat`);
  }
  for (const name of drawn) {
    await waitFor(`${name} revealed`, async () => seen(agents[name], 'revealed', task), { timeoutMs: 60_000 });
  }
  const busy = Object.fromEntries(evaluators.filter((n) => n !== killed).map((n) => [n, usage(n)]));
  const pct = (a, b) => (100 * (b.cpu - a.cpu) / ((b.at - a.at) / 1000)).toFixed(2);
  console.log(`agent RSS MiB idle / after evaluating: ${Object.keys(busy).map((n) => `${n} ${idle[n].rss.toFixed(1)} / ${busy[n].rss.toFixed(1)}`).join(', ')}`);
  for (const n of Object.keys(busy)) {
    // An agent is a small process: tens of MiB at most, and next to no CPU while nothing is drawn.
    assert.ok(busy[n].rss < 64, `${n}'s agent holds ${busy[n].rss} MiB`);
    assert.ok(Number(pct(start[n], idle[n])) < 5, `${n}'s idle agent used ${pct(start[n], idle[n])} % of a core`);
  }
  console.log(`agent CPU % of one core idle (30 s, nothing drawn) / while evaluating (drawn → revealed, scorer included): ${Object.keys(busy).map((n) => `${n} ${pct(start[n], idle[n])} / ${pct(idle[n], busy[n])}`).join(', ')}`);

  const accepted = await waitFor('the contribution accepted', async () => {
    const s = cliOk(null, ['contrib', 'status', String(registered.id)]);
    return s.contribution.status.Accepted !== undefined ? s : false;
  }, { timeoutMs: 180_000 });
  for (const name of drawn) {
    await waitFor(`${name}'s reveal final`, async () => seen(agents[name], 'final', task), { timeoutMs: 60_000 });
  }
  // The example scorer gave 100 on every criterion: the consensus quality is 100.
  assert.equal(accepted.contribution.status.Accepted.quality, 100, JSON.stringify(accepted));

  await waitFor('Alice has rewards to claim', async () => BigInt(cliOk('Alice', ['rewards', 'pending']).claimable) > 0n, { timeoutMs: 120_000 });
  const pending = BigInt(cliOk('Alice', ['rewards', 'pending']).claimable);
  const before = BigInt(cliOk('Alice', ['balance']).free);
  const claim = cliOk('Alice', ['rewards', 'claim']);
  const after = BigInt(cliOk('Alice', ['balance']).free);
  assert.equal(BigInt(claim.amount), pending, 'the claim pays what rewards pending showed');
  assert.equal(after - before, BigInt(claim.amount) - BigInt(claim.fee), 'balance change = amount − fee');

  const again = cli('Alice', ['rewards', 'claim']);
  assert.equal(again.status, 1);
  assert.match(again.json.error, /contributions\.NothingToClaim: /);
}

test('a referendum proposed and voted on through the CLI', async () => {
  const proposed = cliOk('Bob', ['gov', 'propose', 'Reputation', 'set_half_life', '14400', '--decision-deposit']);
  assert.ok(Number.isInteger(proposed.index));
  cliOk('Charlie', ['gov', 'vote', String(proposed.index), 'aye', '--balance', '10', '--conviction', 'locked1x']);
  const status = cliOk(null, ['gov', 'status', String(proposed.index)]);
  assert.match(status.referenda[0].info, /Ongoing/);
});

test('a validator generates its session keys in its node and applies', async () => {
  const keys = cliOk('Ferdie', ['validator', 'keys']);
  assert.match(keys.keys, /^0x[0-9a-f]{128}$/);
  cliOk('Ferdie', ['validator', 'apply', '1000']);
  const status = cliOk('Ferdie', ['validator', 'status']);
  assert.deepEqual(status.operator.status, 'Applied');
  assert.equal(BigInt(status.operator.bond), 1_000n * UNIT);
});
