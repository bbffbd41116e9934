// Load benchmark (not a test: a measurement, run by hand or through scripts/load.sh):
//   PERSPECTIVE_NODE_BIN=... node tools/load.js [--quick] [--url ws://...] [--json FILE]
//                                            [--senders N] [--blocks N] [--open-blocks N] [--pid PID]
//
// Starts its own `perspective-node --dev` (or connects to --url, a development chain: dev
// accounts fund the load), funds N sender accounts `//load//i` with batched transfers, then
// loads the chain one kind of call at a time. In every phase the senders pre-sign their calls
// in memory with explicit nonces and submit the signed bytes with `author_submitExtrinsic`,
// many in flight, keeping the pool about 1.5 blocks ahead of what the blocks take. Every block
// is read back (extrinsics, events, timestamp, `system.blockWeight`) and attributed to the
// phase whose calls it holds.
//
// Phases (listed as the table shows them; they run 1, 2, 4, 3, 5, 6: the votes fill the wait
// for the reveal window):
//  1. balances.transferKeepAlive: sender i to sender i+1; the baseline.
//  2. evaluation.commit: every sender is a registered evaluator (minimum bond, so every seat is
//     an even draw among them). For `--open-blocks` K blocks, three dev accounts open the three
//     direct tasks a block allows (TooManyDirectTasks beyond), and in the last five of those
//     blocks three more accounts (`//load//owner//i`) register contributions, whose scoring
//     tasks take the other three task slots of the block (MaxTasksPerBlock = 6). Two blocks
//     after each opening the hook draws a 7-seat panel; every drawn member commits once per
//     task. That is the protocol's ceiling: at most 6 tasks x (distinct members of a 7-seat
//     panel) commits per block of openings, about 40, while a block has room for about 2,000
//     commits by weight; filling one block would take ~50 blocks of openings whose
//     commit windows all span it. It submits every valid commit there is and reports the count.
//  3. evaluation.reveal: the same (task, member) pairs reveal in the reveal window. All direct
//     tasks get the commit end of the contribution tasks (opened + 2 + default_period), so one
//     window fits all; the reveal windows are chosen so that each contribution block's three
//     direct tasks fall due with its three contribution tasks: full due lists of 6 tasks.
//  4. hybridVoting.vote: every sender votes (aye, 1 PRSP, Locked1x) on two referenda submitted
//     during setup without a decision deposit (they stay ongoing); later votes replace earlier
//     ones (vote_existing). Runs while the commit window closes.
//  5. contributions.register: every call registers a distinct content hash; the matching
//     `contributions.commitRegistration`s are submitted and included first (setup). Only the
//     first 6 registrations of a block get a scoring task (the rest: ScoringDeferred, still a
//     successful registration).
//  6. contributions.claim: the contributions registered in phase 2's setup are scored by their
//     panels (phases 2 and 3: every member agrees, so all are accepted and every member earns
//     participation points), settle `appeal_period` blocks after their reveal window, and the
//     epoch they were credited in closes (dev: every 10 blocks). Then every account with a
//     claimable reward claims. An account can claim once per closed epoch, so this phase is
//     bounded by the accounts that earned something (owners + drawn members), not by blocks.
//
// Per phase: calls submitted, included, included per block (peak, and mean over full blocks: a
// block is full if, when it was authored (its timestamp), the pool held more of the phase's
// calls than it took, i.e. not the tail), the mean relative to transfers, dispatch failures
// (ExtrinsicFailed of phase calls, by error), pool rejections, block weight (normal class
// ref_time in % of its maximum), block-time deviation (|Δtimestamp − 6000| max and σ of Δ) and
// the node's RSS at the end of the phase. Settlement: the blocks needed to settle the full due
// lists (MaxSettlementsPerBlock tasks due in one block) built in phase 2's setup.
//
// --quick: 64 senders, 2 target blocks per phase, 5 blocks of openings (about 4-5 minutes).
// Default: 256 senders, 3 target blocks, 24 blocks of openings.
import { writeFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, rssMiB } from '../lib/node.js';
import { submit, evaluationCommitment, registrationCommitment } from '../lib/tx.js';

const SLOT_MS = 6000;
const UNIT = 10n ** 12n;
const MILLI = 10n ** 9n;
const TIP = 10n * MILLI; // setup calls that must land in a given block outrank untipped load
const SCORES = [80, 90]; // every member agrees: consensus (80, 90), quality 85 ≥ 60, accepted
const VOTE_BALANCE = UNIT;
const TRANSFER_AMOUNT = MILLI;
const CONCURRENCY = 256; // submissions in flight
const POOL_CAP = 7000; // below the node's default pool limit (8192 ready transactions)
const STALL_MS = 90_000;

