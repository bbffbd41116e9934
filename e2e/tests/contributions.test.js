// Contribution accounting end to end on a real `perspective-node --dev`, driven by
// @polkadot/api as a polkadot.js user would: Alice commits to a dataset and registers it in a
// later block (two-phase registration); Bob does the same for a model trained on it (parent =
// Alice's dataset, once accepted); each contribution's scoring task is evaluated by the panel
// drawn for it by lot among the registered evaluators (Alice, Bob, Charlie, Dave, Eve: never the
// contribution's owner) through commit-reveal; the chain accepts both and the epoch closes;
// Alice and Bob claim, Alice including her royalty from Bob's model; every panel member earned
// participation rewards per seat; a second claim fails with the typed error; the
// `contributions_pendingRewards` RPC and the runtime API agree with what was paid.
//
// Development genesis parameters: 10-block epochs minting 1,000 PRSP (datasets 30%, models
// 30%, participation 15%, ...), royalty 10%, acceptance from quality 60, evaluation windows of
// 10 blocks, evaluation fee 10 PRSP, panels of 7 seats; 1,000 participation points per seat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor, rpc } from '../lib/node.js';
import { submit, submitOk, evaluationCommitment, registrationCommitment } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const EMISSION = 1_000n * UNIT;
const PANEL_SIZE = 7;
const PARTICIPATION_POINTS = 1_000n;

let node;
let api;
const who = {};
const nameOf = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve']) {
    who[name] = keyring.addFromUri(`//${name}`);
    nameOf[who[name].address] = name;
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

/**
 * Two-phase registration: `owner` commits to registering `contentHash` (the commitment computed
 * here matches the runtime API's), then registers it in a later block. Returns the
 * `ContributionRegistered` event's data.
 */
async function register(owner, kind, contentHash, uri, metadata, parents) {
  const salt = blake2AsU8a(stringToU8a(`registration salt ${owner} ${contentHash}`), 256);
  const local = registrationCommitment(contentHash, who[owner], salt);
  const remote = await api.call.contributionsApi.registrationCommitment(contentHash, who[owner].address, salt);
  assert.equal(remote.toHex(), local, `registration commitment of ${owner}`);
  const committed = await ok(api.tx.contributions.commitRegistration(local), who[owner]);
  const c = find(committed.events, 'contributions', 'RegistrationCommitted').data;
  assert.deepEqual([c.owner.toString(), c.commitment.toHex()], [who[owner].address, local]);
  // `submit` resolves once the commitment is in a block, so the registration goes into a later one.
  const registered = await ok(api.tx.contributions.register(kind, contentHash, uri, metadata, parents, salt), who[owner]);
  const used = find(registered.events, 'contributions', 'RegistrationCommitmentUsed').data;
  assert.equal(used.commitment.toHex(), local);
  assert.equal(used.refunded.toBigInt(), c.deposit.toBigInt(), 'the commitment deposit is released');
  return find(registered.events, 'contributions', 'ContributionRegistered').data;
}

/** A task's drawn panel as [[name, seats], ...], once the block after its opening drew it. */
async function panelOf(task) {
  const stored = await waitFor(`task ${task}'s panel`, async () => {
    const panel = await api.query.evaluation.panels(task);
    return panel.isSome ? panel.unwrap() : null;
  });
  return stored.map(([account, seats]) => [nameOf[account.toString()] ?? account.toString(), seats.toNumber()]);
}

/** The members of `task`'s panel (drawn among the evaluators, never `owner`) commit `scores`,
 * reveal them in the reveal window, and the chain settles the task at its end. Returns the
 * settlement block's hash and the panel. */
