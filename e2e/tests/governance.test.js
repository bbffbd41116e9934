// Governance end to end on a real `perspective-node --dev`, driven by @polkadot/api as a
// polkadot.js user would: referenda decided by a token house and a reputation house, enactment,
// the council's veto, and what happens to every deposit.
//
// The development preset shortens every track: prepare 1 block, decide within 20, confirm 2,
// enact 2 blocks after approval. Alice, Bob and Charlie have 1,000,000 reputation and form the
// council; Dave and Eve have 250,000, Ferdie 10,000.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { submit, submitOk, councilMotion } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const DAYS = 14_400;
const SUBMISSION_DEPOSIT = 10n * UNIT;
const GENERAL_ADMIN_DECISION_DEPOSIT = 200n * UNIT;

let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
    who[name] = keyring.addFromUri(`//${name}`);
  }
});

after(async () => {
  if (node) await node.stop();
});

/** Submits and asserts success; returns the events. */
const ok = async (tx, signer) => (await submitOk(api, tx, signer)).events;

function find(events, section, method) {
  return events.find((e) => e.section === section && e.method === method);
}

/** Funds reserved by referendum deposits: `reserved` minus holds (e.g. Alice's validator bond). */
async function reserved(account) {
  const total = (await api.query.system.account(account.address)).data.reserved.toBigInt();
  const holds = await api.query.balances.holds(account.address);
  return total - holds.reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
}

/** `proposer` submits `call` on the general-admin track and places the decision deposit. */
async function propose(proposer, call) {
  const events = await ok(api.tx.referenda.submit(
    { Origins: 'GeneralAdmin' }, { Inline: call.method.toHex() }, { After: 0 },
  ), proposer);
  const index = find(events, 'referenda', 'Submitted').data.index.toNumber();
  await ok(api.tx.referenda.placeDecisionDeposit(index), proposer);
  return index;
}

function vote(index, direction, balance, conviction = 'Locked1x') {
  return api.tx.hybridVoting.vote(index, { direction, conviction, balance });
}

async function referendum(index) {
  return (await api.query.referenda.referendumInfoFor(index)).unwrap();
}

test('reputation is readable through the runtime API', async () => {
  const alice = (await api.call.reputationApi.reputationOf(who.Alice.address)).toBigInt();
  const ferdie = (await api.call.reputationApi.reputationOf(who.Ferdie.address)).toBigInt();
  const total = (await api.call.reputationApi.totalReputation()).toBigInt();
  assert.ok(alice > 990_000n && alice <= 1_000_000n, `Alice ${alice} (decays slowly)`);
  assert.ok(ferdie > 9_900n && ferdie <= 10_000n, `Ferdie ${ferdie}`);
  assert.ok(total >= alice * 3n, `total ${total}`);
  assert.equal((await api.call.reputationApi.halfLife()).toNumber(), 90 * DAYS);
  // No call lets an account grant itself reputation.
  const result = await submit(api, api.tx.reputation.grant(who.Ferdie.address, 1_000_000), who.Ferdie);
  assert.equal(result.dispatchError, 'BadOrigin');
});

test('a parameter change passing both houses is enacted and its deposits are refunded', async () => {
  const newHalfLife = 30 * DAYS;
  const index = await propose(who.Alice, api.tx.reputation.setHalfLife(newHalfLife));
  assert.equal(await reserved(who.Alice), SUBMISSION_DEPOSIT + GENERAL_ADMIN_DECISION_DEPOSIT);

  // Reputable token holders vote aye; each vote weighs in both houses.
  const results = await Promise.all(['Alice', 'Bob', 'Charlie', 'Dave'].map((name) =>
    ok(vote(index, 'Aye', 900_000n * UNIT), who[name])));
  const voted = find(results[1], 'hybridVoting', 'Voted').data;
  assert.equal(voted.tokenVotes.toBigInt(), 900_000n * UNIT, 'Locked1x: 1x the frozen balance');
  // Reputation counts linearly (split-neutral): the votes equal Bob's reputation (1,000,000 at
  // genesis, a little decayed).
  assert.equal(voted.reputationVotes.toBigInt(), voted.reputation.toBigInt(), 'reputation votes = reputation');
  assert.ok(voted.reputationVotes.toBigInt() > 990_000n && voted.reputationVotes.toBigInt() <= 1_000_000n,
    `reputation votes: ${voted.reputationVotes}`);
  const frozen = (await api.call.hybridVotingApi.frozenForVoting(who.Bob.address)).toBigInt();
  assert.equal(frozen, 900_000n * UNIT);

  await waitFor('approval', async () => (await referendum(index)).isApproved, { timeoutMs: 180_000 });
  await waitFor('enactment', async () =>
    (await api.call.reputationApi.halfLife()).toNumber() === newHalfLife, { timeoutMs: 60_000 });
  assert.equal((await api.query.reputation.clock()).halfLife.toNumber(), newHalfLife);

  await ok(api.tx.referenda.refundSubmissionDeposit(index), who.Eve);
  await ok(api.tx.referenda.refundDecisionDeposit(index), who.Eve);
  assert.equal(await reserved(who.Alice), 0n);
});

