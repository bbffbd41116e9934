// Contribution accounting end to end on a real `perspective-node --dev`, driven by
// @polkadot/api as a polkadot.js user would: Alice registers a dataset; Bob registers a model
// trained on it (parent = Alice's dataset, once accepted); Charlie, Dave and Eve score both
// through commit-reveal; the chain accepts both and the epoch closes; Alice and Bob claim, Alice
// including her royalty from Bob's model; a second claim fails with the typed error; the
// `contributions_pendingRewards` RPC and the runtime API agree with what was paid.
//
// Development genesis parameters: 10-block epochs minting 1,000 PRSP (datasets 30%, models
// 30%, participation 15%, ...), royalty 10%, acceptance from quality 60, evaluation windows of
// 10 blocks, evaluation fee 10 PRSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor, rpc } from '../lib/node.js';
import { submit, submitOk, evaluationCommitment } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const EMISSION = 1_000n * UNIT;

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

const ok = (tx, signer) => submitOk(api, tx, signer);

const find = (events, section, method) => events.find((e) => e.section === section && e.method === method);
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const free = async (account) => (await api.query.system.account(account.address)).data.free.toBigInt();

const commitment = evaluationCommitment;

/** Pending rewards from the runtime API and from the node's RPC, which must agree. */
async function pending(account) {
  // Both at the same block, so that a block produced in between cannot make them differ.
  const at = await api.rpc.chain.getBlockHash();
  const viaApi = await (await api.at(at)).call.contributionsApi.pendingRewards(account.address);
  const viaRpc = await rpc(node.rpcPort, 'contributions_pendingRewards', [account.address, at.toHex()]);
  assert.equal(BigInt(viaRpc.claimable), viaApi.claimable.toBigInt(), 'RPC and runtime API agree on claimable');
  assert.equal(viaRpc.epoch, viaApi.epoch.toNumber(), 'RPC and runtime API agree on the epoch');
  assert.equal(BigInt(viaRpc.pointsThisEpoch.model), viaApi.pointsThisEpoch.model.toBigInt());
  return { claimable: viaApi.claimable.toBigInt(), epoch: viaApi.epoch.toNumber(), points: viaApi.pointsThisEpoch };
}

const evaluators = ['Charlie', 'Dave', 'Eve'];

/** Every evaluator commits `scores` on `task`, reveals them in the reveal window, and the chain
 * settles the task at its end. Returns the settlement block's hash. */
async function evaluate(task, scores) {
  const salt = (name) => blake2AsU8a(stringToU8a(`salt ${name} ${task}`), 256);
  await Promise.all(evaluators.map((name) =>
    ok(api.tx.evaluation.commit(task, commitment(task, who[name], scores, salt(name))), who[name])));
  const view = (await api.call.evaluationApi.task(task)).unwrap();
  await waitFor('the reveal window', async () => (await bestNumber()) + 1 >= view.commitEnd.toNumber(), { timeoutMs: 120_000 });
  await Promise.all(evaluators.map((name) => ok(api.tx.evaluation.reveal(task, scores, salt(name)), who[name])));
  const end = view.revealEnd.toNumber();
  await waitFor('settlement', async () => (await bestNumber()) >= end, { timeoutMs: 120_000 });
  return api.rpc.chain.getBlockHash(end);
}

