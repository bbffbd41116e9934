// Output evaluation end to end on a real `perspective-node --dev`, driven by @polkadot/api as
// a polkadot.js user would: six evaluators register with different bonds; Alice (the heaviest
// of them) opens a two-criteria task with a reward; the next block draws its panel by lot
// (7 seats, with replacement, proportional to bond; never Alice); an evaluator who was not drawn
// cannot commit; the members commit; in the reveal window the one with the fewest seats stays
// silent, the next one (on panels of four or more members) reveals far-off scores, the others
// agree (the first one after a reveal with a wrong salt); the chain settles the task when the
// reveal window ends and pays the pot per seat.
//
// Development genesis parameters: minimum bond 100 PRSP, panels of 7 seats, quorum 4 seats,
// tolerance 10 points per criterion; per seat, no-shows lose 2% of the minimum bond and 5,000
// reputation, outliers 1% and 2,000, an exact match gains 1,000 reputation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { submit, submitOk, evaluationCommitment } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const MIN_BOND = 100n * UNIT;
const REWARD = 90n * UNIT;
const COMMIT_PERIOD = 5;
const REVEAL_PERIOD = 5;
const PANEL_SIZE = 7;
const QUORUM = 4;
// Draw weights. Alice, the opener, holds half of all bonds: were she not excluded from her own
// task's draw she would hold about half of its seats (and none only with probability 1/128).
const BONDS = {
  Alice: 3_000n * UNIT,
  Bob: 1_000n * UNIT,
  Charlie: 800n * UNIT,
  Dave: 600n * UNIT,
  Eve: 400n * UNIT,
  Ferdie: 200n * UNIT,
};
// Registers only if every registered evaluator was drawn (an endowed dev account): a
// registration after the draw can never be on that panel.
const LATE = 'Late';

let node;
let api;
const who = {};
const nameOf = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of Object.keys(BONDS)) {
    who[name] = keyring.addFromUri(`//${name}`);
  }
  who[LATE] = keyring.addFromUri('//Ferdie//stash');
  for (const [name, pair] of Object.entries(who)) nameOf[pair.address] = name;
});

after(async () => {
  if (node) await node.stop();
});

const ok = async (tx, signer) => (await submitOk(api, tx, signer)).events;

const find = (events, method) => events.find((e) => e.section === 'evaluation' && e.method === method);
const findAll = (events, method) => events.filter((e) => e.section === 'evaluation' && e.method === method);
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const blockNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
const eventsAt = async (hash) => (await (await api.at(hash)).query.system.events()).map(({ event }) => event);
const free = async (account, at) => (await (at ? await api.at(at) : api).query.system.account(account.address)).data.free.toBigInt();
const reputation = async (account, at) => (await (at ? await api.at(at) : api).call.reputationApi.reputationOf(account.address)).toBigInt();
const evaluator = async (name) => (await api.call.evaluationApi.evaluator(who[name].address)).unwrap();
/** `account`'s open tasks with its seats, from the runtime API, as [[task, seats], ...]. */
const drawnFor = async (name) => (await api.call.evaluationApi.drawnFor(who[name].address)).toJSON();
/** A panel (event, storage or runtime API) as [[name, seats], ...]. */
const panelOf = (panel) => panel.map(([account, seats]) => [nameOf[account.toString()] ?? account.toString(), seats.toNumber()]);

const commitment = evaluationCommitment;

const salts = {};
const AGREED = [80, 90];
const FAR_OFF = [20, 30];