const started = Date.now();
const log = (msg) => process.stderr.write(`[load +${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);

class SetupError extends Error {}
const fail = (msg) => { throw new SetupError(msg); };

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(error) {
  const text = 'usage: node tools/load.js [--quick] [--url ws://host:port] [--json FILE] [--senders N] [--blocks N] [--open-blocks N] [--pid PID]';
  if (error) { process.stderr.write(`load.js: ${error}\n${text}\n`); process.exit(2); }
  process.stdout.write(`${text}\n`);
  process.exit(0);
}

function parseArgs(argv) {
  const o = { quick: false, url: null, json: null, senders: null, blocks: null, openBlocks: null, pid: null };
  const args = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => { if (args[i + 1] === undefined) usage(`${a} needs a value`); return args[++i]; };
    const int = (min) => { const n = Number(value()); if (!Number.isInteger(n) || n < min) usage(`${a} needs an integer ≥ ${min}`); return n; };
    switch (a) {
      case '--quick': o.quick = true; break;
      case '--url': o.url = value(); break;
      case '--json': o.json = value(); break;
      case '--senders': o.senders = int(8); break;
      case '--blocks': o.blocks = int(1); break;
      case '--open-blocks': o.openBlocks = int(1); break;
      case '--pid': o.pid = int(1); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  o.senders ??= o.quick ? 64 : 256;
  o.blocks ??= o.quick ? 2 : 3;
  o.openBlocks ??= o.quick ? 5 : 24;
  return o;
}

const opts = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// State shared by the watcher, the submitter and the phases

let api;
let node = null; // when we started it
let nodePid = opts.pid;
let submitter; // a second connection for the raw submissions
let maxNormal; // BigInt ref_time
const phases = [];
const notes = [];

/**
 * Reads every block after the start (in order, even when the head subscription skips one),
 * attributes its extrinsics to tagged (tracked) transactions and records the events the
 * phases need.
 */
class Watcher {
  constructor() {
    this.blocks = new Map(); // number -> record
    this.tracked = new Map(); // tx hash -> { tag, keep }
    this.outcomes = new Map(); // tx hash -> { block, ok, error, events? }
    this.included = {}; // tag -> count
    this.lastProgress = {}; // tag -> block number of the last inclusion
    this.tasks = new Map(); // task id -> { opener, commitEnd, revealEnd, due, openedAt, panel, settledAt, result }
    this.accepted = []; // [block, contribution id]
    this.epochsClosed = []; // [block, epoch]
    this.deferred = []; // SettlementDeferred events
    this.listeners = new Set();
    this.processed = 0;
    this.head = 0;
    this.error = null;
    this.perBlockLog = null; // (record) => void, set while a phase runs
  }

  async start() {
    this.processed = (await api.rpc.chain.getHeader()).number.toNumber();
    this.head = this.processed;
    this.lastHeadAt = Date.now();
    this.unsub = await api.rpc.chain.subscribeNewHeads((header) => {
      this.lastHeadAt = Date.now();
      this.head = Math.max(this.head, header.number.toNumber());
      this.drain();
      this.emit();
    });
  }

  stop() { if (this.unsub) this.unsub(); }

  track(hash, tag, keep = false) { this.tracked.set(hash, { tag, keep }); }

  emit() { for (const f of [...this.listeners]) f(); }

  async drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.processed < this.head && !this.error) {
        await this.process(this.processed + 1);
        this.processed += 1;
        this.emit();
      }
    } catch (e) {
      this.error = e;
      log(`block watcher failed: ${e.message}`);
      this.emit();
    } finally {
      this.draining = false;
    }
  }

  async process(n) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [signed, at] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
    const [records, now, weight] = await Promise.all([at.query.system.events(), at.query.timestamp.now(), at.query.system.blockWeight()]);
    const extrinsics = signed.block.extrinsics;
    const rec = {
      number: n,
      hash: hash.toHex(),
      ts: now.toNumber(),
      extrinsics: extrinsics.length,
      weightPct: Number((weight.normal.refTime.toBigInt() * 100_000n) / maxNormal) / 1000,
      hooksMs: Number(weight.mandatory.refTime.toBigInt() / 1_000_000n) / 1000, // inherents, on_initialize, on_finalize
      count: {},
      failed: {},
    };
    const prev = this.blocks.get(n - 1);
    rec.dt = prev ? rec.ts - prev.ts : null;
    const tags = extrinsics.map((ext) => {
      const h = ext.hash.toHex();
      const t = this.tracked.get(h);
      return t ? { ...t, hash: h } : null;
    });
    const outcome = new Map();
    for (const t of tags) {
      if (!t) continue;
      rec.count[t.tag] = (rec.count[t.tag] ?? 0) + 1;
      this.included[t.tag] = (this.included[t.tag] ?? 0) + 1;
      this.lastProgress[t.tag] = n;
    }
    const opened = [];
    for (const { phase, event } of records) {
      const idx = phase.isApplyExtrinsic ? phase.asApplyExtrinsic.toNumber() : null;
      const t = idx === null ? null : tags[idx];
      if (t) {
        const o = outcome.get(idx) ?? { block: n, ok: true, error: null, events: t.keep ? [] : undefined };
        if (event.section === 'system' && event.method === 'ExtrinsicFailed') {
          o.ok = false;
          o.error = errorName(event.data.dispatchError);
          rec.failed[t.tag] ??= {};
          rec.failed[t.tag][o.error] = (rec.failed[t.tag][o.error] ?? 0) + 1;
        }
        if (t.keep) o.events.push(event);
        outcome.set(idx, o);
      }
      const { section, method, data } = event;
      if (section === 'evaluation') {
        if (method === 'TaskOpened') {
          const id = data.task.toNumber();
          this.tasks.set(id, { opener: data.opener.toString(), commitEnd: data.commitEnd.toNumber(), revealEnd: data.revealEnd.toNumber(), openedAt: n });
          opened.push(id);
        } else if (method === 'PanelDrawn') {
          const task = this.tasks.get(data.task.toNumber());
          if (task) task.panel = data.panel.map(([who, seats]) => [who.toString(), seats.toNumber()]);
        } else if (method === 'TaskSettled' || method === 'TaskFailed') {
          const task = this.tasks.get(data.task.toNumber());
          if (task) { task.settledAt = n; task.result = method; }
        } else if (method === 'SettlementDeferred') {
          this.deferred.push({ block: n, due: data.due.toNumber(), remaining: data.remaining.toNumber() });
        }
      } else if (section === 'contributions') {
        if (method === 'ContributionAccepted') this.accepted.push([n, data.id.toNumber()]);
        else if (method === 'EpochClosed') this.epochsClosed.push([n, data.epoch.toNumber()]);
      }
    }
    for (const [idx, o] of outcome) this.outcomes.set(tags[idx].hash, o);
    // The due block of every task opened here (pallet tasks may have spilled past their window).
    await Promise.all(opened.map(async (id) => {
      const record = await at.query.evaluation.tasks(id);
      if (record.isSome) this.tasks.get(id).due = record.unwrap().due.toNumber();
    }));
    this.blocks.set(n, rec);
    if (this.perBlockLog) this.perBlockLog(rec);
  }
}

let watcher;

function errorName(dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return `${meta.section}.${meta.name}`;
  }
  if (dispatchError.isToken) return `token.${dispatchError.asToken.type}`;
  return dispatchError.type;
}

/** Resolves with `pred()`'s value once it is truthy (checked after every block and head). */
function until(what, pred, timeoutMs) {
  return new Promise((resolve, reject) => {
    const cleanup = () => { clearTimeout(timer); watcher.listeners.delete(check); };
    const check = () => {
      if (watcher.error) { cleanup(); reject(watcher.error); return; }
      let v;
      try { v = pred(); } catch (e) { cleanup(); reject(e); return; }
      if (v) { cleanup(); resolve(v); }
    };
    const timer = setTimeout(() => { cleanup(); reject(new SetupError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`)); }, timeoutMs);
    watcher.listeners.add(check);
    check();
  });
}