test('a vote with more than the free balance fails with a readable error and changes nothing', async () => {
  const index = await propose(who.Ferdie, api.tx.reputation.setHalfLife(20 * DAYS));
  const before = (await referendum(index)).asOngoing.tally.toJSON();
  const account = (await api.query.system.account(who.Bob.address)).data;
  const result = await submit(api, vote(index, 'Aye', account.free.toBigInt() + 1n), who.Bob);
  assert.match(result.dispatchError, /^hybridVoting\.InsufficientFunds: The vote's balance is more than/);
  assert.deepEqual((await referendum(index)).asOngoing.tally.toJSON(), before);
  const votes = await api.call.hybridVotingApi.votesOf(who.Bob.address);
  assert.ok(!votes.some(([poll]) => poll.toNumber() === index), 'no vote recorded');
});

test('the council vetoes a referendum: cancelled, deposits refunded, resubmission refused', async () => {
  const call = api.tx.reputation.setHalfLife(3 * DAYS);
  const index = await propose(who.Dave, call);
  assert.equal(await reserved(who.Dave), SUBMISSION_DEPOSIT + GENERAL_ADMIN_DECISION_DEPOSIT);

  const closed = (await councilMotion(api, api.tx.referendaAdmin.veto(index), [who.Alice, who.Bob])).events;
  assert.ok(find(closed, 'referendaAdmin', 'Vetoed'), 'Vetoed event');
  assert.ok((await referendum(index)).isCancelled);
  assert.equal(await reserved(who.Dave), 0n, 'both deposits refunded');

  const again = await submit(api, api.tx.referenda.submit(
    { Origins: 'GeneralAdmin' }, { Inline: call.method.toHex() }, { After: 0 },
  ), who.Dave);
  assert.match(again.dispatchError, /^system\.CallFiltered/);
});

test('passing the token house but failing the reputation house is rejected; deposits come back', async () => {
  // Read here, not assumed from an earlier test: the rejected change must leave it as it was.
  const halfLifeBefore = (await api.call.reputationApi.halfLife()).toNumber();
  assert.notEqual(halfLifeBefore, 2 * DAYS);
  const index = await propose(who.Eve, api.tx.reputation.setHalfLife(2 * DAYS));
  // Token whales with little reputation vote aye with almost everything...
  await Promise.all(['Eve', 'Ferdie', 'Dave'].map((name) =>
    ok(vote(index, 'Aye', 950_000n * UNIT), who[name])));
  // ...reputable accounts vote nay with reputation only.
  await Promise.all(['Alice', 'Bob', 'Charlie'].map((name) =>
    ok(vote(index, 'Nay', 0n, 'None'), who[name])));
  const tally = (await referendum(index)).asOngoing.tally;
  assert.equal(tally.tokenNays.toBigInt(), 0n, 'the token house is unanimous');
  // Reputation-house approval 1,100 / (1,100 + 3,000) ≈ 27% < 50%.
  assert.ok(tally.reputationNays.toBigInt() > tally.reputationAyes.toBigInt() * 2n,
    `the reputation house is against: ${tally.reputationAyes} aye / ${tally.reputationNays} nay`);

  await waitFor('rejection', async () => (await referendum(index)).isRejected, { timeoutMs: 240_000 });
  assert.equal((await api.call.reputationApi.halfLife()).toNumber(), halfLifeBefore, 'not enacted');

  // Decision deposit: refunded by referenda; submission deposit: settled by referenda-admin
  // (pallet-referenda alone would keep it reserved forever).
  await ok(api.tx.referenda.refundDecisionDeposit(index), who.Alice);
  const refused = await submit(api, api.tx.referenda.refundSubmissionDeposit(index), who.Alice);
  assert.match(refused.dispatchError, /^referenda\.BadStatus/);
  const settled = await ok(api.tx.referendaAdmin.settleSubmissionDeposit(index), who.Alice);
  assert.equal(find(settled, 'referendaAdmin', 'SubmissionDepositRefunded').data.amount.toBigInt(), SUBMISSION_DEPOSIT);
  assert.equal(await reserved(who.Eve), 0n);
});
