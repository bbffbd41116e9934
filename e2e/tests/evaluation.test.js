// Output evaluation end to end on a real `perspective-node --dev`, driven by @polkadot/api as
// a polkadot.js user would: four evaluators register; Alice opens a two-criteria task with a
// reward; all four commit; three reveal (Dave first with a wrong salt, then correctly); Eve
// never reveals; the chain settles the task when the reveal window ends.
//
// Development genesis parameters: minimum bond 100 UNIT, tolerance 10 points per criterion,
// no-shows lose 10% of their bond and 5,000 reputation, outliers 2,000, an exact match gains 1,000.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { submit, submitOk, evaluationCommitment } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const BOND = 1_000n * UNIT;
const REWARD = 90n * UNIT;
const COMMIT_PERIOD = 4;
const REVEAL_PERIOD = 6;

let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve']) {
    who[name] = keyring.addFromUri(`//${name}`);
  }
});

after(async () => {
  if (node) await node.stop();
});

const ok = async (tx, signer) => (await submitOk(api, tx, signer)).events;

const find = (events, method) => events.find((e) => e.section === 'evaluation' && e.method === method);
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const free = async (account, at) => (await (at ? await api.at(at) : api).query.system.account(account.address)).data.free.toBigInt();
const reputation = async (account, at) => (await (at ? await api.at(at) : api).call.reputationApi.reputationOf(account.address)).toBigInt();

const commitment = evaluationCommitment;

const salts = {};
const scores = { Bob: [80, 90], Charlie: [80, 90], Dave: [76, 88], Eve: [20, 30] };
const evaluators = ['Bob', 'Charlie', 'Dave', 'Eve'];