/** Waits until block `n` has been read (all its events are known). */
const reached = (n, what = `block #${n}`) =>
  until(what, () => watcher.processed >= n, Math.max(60_000, (n - watcher.head + 5) * SLOT_MS * 3));

// ---------------------------------------------------------------------------------------------
// Signing and submitting

const nonces = new Map();

async function syncNonces(pairs) {
  await Promise.all(pairs.map(async (p) => {
    const n = await submitter.send('system_accountNextIndex', [p.address]);
    nonces.set(p.address, Number(n));
  }));
}

function takeNonce(pair) {
  const n = nonces.get(pair.address);
  if (n === undefined) throw new Error(`no nonce for ${pair.address}`);
  nonces.set(pair.address, n + 1);
  return n;
}

/** Signs `tx` offline (immortal, explicit nonce): { hex, hash }. */
function signTx(tx, pair, tip = 0n) {
  tx.sign(pair, {
    nonce: takeNonce(pair),
    tip,
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
    version: api.extrinsicType,
  });
  return { hex: tx.toHex(), hash: tx.hash.toHex() };
}

/** Round robin over the senders' lists (their first call, then their second, ...), so calls
 * submitted together come from different accounts and each account's nonces arrive in order. */
function interleave(lists) {
  const out = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

function shortError(e) {
  const m = String(e?.message ?? e);
  return m.length > 80 ? `${m.slice(0, 77)}...` : m;
}

/**
 * Submits the signed `txs` (tagged `tag`) with at most CONCURRENCY requests in flight and at
 * most `backlog` accepted but not yet included; stops early once `stop()` is true. Then waits
 * until every accepted call is in a block, or `idleBlocks` blocks pass without progress.
 */
async function pump(tag, txs, { backlog = POOL_CAP, stop = () => false, idleBlocks = 3, keep = false } = {}) {
  const st = { tag, total: txs.length, sent: 0, accepted: 0, rejected: 0, reasons: {}, acceptTimes: [], unsent: 0, startBlock: watcher.head };
  for (const t of txs) watcher.track(t.hash, tag, keep);
  watcher.included[tag] ??= 0;
  let inflight = 0;
  let wake = null;
  const poke = () => { if (wake) { const w = wake; wake = null; w(); } };
  watcher.listeners.add(poke);
  try {
    for (let i = 0; i < txs.length;) {
      if (watcher.error) throw watcher.error;
      if (Date.now() - watcher.lastHeadAt > STALL_MS) fail(`no new block for ${STALL_MS / 1000} s (node stalled?)`);
      if (stop()) { st.unsent = txs.length - i; break; }
      if (inflight >= CONCURRENCY || st.accepted - watcher.included[tag] >= backlog) {
        await new Promise((r) => { wake = r; setTimeout(poke, 500); });
        continue;
      }
      const t = txs[i++];
      inflight += 1;
      st.sent += 1;
      submitter.send('author_submitExtrinsic', [t.hex]).then(
        () => { st.accepted += 1; st.acceptTimes.push(Date.now()); },
        (e) => { st.rejected += 1; const r = shortError(e); st.reasons[r] = (st.reasons[r] ?? 0) + 1; },
      ).finally(() => { inflight -= 1; poke(); });
    }
    while (inflight > 0) await new Promise((r) => { wake = r; setTimeout(poke, 500); });
  } finally {
    watcher.listeners.delete(poke);
  }
  st.submittedBy = watcher.head;
  if (st.unsent) log(`${tag}: stopped submitting, ${st.unsent} calls left unsent (window closing)`);
  if (st.rejected) log(`${tag}: ${st.rejected} rejected by the pool: ${JSON.stringify(st.reasons)}`);
  // Wait for inclusion.
  const from = watcher.head;
  await until(`${tag} to be included`, () => {
    if (watcher.included[tag] >= st.accepted) return true;
    const last = Math.max(watcher.lastProgress[tag] ?? from, from);
    return watcher.processed >= last + idleBlocks;
  }, (idleBlocks + 4) * SLOT_MS * 4 + 120_000);
  st.included = watcher.included[tag];
  if (st.included < st.accepted) log(`${tag}: ${st.accepted - st.included} accepted calls never made it into a block`);
  return st;
}

/** Outcomes of `txs` once included: { ok, failed: {error: n}, okHashes }. */
function outcomesOf(txs) {
  const failed = {};
  let ok = 0;
  const okHashes = new Set();
  for (const t of txs) {
    const o = watcher.outcomes.get(t.hash);
    if (!o) { failed['(not included)'] = (failed['(not included)'] ?? 0) + 1; continue; }
    if (o.ok) { ok += 1; okHashes.add(t.hash); } else failed[o.error] = (failed[o.error] ?? 0) + 1;
  }
  return { ok, failed, okHashes };
}

/** Runs a measured phase: logs its blocks, records its numbers. */
async function runPhase(key, label, txs, options = {}) {
  log(`phase ${label}: ${txs.length} calls pre-signed, submitting (backlog ≤ ${options.backlog ?? POOL_CAP})`);
  watcher.perBlockLog = (rec) => {
    const c = rec.count[key] ?? 0;
    const f = Object.values(rec.failed[key] ?? {}).reduce((a, b) => a + b, 0);
    if (c > 0 || (watcher.included[key] ?? 0) > 0) {
      log(`  #${rec.number}: ${c} ${key}${f ? ` (${f} failed)` : ''}, ${rec.extrinsics} extrinsics, weight ${rec.weightPct.toFixed(1)}%, Δt ${rec.dt ?? '?'} ms`);
    }
  };
  const st = await pump(key, txs, options);
  watcher.perBlockLog = null;
  st.rss = nodePid ? rssMiB(nodePid) : null;
  st.endBlock = watcher.processed;
  const phase = { key, label, st, limit: options.limit ?? null };
  phases.push(phase);
  const f = outcomesOf(txs);
  log(`phase ${label} done: ${st.included}/${st.sent} included, ${Object.values(f.failed).reduce((a, b) => a + b, 0)} failed ${JSON.stringify(f.failed)}`);
  return { st, ...f };
}

/** A setup step (not measured): submits, waits, and fails the run if too many calls failed. */
async function setupStep(what, txs, { allowFailures = 0, keep = false, backlog = POOL_CAP, tolerate = [] } = {}) {
  if (txs.length === 0) return { ok: 0, failed: {}, okHashes: new Set() };
  log(`setup: ${what} (${txs.length} calls)`);
  const st = await pump(`setup:${what}`, txs, { keep, backlog, idleBlocks: 4 });
  const res = outcomesOf(txs);
  const bad = txs.length - res.ok - tolerate.reduce((a, e) => a + (res.failed[e] ?? 0), 0);
  if (bad > allowFailures) fail(`${what}: ${bad} of ${txs.length} calls failed or were not included: ${JSON.stringify(res.failed)}${st.rejected ? `; pool rejections: ${JSON.stringify(st.reasons)}` : ''}`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Report

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const stddev = (xs) => {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

/** Per-block numbers of a phase from the watcher's records. */
function analyse(phase) {
  const { key, st } = phase;
  const numbers = [...watcher.blocks.keys()].filter((n) => (watcher.blocks.get(n).count[key] ?? 0) > 0);
  if (numbers.length === 0) {
    return { blocks: [], peak: 0, meanFull: null, fullBlocks: 0, weightPctMeanFull: null, weightPctPeak: null, dtMaxDevMs: null, dtStdMs: null, failures: 0, failureNames: {} };
  }
  const [first, last] = [Math.min(...numbers), Math.max(...numbers)];
  const times = st.acceptTimes; // non-decreasing
  const acceptedBefore = (ts) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] <= ts) lo = mid + 1; else hi = mid; }
    return lo;
  };
  let cum = 0;
  const blocks = [];
  const failureNames = {};
  for (let n = first; n <= last; n++) {
    const rec = watcher.blocks.get(n);
    if (!rec) continue;
    const count = rec.count[key] ?? 0;
    cum += count;
    // Left phase calls behind that were already in the pool when it was authored.
    const full = acceptedBefore(rec.ts) > cum;
    for (const [name, c] of Object.entries(rec.failed[key] ?? {})) failureNames[name] = (failureNames[name] ?? 0) + c;
    blocks.push({ number: n, included: count, full, weightPct: rec.weightPct, dtMs: rec.dt, extrinsics: rec.extrinsics });
  }
  const full = blocks.filter((b) => b.full);
  const dts = blocks.map((b) => b.dtMs).filter((d) => d !== null);
  return {
    blocks,
    peak: Math.max(...blocks.map((b) => b.included)),
    meanFull: full.length ? mean(full.map((b) => b.included)) : null,
    fullBlocks: full.length,
    weightPctMeanFull: full.length ? mean(full.map((b) => b.weightPct)) : null,
    weightPctPeak: Math.max(...blocks.map((b) => b.weightPct)),
    dtMaxDevMs: dts.length ? Math.max(...dts.map((d) => Math.abs(d - SLOT_MS))) : null,
    dtStdMs: stddev(dts),
    failures: Object.values(failureNames).reduce((a, b) => a + b, 0),
    failureNames,
  };
}