async function evaluate(task, owner, scores) {
  const panel = await panelOf(task);
  assert.equal(panel.reduce((sum, [, seats]) => sum + seats, 0), PANEL_SIZE, `seats of ${JSON.stringify(panel)}`);
  assert.ok(panel.every(([name]) => name !== owner), `the owner ${owner} is never on its contribution's panel: ${JSON.stringify(panel)}`);
  for (const [name, seats] of panel) {
    assert.ok(evaluators.includes(name), `${name} is a registered evaluator`);
    const drawn = (await api.call.evaluationApi.drawnFor(who[name].address)).toJSON();
    assert.ok(drawn.some(([t, s]) => t === task && s === seats), `drawnFor(${name}) lists task ${task} with ${seats} seats`);
  }
  console.log(`# panel of task ${task}: ${panel.map(([n, s]) => `${n} ×${s}`).join(', ')}`);
  const members = panel.map(([name]) => name);
  const salt = (name) => blake2AsU8a(stringToU8a(`salt ${name} ${task}`), 256);
  await Promise.all(members.map((name) =>
    ok(api.tx.evaluation.commit(task, commitment(task, who[name], scores, salt(name))), who[name])));
  const view = (await api.call.evaluationApi.task(task)).unwrap();
  await waitFor('the reveal window', async () => (await bestNumber()) + 1 >= view.commitEnd.toNumber(), { timeoutMs: 120_000 });
  await Promise.all(members.map((name) => ok(api.tx.evaluation.reveal(task, scores, salt(name)), who[name])));
  // Final (and scored) once the appeal window after the reveals has passed.
  const end = view.settlesAt.toNumber();
  assert.ok(end > view.revealEnd.toNumber(), 'an appeal window follows the reveals');
  await waitFor('settlement', async () => (await bestNumber()) >= end, { timeoutMs: 120_000 });
  return { settledAt: await api.rpc.chain.getBlockHash(end), panel };
}

// Everyone may be drawn, except on the task of its own contribution.
const evaluators = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'];