test('a panel drawn by lot scores a task; only its members commit; payouts, slashes and reputation per seat', { timeout: 300_000 }, async () => {
  // Register (bonds held); each evaluator is in the draw from the next block on.
  await Promise.all(Object.entries(BONDS).map(([name, bond]) => ok(api.tx.evaluation.register(bond), who[name])));
  for (const [name, bond] of Object.entries(BONDS)) {
    const info = await evaluator(name);
    assert.equal(info.bond.toBigInt(), bond, `${name}'s bond`);
    assert.ok(info.slot.isSome, `${name} can be drawn`);
  }

  // Alice opens the task: no say over the panel any more, only the windows.
  const opened = await submitOk(api, api.tx.evaluation.openTask(
    'ModelOutput', `0x${'ab'.repeat(32)}`, 'ipfs://bafy-model-output', ['accuracy', 'safety'],
    REWARD, COMMIT_PERIOD, REVEAL_PERIOD,
  ), who.Alice);
  const { task, commitEnd, revealEnd } = find(opened.events, 'TaskOpened').data;
  const taskId = task.toNumber();
  const [commitEndN, revealEndN] = [commitEnd.toNumber(), revealEnd.toNumber()];
  const openedAt = await blockNumber(opened.blockHash);
  // The commit window starts at the draw, two blocks after the opening.
  assert.equal(commitEndN, openedAt + 2 + COMMIT_PERIOD);
  const fresh = (await (await api.at(opened.blockHash)).call.evaluationApi.task(taskId)).unwrap();
  assert.deepEqual([fresh.panelSize.toNumber(), fresh.quorum.toNumber(), fresh.panel.length], [PANEL_SIZE, QUORUM, 0],
    'the panel is not drawn in the block that opens the task');

  // The hook draws the panel two blocks later, from the VRF outputs of the opening block and
  // the next one (no single block author knows both while it can still change the inputs).
  await waitFor('the panel draw', async () => (await bestNumber()) >= openedAt + 2);
  const notYet = await api.rpc.chain.getBlockHash(openedAt + 1);
  assert.ok(!findAll(await eventsAt(notYet), 'PanelDrawn').some((e) => e.data.task.toNumber() === taskId),
    'not drawn in the block after the opening');
  const drawnAt = await api.rpc.chain.getBlockHash(openedAt + 2);
  const drawnEvent = findAll(await eventsAt(drawnAt), 'PanelDrawn').find((e) => e.data.task.toNumber() === taskId);
  assert.ok(drawnEvent, `task ${taskId}'s panel is drawn in block #${openedAt + 2}`);
  const panel = panelOf(drawnEvent.data.panel);
  const seatsOf = Object.fromEntries(panel);
  assert.equal(panel.reduce((sum, [, s]) => sum + s, 0), PANEL_SIZE, `seats of ${JSON.stringify(panel)}`);
  assert.ok(!('Alice' in seatsOf), `the opener is never drawn: ${JSON.stringify(panel)}`);
  for (const [name] of panel) assert.ok(name in BONDS, `${name} is a registered evaluator`);
  assert.deepEqual(panelOf((await api.query.evaluation.panels(taskId)).unwrap()), panel, 'storage holds the drawn panel');
  assert.deepEqual(panelOf((await api.call.evaluationApi.task(taskId)).unwrap().panel), panel, 'the task view shows it');
  for (const [name, seats] of panel) {
    assert.equal((await api.query.evaluation.drawn(who[name].address, taskId)).unwrap().toNumber(), seats, `${name}'s seats`);
    assert.deepEqual(await drawnFor(name), [[taskId, seats]], `drawnFor(${name})`);
    assert.equal((await evaluator(name)).pendingTasks.toNumber(), 1);
  }
  console.log(`# panel of task ${taskId}: ${panel.map(([n, s]) => `${n} ×${s}`).join(', ')}`);

  // Roles: the member with the fewest seats (at most 3 of 7 on a panel of two or more members,
  // so the others reach the quorum) commits but never reveals; on a panel of four or more the
  // next one reveals far-off scores (the agreeing members hold more seats than it, so the
  // consensus stays theirs); everyone else agrees.
  const members = panel.map(([name]) => name).sort((a, b) => seatsOf[a] - seatsOf[b] || a.localeCompare(b));
  const noShow = members.length >= 2 ? members[0] : null;
  const outlier = members.length >= 4 ? members[1] : null;
  const accurate = members.filter((name) => name !== noShow && name !== outlier);
  const scores = Object.fromEntries(members.map((name) => [name, name === outlier ? FAR_OFF : AGREED]));
  const first = accurate[0];

  // Commit: hashes computed here match the runtime API's.
  for (const name of members) {
    salts[name] = blake2AsU8a(stringToU8a(`salt of ${name}`), 256);
    const local = commitment(taskId, who[name], scores[name], salts[name]);
    const remote = await api.call.evaluationApi.commitment(taskId, who[name].address, scores[name], salts[name]);
    assert.equal(remote.toHex(), local, `commitment of ${name}`);
  }
  // Registered evaluators left out of the draw (or, if the draw took all of them, one who
  // registers now) and the opener are refused, while the members commit.
  const undrawn = Object.keys(BONDS).filter((name) => name !== 'Alice' && !(name in seatsOf));
  const refused = async () => {
    if (undrawn.length === 0) {
      await ok(api.tx.evaluation.register(MIN_BOND), who[LATE]);
      undrawn.push(LATE);
    }
    const attempts = await Promise.all([...undrawn, 'Alice'].map((name) =>
      submit(api, api.tx.evaluation.commit(taskId, commitment(taskId, who[name], AGREED, salts[first])), who[name])));
    for (const [i, name] of undrawn.entries()) {
      assert.match(attempts[i].dispatchError ?? '', /^evaluation\.NotDrawn: The caller was not drawn/, `${name}'s commit`);
    }
    assert.match(attempts[undrawn.length].dispatchError ?? '', /^evaluation\.OpenerCannotEvaluate/);
  };
  await Promise.all([
    ...members.map((name) =>
      ok(api.tx.evaluation.commit(taskId, commitment(taskId, who[name], scores[name], salts[name])), who[name])),
    refused(),
  ]);
  for (const name of undrawn) {
    assert.ok((await api.query.evaluation.drawn(who[name].address, taskId)).isNone, `${name} holds no seat`);
    assert.deepEqual(await drawnFor(name), [], `drawnFor(${name})`);
  }
  assert.equal((await api.call.evaluationApi.task(taskId)).unwrap().committed.toNumber(), members.length);

  // Reveal window: a reveal submitted now is included at the next block. The first agreeing
  // member tries a wrong salt first.
  await waitFor('the reveal window', async () => (await bestNumber()) + 1 >= commitEndN, { timeoutMs: 120_000 });
  const [, ...others] = [...accurate, ...(outlier ? [outlier] : [])];
  const wrongSalt = async () => {
    const wrong = await submit(api, api.tx.evaluation.reveal(taskId, scores[first], salts[first].map((b) => b ^ 1)), who[first]);
    assert.match(wrong.dispatchError ?? '', /^evaluation\.CommitmentMismatch: The scores and salt do not hash to the commitment/);
    const revealed = find(await ok(api.tx.evaluation.reveal(taskId, scores[first], salts[first]), who[first]), 'Revealed');
    assert.ok(revealed, `${first}'s reveal emits Revealed`);
    assert.equal(revealed.data.who.toString(), who[first].address);
    // Scores are a `Vec<u16>`: every client decodes them as a list of integers (a `Vec<u8>`
    // would read as the bytes '0x505a').
    assert.deepEqual(revealed.data.scores.toJSON(), [80, 90], 'the revealed scores, as integers');
    assert.deepEqual(revealed.data.scores.toJSON(), scores[first]);
  };
  await Promise.all([wrongSalt(), ...others.map((name) => ok(api.tx.evaluation.reveal(taskId, scores[name], salts[name]), who[name]))]);
  const pending = (await api.call.evaluationApi.task(taskId)).unwrap();
  assert.equal(pending.revealed.toNumber(), members.length - (noShow ? 1 : 0));
  assert.ok(pending.status.isOpen);

  // The verdict may be appealed for `appealPeriod` blocks after the reveal window; unappealed,
  // the hook settles the task when that window ends (`settlesAt`).
  const settlesAtN = pending.settlesAt.toNumber();
  const params = (await api.query.evaluation.params()).unwrap();
  assert.equal(settlesAtN, revealEndN + params.appealPeriod.toNumber(), 'settles when the appeal window ends');
  await waitFor('settlement', async () => (await bestNumber()) >= settlesAtN, { timeoutMs: 120_000 });
  const settledAt = await api.rpc.chain.getBlockHash(settlesAtN);
  const before = await api.rpc.chain.getBlockHash(settlesAtN - 1);
  const stillOpen = (await (await api.at(before)).call.evaluationApi.task(taskId)).unwrap();
  assert.ok(stillOpen.status.isOpen, 'not settled during the appeal window');
  const view = (await api.call.evaluationApi.task(taskId)).unwrap();
  assert.ok(view.status.isSettled, `status ${view.status.type}`);
  assert.deepEqual(view.status.asSettled.consensus.toJSON(), [80, 90], 'consensus (80, 90)');

  const events = await eventsAt(settledAt);
  const settled = find(events, 'TaskSettled').data;
  assert.equal(settled.task.toNumber(), taskId);
  assert.deepEqual(settled.consensus.map((s) => s.toNumber()), AGREED);
  assert.equal(settled.rewarded.toNumber(), accurate.length);
  assert.equal(settled.paid.toBigInt() + settled.dust.toBigInt(), REWARD, 'the pot is fully accounted for');

  // The agreeing members share the pot per seat: each exact match has the same closeness, so a
  // payout is ⌊reward × seats / agreeing seats⌋, and its reputation gain 1,000 per seat.
  const accurateSeats = BigInt(accurate.reduce((sum, name) => sum + seatsOf[name], 0));
  const rewarded = Object.fromEntries(findAll(events, 'EvaluatorRewarded').map((e) => [nameOf[e.data.who.toString()], e.data]));
  assert.deepEqual(Object.keys(rewarded).sort(), [...accurate].sort(), 'the agreeing members are paid');
  let paid = 0n;
  for (const name of accurate) {
    const seats = BigInt(seatsOf[name]);
    assert.equal(rewarded[name].payout.toBigInt(), REWARD * seats / accurateSeats, `${name}'s payout for ${seats} seats`);
    assert.equal(rewarded[name].reputation.toBigInt(), 1_000n * seats, `${name}'s reputation for ${seats} seats`);
    assert.equal(rewarded[name].deviation.toNumber(), 0);
    paid += rewarded[name].payout.toBigInt();
  }
  assert.equal(settled.paid.toBigInt(), paid);

  const delta = {};
  for (const name of [...members, 'Alice']) {
    delta[name] = (await free(who[name], settledAt)) - (await free(who[name], before));
  }
  // Each payout arrived in full; Alice got the rounding dust back.
  for (const name of accurate) assert.equal(delta[name], rewarded[name].payout.toBigInt(), name);
  for (const name of [noShow, outlier].filter(Boolean)) assert.equal(delta[name], 0n, name);
  assert.equal(delta.Alice, settled.dust.toBigInt());

  // The no-show and the outlier: per seat, 2% and 1% of the minimum bond burnt from the bond.
  let burnt = 0n;
  if (noShow) {
    const missed = findAll(events, 'RevealMissed');
    assert.deepEqual(missed.map((e) => nameOf[e.data.who.toString()]), [noShow]);
    const slashed = MIN_BOND * 2n / 100n * BigInt(seatsOf[noShow]);
    assert.equal(missed[0].data.slashed.toBigInt(), slashed);
    const info = await evaluator(noShow);
    assert.equal(info.bond.toBigInt(), BONDS[noShow] - slashed);
    assert.equal(info.missed.toNumber(), 1);
    burnt += slashed;
  }
  if (outlier) {
    const far = findAll(events, 'EvaluatorOutlier');
    assert.deepEqual(far.map((e) => nameOf[e.data.who.toString()]), [outlier]);
    const slashed = MIN_BOND / 100n * BigInt(seatsOf[outlier]);
    assert.equal(far[0].data.slashed.toBigInt(), slashed);
    assert.equal(far[0].data.deviation.toNumber(), 120, '60 points off on each criterion');
    const info = await evaluator(outlier);
    assert.equal(info.bond.toBigInt(), BONDS[outlier] - slashed);
    assert.equal(info.outliers.toNumber(), 1);
    burnt += slashed;
  }
  const issuanceBefore = (await (await api.at(before)).query.balances.totalIssuance()).toBigInt();
  const issuanceAfter = (await (await api.at(settledAt)).query.balances.totalIssuance()).toBigInt();
  assert.equal(issuanceBefore - issuanceAfter, burnt, 'only the slashes left the supply');

  // Reputation per seat (penalties capped at what the account has; decay moves a score by
  // less than a point per block).
  const repDelta = async (name) => (await reputation(who[name], settledAt)) - (await reputation(who[name], before));
  const near = (actual, expected, name) => assert.ok(actual >= expected - 2n && actual <= expected + 2n, `${name}: ${actual} vs ${expected}`);
  const loss = async (name, perSeat) => {
    const had = await reputation(who[name], before);
    const penalty = perSeat * BigInt(seatsOf[name]);
    return -(penalty < had ? penalty : had);
  };
  for (const name of accurate) near(await repDelta(name), 1_000n * BigInt(seatsOf[name]), name);
  if (noShow) near(await repDelta(noShow), await loss(noShow, 5_000n), `${noShow} (no-show)`);
  if (outlier) near(await repDelta(outlier), await loss(outlier, 2_000n), `${outlier} (outlier)`);

  const firstInfo = await evaluator(first);
  assert.equal(firstInfo.accurate.toNumber(), 1);
  assert.equal(firstInfo.earned.toBigInt(), delta[first]);
  // Settlement releases the members: no seats, no pending tasks.
  for (const name of members) {
    assert.equal((await evaluator(name)).pendingTasks.toNumber(), 0, `${name}'s pending tasks`);
    assert.deepEqual(await drawnFor(name), [], `drawnFor(${name}) after settlement`);
  }
  // One verdict per member; the outlier's carries its slash.
  const verdicts = Object.fromEntries(view.verdicts.map(([account, verdict]) => [nameOf[account.toString()], verdict]));
  assert.deepEqual(Object.fromEntries(Object.entries(verdicts).map(([name, v]) => [name, v.type])), Object.fromEntries(
    members.map((name) => [name, name === noShow ? 'Missed' : name === outlier ? 'Outlier' : 'Accurate'])));
  if (outlier) assert.equal(verdicts[outlier].asOutlier.slashed.toBigInt(), MIN_BOND / 100n * BigInt(seatsOf[outlier]));

  // Settling again is refused with a readable error.
  const again = await submit(api, api.tx.evaluation.settle(taskId), who.Alice);
  assert.match(again.dispatchError ?? '', /^evaluation\.AlreadySettled/);
});