test('a dataset and a model trained on it are scored, rewarded with a royalty and claimed', { timeout: 600_000 }, async () => {
  await Promise.all(evaluators.map((name) => ok(api.tx.evaluation.register(1_000n * UNIT), who[name])));

  // Alice's dataset, then Bob's model with Alice's dataset as parent.
  const datasetHash = u8aToHex(blake2AsU8a(stringToU8a('e2e dataset'), 256));
  const reg1 = await ok(api.tx.contributions.register('Dataset', datasetHash, 'ipfs://bafy-dataset', '{"rows":120000}', []), who.Alice);
  const d = find(reg1.events, 'contributions', 'ContributionRegistered').data;
  const dataset = d.id.toNumber();
  const datasetTask = d.task.toNumber();
  assert.equal(d.owner.toString(), who.Alice.address);
  const held = await api.query.balances.holds(who.Alice.address);
  assert.ok(held.some((h) => h.id.isContributions && h.amount.toBigInt() === d.deposit.toBigInt()), 'deposit held');

  // Registering the same content again is refused.
  const dup = await submit(api, api.tx.contributions.register('Dataset', datasetHash, 'ipfs://copy', '', []), who.Bob);
  assert.match(dup.dispatchError ?? '', /^contributions\.DuplicateContent/);

  // A model cannot name a parent that peers have not accepted yet.
  const early = await submit(api, api.tx.contributions.register('Model', `0x${'77'.repeat(32)}`, 'ipfs://early', '', [dataset]), who.Bob);
  assert.match(early.dispatchError ?? '', /^contributions\.ParentNotAccepted/);

  // Charlie, Dave and Eve score the dataset; it is accepted when the reveal window ends.
  await evaluate(datasetTask, [80, 90]);
  const info = async (id) => (await api.call.contributionsApi.contribution(id)).unwrap();
  const ds = await info(dataset);
  assert.ok(ds.status.isAccepted, `dataset ${ds.status.type}`);
  assert.equal(ds.status.asAccepted.quality.toNumber(), 85);

  // Bob's model, trained on Alice's (accepted) dataset.
  const modelHash = u8aToHex(blake2AsU8a(stringToU8a('e2e model'), 256));
  const reg2 = await ok(api.tx.contributions.register('Model', modelHash, 'ipfs://bafy-model', '{"arch":"mlp"}', [dataset]), who.Bob);
  const m = find(reg2.events, 'contributions', 'ContributionRegistered').data;
  const model = m.id.toNumber();
  const modelTask = m.task.toNumber();
  assert.deepEqual(m.parents.toJSON(), [dataset]);
  const lineage = await api.call.contributionsApi.lineage(model, 16);
  assert.deepEqual(lineage.toJSON(), [[dataset, 1]]);
  const settledAt = await evaluate(modelTask, [90, 90]);
  const md = await info(model);
  assert.ok(md.status.isAccepted, `model ${md.status.type}`);
  assert.equal(md.status.asAccepted.points.toBigInt(), 90_000n);

  // The settlement block's events: Bob kept 81,000 of the model's 90,000 points and 10%
  // (9,000) went to Alice's dataset as a royalty.
  const events = (await (await api.at(settledAt)).query.system.events()).map(({ event }) => event);
  const royalty = find(events, 'contributions', 'RoyaltyCredited').data;
  assert.deepEqual([royalty.from.toNumber(), royalty.to.toNumber(), royalty.points.toBigInt()], [model, dataset, 9_000n]);
  const accepted = events.filter((e) => e.section === 'contributions' && e.method === 'ContributionAccepted')
    .map((e) => e.data).find((e) => e.id.toNumber() === model);
  assert.equal(accepted.kept.toBigInt(), 81_000n);
  const modelEpoch = md.status.asAccepted.epoch.toNumber();

  // The epoch closes by itself.
  await waitFor('the epoch to close', async () => (await api.call.contributionsApi.currentEpoch()).unwrap().index.toNumber() > modelEpoch,
    { timeoutMs: 120_000 });
  const closed = (await api.call.contributionsApi.closedEpoch(modelEpoch)).unwrap();
  assert.equal(closed.rewards.model.toBigInt(), EMISSION * 30n / 100n);

  // Alice: the whole dataset pool (she is its only contributor) + 9/90 of the model pool.
  // Bob: 81/90 of the model pool.
  const expected = { Alice: EMISSION * 30n / 100n + EMISSION * 3n / 100n, Bob: EMISSION * 27n / 100n };
  for (const name of ['Alice', 'Bob']) {
    const before = await pending(who[name]);
    assert.equal(before.claimable, expected[name], `${name} claimable`);
    const balanceBefore = await free(who[name]);
    const claimed = await ok(api.tx.contributions.claim(), who[name]);
    const event = find(claimed.events, 'contributions', 'RewardsClaimed').data;
    assert.equal(event.amount.toBigInt(), expected[name], `${name} paid`);
    const fee = find(claimed.events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
    assert.equal(await free(who[name]) - balanceBefore, expected[name] - fee, `${name}'s balance grew by the claim less the fee`);
    assert.equal((await pending(who[name])).claimable, 0n);
  }

  // Evaluators earned participation rewards too.
  const charlie = await pending(who.Charlie);
  assert.ok(charlie.claimable > 0n, 'participation rewards for accurate evaluators');

  // A second claim fails with the typed error.
  const again = await submit(api, api.tx.contributions.claim(), who.Alice);
  assert.match(again.dispatchError ?? '', /^contributions\.NothingToClaim: Nothing to claim/);
});