test('four evaluators score a task; consensus, payouts, slashes and reputation follow', { timeout: 300_000 }, async () => {
  // Register (bonds held).
  await Promise.all(evaluators.map((name) => ok(api.tx.evaluation.register(BOND), who[name])));
  for (const name of evaluators) {
    const info = (await api.call.evaluationApi.evaluator(who[name].address)).unwrap();
    assert.equal(info.bond.toBigInt(), BOND);
  }

  // Alice opens the task.
  const opened = await ok(api.tx.evaluation.openTask(
    'ModelOutput', `0x${'ab'.repeat(32)}`, 'ipfs://bafy-model-output', ['accuracy', 'safety'],
    REWARD, COMMIT_PERIOD, REVEAL_PERIOD, 3, 32,
  ), who.Alice);
  const { task, commitEnd, revealEnd } = find(opened, 'TaskOpened').data;
  const taskId = task.toNumber();
  const [commitEndN, revealEndN] = [commitEnd.toNumber(), revealEnd.toNumber()];

  // Commit: hashes computed here match the runtime API's.
  for (const name of evaluators) {
    salts[name] = blake2AsU8a(stringToU8a(`salt of ${name}`), 256);
    const local = commitment(taskId, who[name], scores[name], salts[name]);
    const remote = await api.call.evaluationApi.commitment(taskId, who[name].address, scores[name], salts[name]);
    assert.equal(remote.toHex(), local, `commitment of ${name}`);
  }
  await Promise.all(evaluators.map((name) =>
    ok(api.tx.evaluation.commit(taskId, commitment(taskId, who[name], scores[name], salts[name])), who[name])));

  // Reveal window: a reveal submitted now is included at the next block.
  await waitFor('the reveal window', async () => (await bestNumber()) + 1 >= commitEndN, { timeoutMs: 120_000 });
  await Promise.all(['Bob', 'Charlie'].map((name) =>
    ok(api.tx.evaluation.reveal(taskId, scores[name], salts[name]), who[name])));
  const wrong = await submit(api, api.tx.evaluation.reveal(taskId, scores.Dave, salts.Bob), who.Dave);
  assert.match(wrong.dispatchError ?? '', /^evaluation\.CommitmentMismatch: The scores and salt do not hash to the commitment/);
  await ok(api.tx.evaluation.reveal(taskId, scores.Dave, salts.Dave), who.Dave);
  const pending = (await api.call.evaluationApi.task(taskId)).unwrap();
  assert.equal(pending.revealed.toNumber(), 3);
  assert.ok(pending.status.isOpen);

  // The hook settles the task at the end of the reveal window.
  await waitFor('settlement', async () => (await bestNumber()) >= revealEndN, { timeoutMs: 120_000 });
  const settledAt = await api.rpc.chain.getBlockHash(revealEndN);
  const before = await api.rpc.chain.getBlockHash(revealEndN - 1);
  const view = (await api.call.evaluationApi.task(taskId)).unwrap();
  assert.ok(view.status.isSettled, `status ${view.status.type}`);
  assert.deepEqual(view.status.asSettled.consensus.toJSON(), '0x505a', 'consensus (80, 90)');

  const events = (await (await api.at(settledAt)).query.system.events()).map(({ event }) => event);
  const settled = find(events, 'TaskSettled').data;
  assert.equal(settled.task.toNumber(), taskId);
  assert.deepEqual([...settled.consensus.toU8a(true)], [80, 90]);
  assert.equal(settled.rewarded.toNumber(), 3);
  assert.equal(settled.paid.toBigInt() + settled.dust.toBigInt(), REWARD, 'the pot is fully accounted for');

  const paid = {};
  for (const e of events.filter((e) => e.section === 'evaluation' && e.method === 'EvaluatorRewarded')) {
    paid[e.data.who.toString()] = e.data.payout.toBigInt();
  }
  const delta = {};
  for (const name of [...evaluators, 'Alice']) {
    delta[name] = (await free(who[name], settledAt)) - (await free(who[name], before));
  }
  // Each payout arrived in full; Alice got the rounding dust back.
  for (const name of ['Bob', 'Charlie', 'Dave']) assert.equal(delta[name], paid[who[name].address], name);
  assert.equal(delta.Eve, 0n);
  assert.equal(delta.Alice, settled.dust.toBigInt());
  // Bob and Charlie (exact, 1M reputation) earn the same; Dave (6 points off, 250k) less.
  assert.equal(delta.Bob, delta.Charlie);
  assert.ok(delta.Dave > 0n && delta.Dave < delta.Bob, `Dave ${delta.Dave}, Bob ${delta.Bob}`);
  // weight = bond × (reputation + 10,000); share ∝ weight × closeness (21, 21, 15).
  const expectedBob = Number(REWARD) * (21 * 1_010_000) / (2 * 21 * 1_010_000 + 15 * 260_000);
  assert.ok(Math.abs(Number(delta.Bob) - expectedBob) / expectedBob < 1e-3, `Bob ${delta.Bob} vs ≈${expectedBob}`);

  // Eve, the no-show: 10% of her bond burnt, 5,000 reputation lost.
  const missed = find(events, 'RevealMissed').data;
  assert.equal(missed.who.toString(), who.Eve.address);
  assert.equal(missed.slashed.toBigInt(), BOND / 10n);
  const eve = (await api.call.evaluationApi.evaluator(who.Eve.address)).unwrap();
  assert.equal(eve.bond.toBigInt(), BOND - BOND / 10n);
  assert.equal(eve.missed.toNumber(), 1);
  const issuanceBefore = (await (await api.at(before)).query.balances.totalIssuance()).toBigInt();
  const issuanceAfter = (await (await api.at(settledAt)).query.balances.totalIssuance()).toBigInt();
  assert.equal(issuanceBefore - issuanceAfter, BOND / 10n, 'only the slash left the supply');

  const repDelta = async (name) => (await reputation(who[name], settledAt)) - (await reputation(who[name], before));
  const near = (actual, expected, name) => assert.ok(actual >= expected - 2n && actual <= expected + 2n, `${name}: ${actual} vs ${expected}`);
  near(await repDelta('Eve'), -5_000n, 'Eve');
  near(await repDelta('Bob'), 1_000n, 'Bob');
  near(await repDelta('Dave'), 714n, 'Dave (1,000 × 15/21)');

  const bob = (await api.call.evaluationApi.evaluator(who.Bob.address)).unwrap();
  assert.equal(bob.accurate.toNumber(), 1);
  assert.equal(bob.earned.toBigInt(), delta.Bob);
  assert.equal(bob.pendingTasks.toNumber(), 0);
  // One verdict per participant (listed in commit order, which follows transaction inclusion).
  const verdicts = Object.fromEntries(view.verdicts.map(([account, verdict]) => [account.toString(), verdict.type]));
  assert.deepEqual(verdicts, {
    [who.Eve.address]: 'Missed',
    [who.Bob.address]: 'Accurate',
    [who.Charlie.address]: 'Accurate',
    [who.Dave.address]: 'Accurate',
  });

  // Settling again is refused with a readable error.
  const again = await submit(api, api.tx.evaluation.settle(taskId), who.Alice);
  assert.match(again.dispatchError ?? '', /^evaluation\.AlreadySettled/);
});