test('contributions scored by drawn panels are rewarded with a royalty and participation per seat, and claimed', { timeout: 600_000 }, async () => {
  // Alice's dataset: her registration commitment goes in with the evaluators' registrations
  // (Alice registers as an evaluator later: she cannot be drawn for her own dataset anyway).
  const datasetHash = u8aToHex(blake2AsU8a(stringToU8a('e2e dataset'), 256));
  const [d] = await Promise.all([
    register('Alice', 'Dataset', datasetHash, 'ipfs://bafy-dataset', '{"rows":120000}', []),
    ...evaluators.filter((name) => name !== 'Alice').map((name) => ok(api.tx.evaluation.register(1_000n * UNIT), who[name])),
  ]);
  const dataset = d.id.toNumber();
  const datasetTask = d.task.unwrap().toNumber();
  assert.equal(d.owner.toString(), who.Alice.address);
  const held = await api.query.balances.holds(who.Alice.address);
  assert.ok(held.some((h) => h.id.isContributions && h.id.asContributions.isContributionDeposit
    && h.amount.toBigInt() === d.deposit.toBigInt()), 'deposit held');
  assert.ok(!held.some((h) => h.id.isContributions && h.id.asContributions.isRegistrationCommitment
    && h.amount.toBigInt() > 0n), 'the commitment deposit was released');

  // Registering the same content again is refused; registering without a commitment too.
  const [dup, uncommitted] = await Promise.all([
    submit(api, api.tx.contributions.register('Dataset', datasetHash, 'ipfs://copy', '', [], new Uint8Array(32)), who.Bob),
    submit(api, api.tx.contributions.register('Code', `0x${'66'.repeat(32)}`, 'ipfs://uncommitted', '', [], new Uint8Array(32)), who.Charlie),
    ok(api.tx.evaluation.register(1_000n * UNIT), who.Alice),
  ]);
  assert.match(dup.dispatchError ?? '', /^contributions\.DuplicateContent/);
  assert.match(uncommitted.dispatchError ?? '', /^contributions\.NoRegistrationCommitment/);

  // A model cannot name a parent that peers have not accepted yet.
  const early = await submit(api, api.tx.contributions.register('Model', `0x${'77'.repeat(32)}`, 'ipfs://early', '', [dataset], new Uint8Array(32)), who.Bob);
  assert.match(early.dispatchError ?? '', /^contributions\.ParentNotAccepted/);

  // The dataset's panel (drawn among Bob, Charlie, Dave and Eve) scores it; it is accepted when
  // the reveal window ends.
  const datasetEval = await evaluate(datasetTask, 'Alice', [80, 90]);
  const info = async (id) => (await api.call.contributionsApi.contribution(id)).unwrap();
  const ds = await info(dataset);
  assert.ok(ds.status.isAccepted, `dataset ${ds.status.type}`);
  assert.equal(ds.status.asAccepted.quality.toNumber(), 85);
  const datasetEpoch = ds.status.asAccepted.epoch.toNumber();

  // Bob's model, trained on Alice's (accepted) dataset.
  const modelHash = u8aToHex(blake2AsU8a(stringToU8a('e2e model'), 256));
  const m = await register('Bob', 'Model', modelHash, 'ipfs://bafy-model', '{"arch":"mlp"}', [dataset]);
  const model = m.id.toNumber();
  const modelTask = m.task.unwrap().toNumber();
  assert.deepEqual(m.parents.toJSON(), [dataset]);
  const lineage = await api.call.contributionsApi.lineage(model, 16);
  assert.deepEqual(lineage.toJSON(), [[dataset, 1]]);
  // Its panel is drawn among Alice, Charlie, Dave and Eve.
  const modelEval = await evaluate(modelTask, 'Bob', [90, 90]);
  const md = await info(model);
  assert.ok(md.status.isAccepted, `model ${md.status.type}`);
  assert.equal(md.status.asAccepted.points.toBigInt(), 90_000n);

  // The settlement block's events: Bob kept 81,000 of the model's 90,000 points and 10%
  // (9,000) went to Alice's dataset as a royalty; the panel's seats earned participation points.
  const events = (await (await api.at(modelEval.settledAt)).query.system.events()).map(({ event }) => event);
  const royalty = find(events, 'contributions', 'RoyaltyCredited').data;
  assert.deepEqual([royalty.from.toNumber(), royalty.to.toNumber(), royalty.points.toBigInt()], [model, dataset, 9_000n]);
  const accepted = events.filter((e) => e.section === 'contributions' && e.method === 'ContributionAccepted')
    .map((e) => e.data).find((e) => e.id.toNumber() === model);
  assert.equal(accepted.kept.toBigInt(), 81_000n);
  const participation = find(events, 'contributions', 'ParticipationCredited').data;
  assert.deepEqual(
    [participation.task.toNumber(), participation.evaluators.toNumber(), participation.seats.toNumber(), participation.pointsPerSeat.toBigInt()],
    [modelTask, modelEval.panel.length, PANEL_SIZE, PARTICIPATION_POINTS]);
  const modelEpoch = md.status.asAccepted.epoch.toNumber();
  assert.ok(modelEpoch > datasetEpoch, `the model (epoch ${modelEpoch}) was accepted after the dataset (epoch ${datasetEpoch})`);

  // The epoch closes by itself.
  await waitFor('the epoch to close', async () => (await api.call.contributionsApi.currentEpoch()).unwrap().index.toNumber() > modelEpoch,
    { timeoutMs: 120_000 });
  const closed = (await api.call.contributionsApi.closedEpoch(modelEpoch)).unwrap();
  assert.equal(closed.rewards.model.toBigInt(), EMISSION * 30n / 100n);

  // Participation: in each of the two epochs, one task's panel (all 7 seats accurate) shared the
  // participation pool, 1,000 points per seat: a member's reward is ⌊pool × its seats / 7⌋.
  const participationReward = {};
  for (const name of evaluators) participationReward[name] = 0n;
  for (const [epoch, { panel }] of [[datasetEpoch, datasetEval], [modelEpoch, modelEval]]) {
    const e = (await api.call.contributionsApi.closedEpoch(epoch)).unwrap();
    const [pool, points] = [e.rewards.participation.toBigInt(), e.points.participation.toBigInt()];
    assert.equal(points, PARTICIPATION_POINTS * BigInt(PANEL_SIZE), `participation points of epoch ${epoch}`);
    assert.equal(pool, EMISSION * 15n / 100n);
    for (const [name, seats] of panel) {
      participationReward[name] += PARTICIPATION_POINTS * BigInt(seats) * pool / points;
    }
  }

  // Alice: the whole dataset pool (she is its only contributor) + 9/90 of the model pool + her
  // seats on the model's panel. Bob: 81/90 of the model pool + his seats on the dataset's panel.
  const expected = {
    Alice: EMISSION * 30n / 100n + EMISSION * 3n / 100n + participationReward.Alice,
    Bob: EMISSION * 27n / 100n + participationReward.Bob,
  };
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

  // The other evaluators earned participation rewards per seat they held (none if never drawn).
  for (const name of ['Charlie', 'Dave', 'Eve']) {
    assert.equal((await pending(who[name])).claimable, participationReward[name], `${name}'s participation rewards`);
  }

  // A second claim fails with the typed error.
  const again = await submit(api, api.tx.contributions.claim(), who.Alice);
  assert.match(again.dispatchError ?? '', /^contributions\.NothingToClaim: Nothing to claim/);
});
