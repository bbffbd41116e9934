// Finding C-1 on a real `perspective-node --dev`: 1,024 funded dust accounts ballot first for
// one candidate (under the old first-come cap of 1,024 voters this locked every honest voter out
// for the term). Now each ballot holds a deposit and there is no cap: the honest voter still
// votes, and counts for more than all the dust together.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { submitOk, findEvent } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const DUST_ACCOUNTS = 1024;
const FUNDING = UNIT; // covers the ballot deposit, fees and the existential deposit
const DUST_STAKE = 1_000_000n; // a millionth of a PRSP

let node;
let api;
const who = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Charlie', 'Dave', 'Ferdie']) who[name] = keyring.addFromUri(`//${name}`);
  who.dust = Array.from({ length: DUST_ACCOUNTS }, (_, i) => keyring.addFromUri(`//Dust/${i}`));
});

after(async () => {
  if (node) await node.stop();
});

function scoreOf(candidates, account) {
  const entry = candidates.find((c) => c.who.toString() === account.address);
  return entry ? entry.score.toBigInt() : 0n;
}

test('1,024 dust ballots cast first do not lock an honest voter out', { timeout: 600_000 }, async () => {
  const ballotDeposit = api.consts.councilElections.ballotDeposit.toBigInt();
  assert.ok(ballotDeposit > 0n, 'ballots carry a deposit');
  assert.equal(api.consts.councilElections.maxVoters, undefined, 'there is no voter cap to fill');

  // The attacker funds 1,024 accounts (four batches of 256 transfers from Alice) ...
  for (let start = 0; start < DUST_ACCOUNTS; start += 256) {
    const transfers = who.dust.slice(start, start + 256)
      .map((d) => api.tx.balances.transferKeepAlive(d.address, FUNDING));
    await submitOk(api, api.tx.utility.batchAll(transfers), who.Alice);
  }
  // ... stands Dave (250,000 reputation ≥ the 100,000 minimum) and ballots for him first.
  await submitOk(api, api.tx.councilElections.submitCandidacy(), who.Dave);
  const signed = await Promise.all(who.dust.map((d) =>
    api.tx.councilElections.vote([who.Dave.address], DUST_STAKE).signAsync(d, { nonce: 0, era: 0 })));
  const started = Date.now();
  await Promise.all(signed.map((tx) => api.rpc.author.submitExtrinsic(tx)));
  await waitFor('1,024 dust ballots', async () =>
    (await api.query.councilElections.voterCount()).toNumber() >= DUST_ACCOUNTS,
  { timeoutMs: 300_000, intervalMs: 2_000 });
  console.log(`# 1,024 dust ballots included in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  // Every dust ballot holds the deposit: the attack's cost, refundable but locked.
  const holds = await api.query.balances.holds(who.dust[17].address);
  const ballotHold = holds.find((h) => h.id.toString().includes('Ballot') ||
    JSON.stringify(h.id.toJSON()).includes('allot'));
  assert.ok(ballotHold, `a dust account holds a ballot deposit: ${JSON.stringify(holds.toJSON())}`);
  assert.equal(ballotHold.amount.toBigInt(), ballotDeposit);
  console.log(`# attack cost: ${DUST_ACCOUNTS} × ${Number(ballotDeposit) / 1e12} PRSP held = ` +
    `${Number(BigInt(DUST_ACCOUNTS) * ballotDeposit) / 1e12} PRSP`);

  // The honest voter comes afterwards, with more stake than any dust account, and still votes.
  // Ferdie holds little reputation (10,000 of 3.51 million), so his weight is mostly his stake.
  await submitOk(api, api.tx.councilElections.submitCandidacy(), who.Charlie);
  const honest = await submitOk(api, api.tx.councilElections.vote([who.Charlie.address], 100_000n * UNIT), who.Ferdie);
  const voted = findEvent(honest.events, 'councilElections', 'Voted');
  assert.ok(voted, 'the honest ballot was accepted');
  assert.equal((await api.query.councilElections.voterCount()).toNumber(), DUST_ACCOUNTS + 1);

  // It counts: Charlie's score (one honest ballot) exceeds Dave's (1,024 dust ballots) many
  // times over, and Dave's is below the seat quota (a tenth of all weight cast, 5 seats) and
  // the minimum seat weight (0.1% of a house): the dust elects nobody.
  const candidates = await api.query.councilElections.candidates();
  const charlie = scoreOf(candidates, who.Charlie);
  const dave = scoreOf(candidates, who.Dave);
  assert.equal(charlie, voted.data.weight.toBigInt());
  assert.ok(charlie > 100n * dave, `honest ${charlie} ≫ dust ${dave}`);
  const cast = (await api.query.councilElections.castWeight()).toBigInt();
  const minSeat = api.consts.councilElections.minElectedWeight.toBigInt();
  assert.ok(dave < cast / 10n && dave < minSeat, `dust ${dave} below the quota (${cast / 10n}, ${minSeat})`);
  assert.ok(charlie >= cast / 10n && charlie >= minSeat, 'the honest candidate reaches the quota');

  // A dust account gets its deposit back by removing its ballot.
  const before = (await api.query.system.account(who.dust[3].address)).data.free.toBigInt();
  const removed = await submitOk(api, api.tx.councilElections.removeVoter(), who.dust[3]);
  const fee = findEvent(removed.events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
  const after = (await api.query.system.account(who.dust[3].address)).data.free.toBigInt();
  assert.equal(after, before + ballotDeposit - fee);
});