const countBy = (xs) => Object.entries(xs.reduce((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {})).map(([k, v]) => `${k} ×${v}`).join(', ');
const fmt = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(digits));

// ---------------------------------------------------------------------------------------------
// The run

const CANONICAL = ['transfer', 'commit', 'reveal', 'vote', 'register', 'claim'];
const LABELS = {
  transfer: 'balances.transferKeepAlive',
  commit: 'evaluation.commit',
  reveal: 'evaluation.reveal',
  vote: 'hybridVoting.vote',
  register: 'contributions.register',
  claim: 'contributions.claim',
};

let settlement = null;
let capacity = {};
let config = {};

async function main() {
  await cryptoWaitReady();
  let url = opts.url;
  if (url) {
    log(`connecting to ${url}`);
    api = await ApiPromise.create({ provider: new WsProvider(url, 1000, {}, 60_000), noInitWarn: true, throwOnConnect: true });
  } else {
    log('starting perspective-node --dev');
    // A pool large enough for 1.5 blocks of every phase: the default (8,192 transactions)
    // turns part of the transfer phase away with `1016: Immediately Dropped`.
    node = await startDevNode({ extraArgs: ['--pool-limit', '32768', '--pool-kbytes', '131072'] });
    api = node.api;
    nodePid = node.pid;
    url = `ws://127.0.0.1:${node.rpcPort}`;
    log(`node pid ${node.pid}, rpc ${url}`);
  }
  submitter = new WsProvider(url, 1000, {}, 120_000);
  await submitter.isReady;

  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const dev = (name) => keyring.addFromUri(`//${name}`);
  const [alice, bob, charlie, dave, eve] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'].map(dev);
  const openers = [alice, bob, charlie];
  const funders = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].flatMap((n) => [dev(n), dev(`${n}//stash`)]);
  const senders = Array.from({ length: opts.senders }, (_, i) => keyring.addFromUri(`//load//${i}`));

  // Chain parameters.
  const evalParams = (await api.query.evaluation.params()).unwrap();
  const contribParams = (await api.query.contributions.params()).unwrap();
  const P = {
    minBond: evalParams.minBond.toBigInt(),
    minReward: evalParams.minReward.toBigInt(),
    minPeriod: evalParams.minPeriod.toNumber(),
    defaultPeriod: evalParams.defaultPeriod.toNumber(),
    appealPeriod: evalParams.appealPeriod.toNumber(),
    panelSize: evalParams.panelSize.toNumber(),
    epochLength: contribParams.epochLength.toNumber(),
    depositBase: contribParams.depositBase.toBigInt(),
    depositPerByte: contribParams.depositPerByte.toBigInt(),
    evaluationFee: contribParams.evaluationFee.toBigInt(),
    commitDeposit: api.consts.contributions.registrationCommitDeposit.toBigInt(),
    maxTasksPerBlock: api.consts.evaluation.maxTasksPerBlock.toNumber(),
    maxSettlementsPerBlock: api.consts.evaluation.maxSettlementsPerBlock.toNumber(),
  };
  const directShare = Math.floor(P.maxTasksPerBlock / 2);
  const palletShare = P.maxTasksPerBlock - directShare;
  const weights = api.consts.system.blockWeights;
  maxNormal = weights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const baseExtrinsic = weights.perClass.normal.baseExtrinsic.refTime.toBigInt();
  const maxNormalLength = api.consts.system.blockLength.max.normal.toNumber();

  watcher = new Watcher();
  await watcher.start();

  // Capacity of a block for each call, from its declared weight and length.
  const owners = Array.from({ length: palletShare * Math.min(opts.openBlocks, Math.max(1, P.defaultPeriod - P.minPeriod)) }, (_, i) => keyring.addFromUri(`//load//owner//${i}`));
  const sampleSalt = new Uint8Array(32);
  const samples = {
    transfer: api.tx.balances.transferKeepAlive(senders[1].address, TRANSFER_AMOUNT),
    commit: api.tx.evaluation.commit(1, `0x${'11'.repeat(32)}`),
    reveal: api.tx.evaluation.reveal(1, SCORES, sampleSalt),
    vote: api.tx.hybridVoting.vote(0, { direction: 'Aye', conviction: 'Locked1x', balance: VOTE_BALANCE }),
    register: api.tx.contributions.register('Dataset', `0x${'22'.repeat(32)}`, 'ipfs://load/000000', '', [], sampleSalt),
    commitRegistration: api.tx.contributions.commitRegistration(`0x${'33'.repeat(32)}`),
    claim: api.tx.contributions.claim(),
  };
  const fees = {};
  for (const [key, tx] of Object.entries(samples)) {
    const info = await tx.paymentInfo(senders[0].address);
    const w = info.weight.refTime.toBigInt() + baseExtrinsic;
    const len = tx.encodedLength + 110; // + signature, address and extensions
    capacity[key] = Math.min(Number(maxNormal / w), Math.floor(maxNormalLength / len));
    fees[key] = info.partialFee.toBigInt();
  }
  log(`weight capacity per block (normal class, ${Number(maxNormal / 1_000_000_000n)} ms): ${Object.entries(capacity).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const target = opts.blocks + 0.5;
  const volume = {
    transfer: Math.ceil(target * capacity.transfer),
    vote: Math.ceil(target * capacity.vote),
    register: Math.ceil(target * capacity.register),
  };
  const per = (v) => Math.ceil(v / senders.length);
  const uriOf = (i) => `ipfs://load/${String(i).padStart(6, '0')}`;
  const depositFor = (uri) => P.depositBase + P.depositPerByte * BigInt(uri.length);
  const registerCost = depositFor(uriOf(0)) + P.commitDeposit;
  const fundSender = P.minBond
    + BigInt(per(volume.register)) * (registerCost + fees.register + fees.commitRegistration)
    + 8n * P.evaluationFee // a few of the phase's registrations get a scoring task (fee held)
    + BigInt(per(volume.transfer)) * (TRANSFER_AMOUNT + fees.transfer)
    + BigInt(per(volume.vote)) * fees.vote + VOTE_BALANCE
    + 200n * (fees.commit + fees.reveal + fees.claim)
    + 20n * UNIT;
  const fundOwner = registerCost + P.evaluationFee + 10n * UNIT;
  config = { ...opts, params: Object.fromEntries(Object.entries(P).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])), volume, fundSenderPRSP: Number(fundSender / UNIT), owners: owners.length };
  log(`${senders.length} senders (${fundSender / UNIT} PRSP each), ${owners.length} contribution owners; per phase: ${volume.transfer} transfers, ${volume.vote} votes, ${volume.register} registrations`);

  // --- Setup 1: funding, in one block (one batch per dev account).
  const recipients = [...senders.map((p) => [p, fundSender]), ...owners.map((p) => [p, fundOwner])];
  await syncNonces([...funders, ...openers]);
  const need = recipients.reduce((a, [, v]) => a + v, 0n);
  const available = await Promise.all(funders.map(async (f) => (await api.query.system.account(f.address)).data.free.toBigInt()));
  if (available.reduce((a, b) => a + b, 0n) < need + BigInt(funders.length) * 10_000n * UNIT) {
    fail(`the dev accounts hold ${available.reduce((a, b) => a + b, 0n) / UNIT} PRSP, the load needs ${need / UNIT}: use fewer --senders or --blocks`);
  }
  const fundingTxs = [];
  let r = 0;
  for (const [i, f] of funders.entries()) {
    const chunk = [];
    let budget = available[i] - 10_000n * UNIT;
    while (r < recipients.length && budget >= recipients[r][1]) {
      chunk.push(api.tx.balances.transferKeepAlive(recipients[r][0].address, recipients[r][1]));
      budget -= recipients[r][1];
      r += 1;
    }
    if (chunk.length) fundingTxs.push(signTx(api.tx.utility.batchAll(chunk), f));
  }
  if (r < recipients.length) fail('the dev accounts cannot fund every sender');
  await setupStep('funding (utility.batchAll of transfers)', fundingTxs);
  await syncNonces([...senders, ...owners]);

  // --- Setup 2: evaluators, the owners' registration commitments, two referenda.
  const ownerContent = owners.map((o, i) => {
    const hash = u8aToHex(blake2AsU8a(stringToU8a(`load/owner-content/${i}/${Date.now()}`), 256));
    const salt = blake2AsU8a(stringToU8a(`load/owner-salt/${i}`), 256);
    return { owner: o, hash, salt, uri: `ipfs://load/owner/${i}` };
  });
  const s2 = [
    ...senders.map((s) => signTx(api.tx.evaluation.register(P.minBond), s)),
    ...ownerContent.map((c) => signTx(api.tx.contributions.commitRegistration(registrationCommitment(c.hash, c.owner, c.salt)), c.owner)),
  ];
  await syncNonces([dave, eve]);
  const referendumTxs = [dave, eve].map((p, i) => signTx(api.tx.referenda.submit(
    { Origins: 'GeneralAdmin' }, { Inline: api.tx.system.remark(`load benchmark referendum ${i}`).method.toHex() }, { After: 0 },
  ), p));
  // (An account already registered by an earlier run on the same chain, with --url, stays one.)
  await setupStep('evaluator registrations, registration commitments, referenda', [...s2, ...referendumTxs], { keep: true, tolerate: ['evaluation.AlreadyEvaluator'] });
  const referenda = referendumTxs.map((t) => {
    const ev = watcher.outcomes.get(t.hash).events.find((e) => e.section === 'referenda' && e.method === 'Submitted');
    if (!ev) fail('referendum submission left no Submitted event');
    return ev.data.index.toNumber();
  });
  log(`referenda ${referenda.join(', ')} ongoing (no decision deposit: they stay open)`);

  // Phase 1's transfers, signed before the openings start (signing takes a few seconds).
  log(`signing ${per(volume.transfer) * senders.length} transfers`);
  const transferTxs = interleave(senders.map((s, i) => Array.from({ length: per(volume.transfer) },
    () => signTx(api.tx.balances.transferKeepAlive(senders[(i + 1) % senders.length].address, TRANSFER_AMOUNT), s))));

  // --- Setup 3 (alongside phase 1): K blocks of task openings.
  // Every task's commit window ends at E (a contribution task opened in the last wave: its
  // draw + default_period), so commits fit one window and reveals another. The direct tasks of
  // a block that also opens contribution tasks fall due with them (full due lists).
  const K = opts.openBlocks;
  const palletWaves = Math.min(K, owners.length / palletShare);
  const s0 = watcher.head + 1;
  const E = s0 + K - 1 + 2 + P.defaultPeriod;
  const waveTasks = { direct: [], pallet: [], failed: {}, deferred: 0, blocks: [] };
  const runWaves = async () => {
    let expected = watcher.head + 1;
    for (let j = 0; j < K; j++) {
      const pallet = j >= K - palletWaves;
      const commitPeriod = Math.max(P.minPeriod, E - expected - 2);
      const revealPeriod = pallet
        ? Math.max(P.minPeriod, expected + 2 + 2 * P.defaultPeriod - E)
        // Two blocks apart, so that a wave landing a block late cannot share a due block.
        : P.defaultPeriod + 1 + 2 * (K - palletWaves - 1 - j);
      const calls = openers.slice(0, directShare).map((o, k) => submit(api, api.tx.evaluation.openTask(
        'ModelOutput', u8aToHex(blake2AsU8a(stringToU8a(`load/task/${j}/${k}/${Date.now()}`), 256)), 'ipfs://load/task',
        ['accuracy', 'safety'], P.minReward, commitPeriod, revealPeriod,
      ), o, { nonce: takeNonce(o), tip: TIP }));
      if (pallet) {
        for (let k = 0; k < palletShare; k++) {
          const c = ownerContent[(j - (K - palletWaves)) * palletShare + k];
          calls.push(submit(api, api.tx.contributions.register('Dataset', c.hash, c.uri, '', [], c.salt), c.owner, { nonce: takeNonce(c.owner), tip: TIP }));
        }
      }
      const results = await Promise.allSettled(calls);
      let landed = 0;
      for (const [k, res] of results.entries()) {
        if (res.status === 'rejected') { waveTasks.failed[shortError(res.reason)] = (waveTasks.failed[shortError(res.reason)] ?? 0) + 1; continue; }
        const { events, dispatchError, blockHash } = res.value;
        landed = Math.max(landed, (await api.rpc.chain.getHeader(blockHash)).number.toNumber());
        if (dispatchError) { const e = dispatchError.split(':')[0]; waveTasks.failed[e] = (waveTasks.failed[e] ?? 0) + 1; continue; }
        const opened = events.find((e) => e.section === 'evaluation' && e.method === 'TaskOpened');
        if (opened) (k < directShare ? waveTasks.direct : waveTasks.pallet).push(opened.data.task.toNumber());
        else if (events.some((e) => e.section === 'contributions' && e.method === 'ScoringDeferred')) waveTasks.deferred += 1;
      }
      waveTasks.blocks.push(landed);
      log(`  openings ${j + 1}/${K} in #${landed}${landed !== expected ? ` (planned #${expected})` : ''}: ${waveTasks.direct.length} direct and ${waveTasks.pallet.length} contribution tasks so far`);
      expected = landed + 1;
    }
  };
  if (palletWaves < 1) fail('no block of openings can take contribution tasks');

  const waves = runWaves();
  waves.catch(() => {}); // awaited below; keeps a failure from being reported as unhandled first
  // Transfers stop being submitted in time for the commits (drawn at L + 2) to land before the
  // first contribution tasks' commit windows close.
  const transfersUntil = s0 + (K - palletWaves) + P.defaultPeriod - 3;
  await runPhase('transfer', LABELS.transfer, transferTxs, {
    backlog: Math.min(POOL_CAP, Math.ceil(capacity.transfer * 1.5)),
    stop: () => watcher.head + 1 >= transfersUntil,
  });
  await waves;
  const L = Math.max(...waveTasks.blocks);
  const allTasks = [...waveTasks.direct, ...waveTasks.pallet];
  log(`openings done: ${waveTasks.direct.length} direct tasks, ${waveTasks.pallet.length} contribution tasks${waveTasks.deferred ? `, ${waveTasks.deferred} registrations deferred` : ''}${Object.keys(waveTasks.failed).length ? `, failures ${JSON.stringify(waveTasks.failed)}` : ''}`);
  if (allTasks.length === 0) fail('no task could be opened');

  // --- Phase 2: commits. Every panel is drawn two blocks after its opening.
  await reached(L + 2, 'the last panels to be drawn');
  await syncNonces(senders);
  const bySender = new Map(senders.map((s) => [s.address, s]));
  const seats = [];
  let undrawn = 0;
  for (const id of allTasks) {
    const task = watcher.tasks.get(id);
    if (!task?.panel) { undrawn += 1; continue; }
    for (const [who] of task.panel) if (bySender.has(who)) seats.push({ task: id, pair: bySender.get(who) });
  }
  if (undrawn) log(`${undrawn} tasks have no panel (failed at the draw)`);
  const saltOf = (task, who) => blake2AsU8a(stringToU8a(`load/salt/${task}/${who}`), 256);
  // The helper in lib/tx.js must agree with the runtime, or every reveal fails.
  if (seats.length) {
    const { task, pair } = seats[0];
    const local = evaluationCommitment(task, pair, SCORES, saltOf(task, pair.address));
    const remote = (await api.call.evaluationApi.commitment(task, pair.address, SCORES, saltOf(task, pair.address))).toHex();
    if (local !== remote) {
      log(`WARNING: lib/tx.js evaluationCommitment (${local}) differs from the runtime's (${remote}): reveals will fail with CommitmentMismatch`);
      notes.push('lib/tx.js evaluationCommitment disagrees with this runtime: reveals fail with CommitmentMismatch (node older than the helper?)');
    }
  }
  const commitEntries = interleave(senders.map((s) => seats.filter((x) => x.pair === s).map((seat) => ({
    seat,
    tx: signTx(api.tx.evaluation.commit(seat.task, evaluationCommitment(seat.task, seat.pair, SCORES, saltOf(seat.task, seat.pair.address))), seat.pair),
  }))));
  const commitTxs = commitEntries.map((e) => e.tx);
  const minCommitEnd = Math.min(...allTasks.map((id) => watcher.tasks.get(id).commitEnd));
  const maxCommitEnd = Math.max(...allTasks.map((id) => watcher.tasks.get(id).commitEnd));
  const minRevealEnd = Math.min(...allTasks.map((id) => watcher.tasks.get(id).revealEnd));
  const committed = await runPhase('commit', LABELS.commit, commitTxs, {
    stop: () => watcher.head + 1 >= minCommitEnd,
    limit: `protocol-bound: ${allTasks.length} tasks × their distinct panel members = ${commitTxs.length} valid commits from ${waveTasks.blocks.length} blocks of openings `
      + `(a block opens at most ${P.maxTasksPerBlock} tasks, ${directShare} of them direct, of ${P.panelSize} seats); one block of ${capacity.commit} commits would need `
      + `≈ ${Math.ceil(capacity.commit / Math.max(1, commitTxs.length / waveTasks.blocks.length))} blocks of openings whose commit windows all span it`,
  });

  // --- Phase 4 (while the commit windows run out): votes.
  await syncNonces(senders);
  const voteTxs = interleave(senders.map((s) => Array.from({ length: per(volume.vote) }, (_, k) =>
    signTx(api.tx.hybridVoting.vote(referenda[k % referenda.length], { direction: 'Aye', conviction: 'Locked1x', balance: VOTE_BALANCE }), s))));
  await runPhase('vote', LABELS.vote, voteTxs, {
    backlog: Math.min(POOL_CAP, Math.ceil(capacity.vote * 1.5)),
    stop: () => watcher.head + 2 >= maxCommitEnd,
  });

  // --- Phase 3: reveals, from the first block of the last reveal window to open.
  await until(`the reveal window (#${maxCommitEnd})`, () => watcher.head + 1 >= maxCommitEnd, (maxCommitEnd - watcher.head + 5) * SLOT_MS * 3);
  await syncNonces(senders);
  const revealSeats = commitEntries.filter((e) => committed.okHashes.has(e.tx.hash)).map((e) => e.seat);
  const revealTxs = interleave(senders.map((s) => revealSeats.filter((x) => x.pair === s).map(({ task, pair }) =>
    signTx(api.tx.evaluation.reveal(task, SCORES, saltOf(task, pair.address)), pair))));
  await runPhase('reveal', LABELS.reveal, revealTxs, {
    stop: () => watcher.head + 1 >= minRevealEnd,
    limit: `protocol-bound: one reveal per included commit (${revealTxs.length})`,
  });

  // --- Phase 5: registrations, after their commitments are in an earlier block.
  await syncNonces(senders);
  const contents = senders.map((s, i) => Array.from({ length: per(volume.register) }, (_, k) => {
    const n = i * per(volume.register) + k;
    return { pair: s, hash: u8aToHex(blake2AsU8a(stringToU8a(`load/content/${n}/${started}`), 256)), salt: blake2AsU8a(stringToU8a(`load/reg-salt/${n}`), 256), uri: uriOf(n) };
  }));
  const commitRegTxs = interleave(contents.map((list) => list.map((c) => signTx(api.tx.contributions.commitRegistration(registrationCommitment(c.hash, c.pair, c.salt)), c.pair))));
  const regCommitted = await setupStep('registration commitments for phase 5', commitRegTxs, { allowFailures: commitRegTxs.length });
  if (regCommitted.ok < commitRegTxs.length) log(`${commitRegTxs.length - regCommitted.ok} registration commitments failed: ${JSON.stringify(regCommitted.failed)}`);
  const registerTxs = interleave(contents.map((list) => list.map((c) => signTx(api.tx.contributions.register('Dataset', c.hash, c.uri, '', [], c.salt), c.pair))));
  await runPhase('register', LABELS.register, registerTxs, { backlog: Math.min(POOL_CAP, Math.ceil(capacity.register * 1.5)) });

  // --- Settlement: the due lists of the opening blocks that also opened contribution tasks.
  const dues = new Map();
  for (const id of allTasks) {
    const t = watcher.tasks.get(id);
    if (t.due === undefined) continue;
    if (!dues.has(t.due)) dues.set(t.due, []);
    dues.get(t.due).push(id);
  }
  const palletDues = [...new Set(waveTasks.pallet.map((id) => watcher.tasks.get(id).due))].filter((d) => d !== undefined);
  const lastDue = Math.max(...palletDues);
  log(`waiting for the full due lists to settle (#${Math.min(...palletDues)}..#${lastDue})`);
  await reached(lastDue + 1, `settlement of the tasks due at #${lastDue}`);
  const dueLists = [];
  for (const due of [...dues.keys()].filter((d) => d <= lastDue + 1).sort((a, b) => a - b)) {
    const hashBefore = watcher.blocks.get(due - 1)?.hash;
    const listed = hashBefore ? (await (await api.at(hashBefore)).query.evaluation.dueAt(due)).length : null;
    const ours = dues.get(due);
    const settledAt = ours.map((id) => watcher.tasks.get(id).settledAt ?? null);
    const done = settledAt.every((b) => b !== null);
    dueLists.push({
      due, listed, ours: ours.length, hooksMs: watcher.blocks.get(due)?.hooksMs ?? null,
      settled: settledAt.filter((b) => b !== null).length,
      blocksToSettle: done ? Math.max(...settledAt) - due + 1 : null,
      results: ours.map((id) => watcher.tasks.get(id).result ?? 'open'),
    });
  }
  const fullLists = dueLists.filter((d) => d.listed === P.maxSettlementsPerBlock);
  settlement = {
    capacityPerBlock: P.maxSettlementsPerBlock,
    dueLists,
    fullLists: fullLists.length,
    maxBlocksToSettleFull: fullLists.length && fullLists.every((d) => d.blocksToSettle !== null) ? Math.max(...fullLists.map((d) => d.blocksToSettle)) : null,
    deferredEvents: watcher.deferred,
  };
  log(`settlement: ${fullLists.length} full due lists; blocks to settle: ${fullLists.map((d) => d.blocksToSettle ?? 'unsettled').join(', ') || '—'}`);

  // --- Phase 6: claims, once the epoch the contributions were credited in has closed.
  const lastAccepted = watcher.accepted.length ? Math.max(...watcher.accepted.map(([b]) => b)) : null;
  if (lastAccepted === null) {
    log('no contribution was accepted: nothing will be claimable except earlier rewards');
    notes.push('claims: no contribution was accepted (see the reveal failures), so only rewards earned otherwise are claimable');
  } else {
    log(`contributions accepted up to #${lastAccepted}; waiting for the epoch to close (every ${P.epochLength} blocks)`);
    await until('the epoch to close', () => watcher.epochsClosed.some(([b]) => b > lastAccepted), (P.epochLength + 4) * SLOT_MS * 3);
  }
  await syncNonces([...senders, ...owners]);
  const claimers = [];
  for (const p of [...senders, ...owners]) {
    const pending = await api.call.contributionsApi.pendingRewards(p.address);
    if (pending.claimable.toBigInt() > 0n) claimers.push(p);
  }
  log(`${claimers.length} of ${senders.length + owners.length} accounts have something to claim`);
  const claimTxs = claimers.map((p) => signTx(api.tx.contributions.claim(), p));
  await runPhase('claim', LABELS.claim, claimTxs, {
    limit: `account-bound: one claim per account per closed epoch; ${claimers.length} of ${senders.length + owners.length} accounts had earned rewards (owners of the ${watcher.accepted.length} accepted contributions, participation of their panels' members)`,
  });
}

function report() {
  const rows = [];
  const byKey = Object.fromEntries(phases.map((p) => [p.key, { ...p, a: analyse(p) }]));
  const baseline = byKey.transfer?.a.meanFull ?? null;
  const out = [];
  out.push('| phase | calls submitted | included | per block peak | mean (full blocks) | × transfers | failures | block weight % | block-time dev (max/σ ms) | RSS MiB |');
  out.push('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const key of CANONICAL) {
    const p = byKey[key];
    if (!p) { out.push(`| ${LABELS[key]} | not run | | | | | | | | |`); continue; }
    const { st, a } = p;
    const failures = a.failures
      ? `${a.failures} (${Object.entries(a.failureNames).sort((x, y) => y[1] - x[1]).map(([n, c]) => `${n} ×${c}`).join(', ')})`
      : '0';
    const submitted = `${st.sent}${st.rejected ? ` (${st.rejected} rejected)` : ''}${st.unsent ? ` (+${st.unsent} unsent)` : ''}`;
    const meanFull = a.meanFull === null ? `— (${a.blocks.length} block${a.blocks.length === 1 ? '' : 's'})` : `${fmt(a.meanFull)} (${a.fullBlocks} full)`;
    const ratio = a.meanFull !== null && baseline ? fmt(a.meanFull / baseline, 2) : '—';
    const weight = a.weightPctMeanFull !== null ? `${fmt(a.weightPctMeanFull)} (peak ${fmt(a.weightPctPeak)})` : `peak ${fmt(a.weightPctPeak)}`;
    out.push(`| ${LABELS[key]} | ${submitted} | ${st.included} | ${a.peak} | ${meanFull} | ${ratio} | ${failures} | ${weight} | ${fmt(a.dtMaxDevMs, 0)} / ${fmt(a.dtStdMs, 0)} | ${fmt(st.rss, 0)} |`);
    rows.push({
      phase: key, call: LABELS[key], submitted: st.sent, accepted: st.accepted, rejected: st.rejected, rejectReasons: st.reasons,
      unsent: st.unsent, included: st.included, peakPerBlock: a.peak, meanPerFullBlock: a.meanFull, fullBlocks: a.fullBlocks,
      ratioToTransfers: a.meanFull !== null && baseline ? a.meanFull / baseline : null, failures: a.failures, failureNames: a.failureNames,
      weightPctMeanFull: a.weightPctMeanFull, weightPctPeak: a.weightPctPeak, blockTimeMaxDevMs: a.dtMaxDevMs, blockTimeStdMs: a.dtStdMs,
      rssMiB: st.rss, limit: p.limit, blocks: a.blocks,
    });
  }
  if (settlement) {
    const full = settlement.dueLists.filter((d) => d.listed === settlement.capacityPerBlock);
    const lag = settlement.maxBlocksToSettleFull;
    out.push('');
    out.push(`settlement: ${full.length} full due lists (${settlement.capacityPerBlock} tasks due in one block = MaxSettlementsPerBlock) at ${full.map((d) => `#${d.due}`).join(', ') || '—'}: `
      + (lag !== null ? `settled within ${lag} block${lag === 1 ? '' : 's'} each (lag ${lag - 1})` : 'not all settled within the run')
      + ` (${countBy(full.flatMap((d) => d.results))}); hooks' weight in those blocks ${fmt(Math.max(...full.map((d) => d.hooksMs ?? 0)), 1)} ms max (mandatory class)`
      + `; SettlementDeferred events: ${settlement.deferredEvents.length}. A due list cannot hold more than ${settlement.capacityPerBlock} tasks (direct tasks: half; contribution tasks spill to later blocks), so a longer backlog cannot be built.`);
  }
  const limits = phases.filter((p) => p.limit).map((p) => `- ${LABELS[p.key]}: ${p.limit}`);
  out.push('');
  out.push(`weight capacity per block (declared weights): ${Object.entries(capacity).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (limits.length) { out.push('limits:'); out.push(...limits); }
  for (const n of notes) out.push(`note: ${n}`);
  out.push('phase order: transfers (while tasks are opened), commits, votes (while the commit windows close), reveals, registrations, claims (after the epoch closes).');
  return { text: out.join('\n'), rows };
}

let exitCode = 0;
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try { watcher?.stop(); } catch { /* ignore */ }
  try { await submitter?.disconnect(); } catch { /* ignore */ }
  if (node) {
    log(`stopping the node (pid ${node.pid})`);
    await node.stop();
  } else if (api) {
    await api.disconnect().catch(() => {});
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    shutdown().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (e) {
  exitCode = 1;
  if (e instanceof SetupError) log(`setup failed: ${e.message}`);
  else log(`failed: ${e.stack ?? e}`);
} finally {
  const rep = phases.length ? report() : null;
  await shutdown();
  if (rep) {
    process.stdout.write(`${rep.text}\n`);
    if (opts.json) {
      const json = { config, capacity, phases: rep.rows, settlement, notes, totalSeconds: (Date.now() - started) / 1000, ok: exitCode === 0 };
      writeFileSync(opts.json, JSON.stringify(json, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
      log(`wrote ${opts.json}`);
    }
  }
  process.exit(exitCode);
}
