// One appeal that overturns a verdict, end to end on a real `perspective-node --dev`, driven by
// @polkadot/api as a polkadot.js user would, with every balance checked to the planck.
//
// Charlie, Dave, Eve and Ferdie register as evaluators; Bob opens a one-criterion task with the
// minimum reward and the shortest windows; its first panel (7 seats, drawn from those four) all
// reveal 20: a bought verdict. Four fresh evaluators register after the opening (too late for
// that draw). A fresh account appeals with the first appeal's bond; the appeal panel (15 seats)
// is drawn two blocks after the appeal window closes, from evaluators who sat on no earlier round
// (never a liar, never the opener, never the appellant): the fresh ones and any of the first four
// left out of the first draw. They all reveal
// 80. Once the task falls due, Alice settles it (the hook leaves appealed tasks to `settle`):
// the final verdict is 80, beyond tolerance of 20, so the verdict is overturned and the appeal
// upheld. Every liar is an outlier (1 PRSP per seat slashed from its bond into the penalties);
// nobody on the first panel was accurate, so Bob's pot goes back to him; the appellant gets its
// bond back plus half of the penalties; the other half goes to the appeal panel by seats ×
// closeness (rounded down); the rounding dust is burnt.
//
// Development genesis parameters: minimum bond 100 PRSP, minimum reward 1 PRSP, windows of at
// least 5 blocks, panels of 7 seats with a quorum of 4, tolerance 10 points per criterion,
// outliers lose 1% of the minimum bond per seat; appeal windows of 5 blocks, appeal bond base
// 50 PRSP (the first appeal: 100 PRSP), 2 appeal rounds, 20 blocks for governance. Appeal rounds
// use `default_period` (10 blocks at genesis) for their windows: to keep the file near three
// minutes of chain time (6 s blocks), Alice (sudo) first sets it to the 5-block minimum.
// Timeline (blocks after the opening O): first draw O+2, reveals from O+7, the verdict at O+12,
// the appeal about a block later, the window's end (due) at O+17, appeal draw at O+19, reveals
// from O+24, settlement from O+34: about 40 blocks with the setup, ≈ 4 min.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitFor } from '../lib/node.js';
import { submit, submitOk, findEvent, evaluationCommitment } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const MIN_BOND = 100n * UNIT;
const FUNDING = 1_000n * UNIT;
const WINDOW = 5; // the genesis `min_period`: the shortest commit and reveal windows
const PANEL_SIZE = 7;
const APPEAL_PANEL_SIZE = 2 * PANEL_SIZE + 1;
const OPENER = 'Bob';
// In the draw from the start: the first panel is drawn among them.
const FIRST = ['Charlie', 'Dave', 'Eve', 'Ferdie'];
// Registered after the task was opened: only ever drawn for the appeal.
const LATE = ['Late0', 'Late1', 'Late2', 'Late3'];
const APPELLANT = 'Appellant';
const LIE = [20];
const TRUTH = [80];

let node;
let api;
const who = {};
const nameOf = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', OPENER, ...FIRST]) who[name] = keyring.addFromUri(`//${name}`);
  for (const [i, name] of LATE.entries()) who[name] = keyring.addFromUri(`//Appeals/Late/${i}`);
  who[APPELLANT] = keyring.addFromUri('//Appeals/Appellant');
  for (const [name, pair] of Object.entries(who)) nameOf[pair.address] = name;
});

after(async () => {
  if (node) await node.stop();
});

const ok = (tx, signer) => submitOk(api, tx, signer);

const find = (events, method) => events.find((e) => e.section === 'evaluation' && e.method === method);
const findAll = (events, method) => events.filter((e) => e.section === 'evaluation' && e.method === method);
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const blockNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
const hashOf = (number) => api.rpc.chain.getBlockHash(number);
const eventsAt = async (hash) => (await (await api.at(hash)).query.system.events()).map(({ event }) => event);
/** Free balance of `name` at block `at`. */
const free = async (name, at) => (await (await api.at(at)).query.system.account(who[name].address)).data.free.toBigInt();
/** What the evaluation pallet holds from `name` for `reason` ('EvaluatorBond', 'TaskReward', 'AppealBond') at `at`. */
const held = async (name, reason, at) => (await (await api.at(at)).query.balances.holds(who[name].address))
  .filter((h) => h.id.isEvaluation && h.id.asEvaluation.type === reason)
  .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
const issuance = async (at) => (await (await api.at(at)).query.balances.totalIssuance()).toBigInt();
/** The fee an extrinsic paid (its `TransactionFeePaid` event; tips are never set here). */
const feeOf = (result) => findEvent(result.events, 'transactionPayment', 'TransactionFeePaid')?.data.actualFee.toBigInt() ?? 0n;
const taskAt = async (task, at) => (await (await api.at(at)).call.evaluationApi.task(task)).unwrap();
const disputeAt = async (task, at) => (await (await api.at(at)).call.evaluationApi.dispute(task)).unwrap();
const evaluatorAt = async (name, at) => (await (await api.at(at)).call.evaluationApi.evaluator(who[name].address)).unwrap();
/** Scores (a `Vec<u16>`) as numbers; an `Option` of them as numbers or null. */
const scoresOf = (scores) => scores.map((s) => s.toNumber());
const optScores = (opt) => (opt.isSome ? scoresOf(opt.unwrap()) : null);
/** A panel (event or runtime API) as [[name, seats], ...]. */
const panelOf = (panel) => panel.map(([account, seats]) => [nameOf[account.toString()] ?? account.toString(), seats.toNumber()]);
const seatsIn = (panel) => panel.reduce((sum, [, seats]) => sum + seats, 0);

/** The panel `PanelDrawn` announced for `task` in block `number`. */
async function drawnIn(task, number) {
  const drawn = findAll(await eventsAt(await hashOf(number)), 'PanelDrawn').find((e) => e.data.task.toNumber() === task);
  assert.ok(drawn, `task ${task}'s panel is drawn in block #${number}`);
  return panelOf(drawn.data.panel);
}

/**
 * Each of `names` commits to `scores` on `task`, with the commitment the runtime API computes
 * (checked against the local computation). Returns the salts and each commit's fee.
 */
async function commitAll(task, names, scores, tag) {
  const salts = {};
  const fees = {};
  await Promise.all(names.map(async (name) => {
    salts[name] = blake2AsU8a(stringToU8a(`${tag}: salt of ${name}`), 256);
    const commitment = (await api.call.evaluationApi.commitment(task, who[name].address, scores, salts[name])).toHex();
    assert.equal(commitment, evaluationCommitment(task, who[name], scores, salts[name]), `commitment of ${name}`);
    fees[name] = feeOf(await ok(api.tx.evaluation.commit(task, commitment), who[name]));
  }));
  return { salts, fees };
}

/** Each of `names` reveals `scores` on `task`. Returns each reveal's fee. */
async function revealAll(task, names, scores, salts) {
  const fees = {};
  await Promise.all(names.map(async (name) => {
    fees[name] = feeOf(await ok(api.tx.evaluation.reveal(task, scores, salts[name]), who[name]));
  }));
  return fees;
}

test('an appeal overturns a lying panel: a larger panel of other evaluators decides; the liars pay the appellant and the appeal panel', { timeout: 480_000 }, async () => {
  // The development genesis parameters this scenario is computed from.
  const genesis = (await api.query.evaluation.params()).unwrap();
  assert.deepEqual({
    minBond: genesis.minBond.toBigInt(),
    minPeriod: genesis.minPeriod.toNumber(),
    panelSize: genesis.panelSize.toNumber(),
    quorum: genesis.quorum.toNumber(),
    tolerance: genesis.tolerance.toNumber(),
    outlierSlash: genesis.outlierSlash.toNumber(),
    appealPeriod: genesis.appealPeriod.toNumber(),
    appealBondBase: genesis.appealBondBase.toBigInt(),
    maxAppealRounds: genesis.maxAppealRounds.toNumber(),
    governancePeriod: genesis.governancePeriod.toNumber(),
  }, {
    minBond: MIN_BOND,
    minPeriod: WINDOW,
    panelSize: PANEL_SIZE,
    quorum: 4,
    tolerance: 10,
    outlierSlash: 10_000_000, // 1% (Perbill)
    appealPeriod: 5,
    appealBondBase: 50n * UNIT,
    maxAppealRounds: 2,
    governancePeriod: 20,
  }, 'development genesis parameters');

  // Alice funds the appellant and the late evaluators and, through sudo, shortens appeal rounds'
  // windows (`default_period`) to the minimum, keeping every other parameter; meanwhile the
  // first four evaluators register.
  const shortened = { ...Object.fromEntries(genesis.entries()), defaultPeriod: WINDOW };
  const [setup] = await Promise.all([
    ok(api.tx.utility.batchAll([
      ...[...LATE, APPELLANT].map((name) => api.tx.balances.transferKeepAlive(who[name].address, FUNDING)),
      api.tx.sudo.sudo(api.tx.evaluation.setParams(shortened)),
    ]), who.Alice),
    ...FIRST.map((name) => ok(api.tx.evaluation.register(MIN_BOND), who[name])),
  ]);
  const sudid = findEvent(setup.events, 'sudo', 'Sudid');
  assert.ok(sudid?.data.sudoResult.isOk, `setParams through sudo succeeded: ${sudid?.data.sudoResult.toString()}`);
  assert.ok(find(setup.events, 'ParamsSet'), 'ParamsSet event');
  const params = (await api.query.evaluation.params()).unwrap();
  assert.equal(params.defaultPeriod.toNumber(), WINDOW);
  assert.equal(params.appealPeriod.toNumber(), genesis.appealPeriod.toNumber(), 'the other parameters are unchanged');
  const APPEAL_PERIOD = params.appealPeriod.toNumber();
  const REWARD = params.minReward.toBigInt();
  const TOLERANCE = params.tolerance.toNumber();
  const ACCURACY_REWARD = params.accuracyReward.toBigInt();
  const SLASH_PER_SEAT = params.outlierSlash.toBigInt() * params.minBond.toBigInt() / 1_000_000_000n;
  const BOND = params.appealBondBase.toBigInt() * 2n; // the appeal opening round 1
  const BACKERS = api.consts.evaluation.maxAppealBackers.toBigInt();

  // Bob opens the task: one criterion, the minimum reward, the shortest windows.
  const opened = await ok(api.tx.evaluation.openTask(
    'ModelOutput', `0x${'cd'.repeat(32)}`, 'ipfs://bafy-appealed-output', ['accuracy'],
    REWARD, WINDOW, WINDOW,
  ), who[OPENER]);
  const o = find(opened.events, 'TaskOpened').data;
  const task = o.task.toNumber();
  const openedAt = await blockNumber(opened.blockHash);
  const [commitEnd0, revealEnd0] = [o.commitEnd.toNumber(), o.revealEnd.toNumber()];
  assert.equal(commitEnd0, openedAt + 2 + WINDOW, 'the commit window starts at the draw');
  assert.equal(revealEnd0, commitEnd0 + WINDOW);
  const due0 = (await taskAt(task, opened.blockHash)).settlesAt.toNumber();
  assert.equal(due0, revealEnd0 + APPEAL_PERIOD, 'the verdict may be appealed before the task falls due');
  assert.equal(await held(OPENER, 'TaskReward', opened.blockHash), REWARD, "the pot is held from Bob's balance");

  // The late evaluators register after the opening block: the first draw reads the tree as it
  // was at the end of that block, so they can only sit on the appeal panel.
  const [late] = await Promise.all([
    Promise.all(LATE.map((name) => ok(api.tx.evaluation.register(MIN_BOND), who[name]))),
    waitFor('the first panel draw', async () => (await bestNumber()) >= openedAt + 2, { timeoutMs: 120_000 }),
  ]);
  for (const [i, registered] of late.entries()) {
    assert.ok((await blockNumber(registered.blockHash)) > openedAt, `${LATE[i]} registered after the opening`);
  }

  // Round 0: 7 seats among the first four. Every member lies.
  const drawn0 = await drawnIn(task, openedAt + 2);
  const seats0 = Object.fromEntries(drawn0);
  const liars = drawn0.map(([name]) => name);
  assert.equal(seatsIn(drawn0), PANEL_SIZE, `seats of ${JSON.stringify(drawn0)}`);
  for (const name of liars) assert.ok(FIRST.includes(name), `${name} was in the draw when the task was opened`);
  console.log(`# first panel of task ${task}: ${drawn0.map(([n, s]) => `${n} ×${s}`).join(', ')}`);
  const round0 = await commitAll(task, liars, LIE, 'round 0');

  // The reveal window; an appeal before the verdict is refused.
  await waitFor('the first reveal window', async () => (await bestNumber()) + 1 >= commitEnd0, { timeoutMs: 120_000 });
  const [, tooEarly] = await Promise.all([
    revealAll(task, liars, LIE, round0.salts),
    submit(api, api.tx.evaluation.appeal(task, BOND), who[APPELLANT]),
  ]);
  assert.match(tooEarly.dispatchError ?? '', /^evaluation\.AppealTooEarly/);

  // The reveal window is over: the verdict (20) stands unless appealed before `due0`.
  await waitFor('the first verdict', async () => (await bestNumber()) >= revealEnd0, { timeoutMs: 120_000 });
  const atVerdict = await hashOf(await bestNumber());
  const open0 = await disputeAt(task, atVerdict);
  assert.equal(open0.round.toNumber(), 0);
  assert.deepEqual(optScores(open0.verdict), LIE, 'the verdict as it stands');
  assert.ok(open0.appealable.isTrue, 'the verdict may be appealed');
  assert.equal(open0.nextBond.toBigInt(), BOND);
  assert.equal(open0.raised.toBigInt(), 0n);
  assert.equal(open0.minPledge.toBigInt(), (BOND + BACKERS - 1n) / BACKERS);
  assert.equal(open0.settlesAt.toNumber(), due0);
  assert.deepEqual(panelOf(open0.panel), drawn0);

  // The appeal: one pledge of the whole bond completes it and starts round 1.
  const appealed = await ok(api.tx.evaluation.appeal(task, BOND), who[APPELLANT]);
  const appealedAt = await blockNumber(appealed.blockHash);
  assert.ok(appealedAt >= revealEnd0 && appealedAt < due0, `appealed in #${appealedAt}, within [${revealEnd0}, ${due0})`);
  const appealFee = feeOf(appealed);
  const pledged = find(appealed.events, 'AppealPledged').data;
  assert.deepEqual(
    [pledged.task.toNumber(), pledged.who.toString(), pledged.amount.toBigInt(), pledged.raised.toBigInt(), pledged.required.toBigInt()],
    [task, who[APPELLANT].address, BOND, BOND, BOND],
  );
  const started = find(appealed.events, 'AppealStarted').data;
  assert.deepEqual(
    [started.task.toNumber(), started.round.toNumber(), started.bond.toBigInt(), started.panelSize.toNumber()],
    [task, 1, BOND, APPEAL_PANEL_SIZE],
  );
  const [commitEnd1, revealEnd1] = [started.commitEnd.toNumber(), started.revealEnd.toNumber()];
  // The appeal panel is drawn two blocks after the appeal window closes (due0), whenever the
  // bond completed: the appellant does not choose the randomness.
  const drawnAt = due0 + 2;
  assert.equal(commitEnd1, drawnAt + WINDOW, 'the appeal round commits for default_period blocks from its draw');
  assert.equal(revealEnd1, commitEnd1 + WINDOW);
  assert.equal(await held(APPELLANT, 'AppealBond', appealed.blockHash), BOND, 'the bond is held');
  const open1 = await disputeAt(task, appealed.blockHash);
  const due1 = open1.settlesAt.toNumber();
  assert.equal(open1.round.toNumber(), 1);
  assert.equal(due1, revealEnd1 + APPEAL_PERIOD);
  assert.ok(open1.appealable.isFalse);
  assert.equal(open1.panel.length, 0, 'the appeal panel is not drawn in the appeal block');
  assert.equal(open1.rounds.length, 1);
  assert.deepEqual(
    open1.rounds[0].members.map(([account, seats, scores]) => [nameOf[account.toString()], seats.toNumber(), optScores(scores)]),
    drawn0.map(([name, seats]) => [name, seats, LIE]),
    'round 0 is archived with its reveals',
  );
  assert.deepEqual(optScores(open1.rounds[0].consensus), LIE);
  assert.equal(open1.appeals.length, 1);
  const record = open1.appeals[0];
  assert.deepEqual(
    [record.round.toNumber(), record.bond.toBigInt(), scoresOf(record.contested)],
    [1, BOND, LIE],
  );
  assert.deepEqual(record.backers.map(([account, amount]) => [nameOf[account.toString()], amount.toBigInt()]), [[APPELLANT, BOND]]);

  // Balances the settlement is measured from: the appellant's before its appeal, and those of
  // everyone who may sit on the appeal panel before it is drawn.
  const appellantBefore = await free(APPELLANT, await hashOf(appealedAt - 1));
  const eligible = [...FIRST.filter((name) => !(name in seats0)), ...LATE];
  const baseline = {};
  for (const name of eligible) baseline[name] = await free(name, appealed.blockHash);

  // Round 1: 15 seats, two blocks later, among evaluators who sat on no earlier round.
  await waitFor('the appeal panel draw', async () => (await bestNumber()) >= drawnAt, { timeoutMs: 120_000 });
  const drawn1 = await drawnIn(task, drawnAt);
  const seats1 = Object.fromEntries(drawn1);
  const panel1 = drawn1.map(([name]) => name);
  assert.equal(seatsIn(drawn1), APPEAL_PANEL_SIZE, `seats of ${JSON.stringify(drawn1)}`);
  for (const name of panel1) {
    assert.ok(!(name in seats0), `${name} sat on the first panel: ${JSON.stringify(drawn1)}`);
    assert.ok(eligible.includes(name), `${name} is neither the opener nor an earlier member: ${JSON.stringify(drawn1)}`);
  }
  assert.deepEqual(panelOf((await disputeAt(task, await hashOf(drawnAt))).panel), drawn1, 'the dispute view shows it');
  console.log(`# appeal panel of task ${task}: ${drawn1.map(([n, s]) => `${n} ×${s}`).join(', ')}`);

  // The appeal panel commits to the truth; a first-round member cannot commit again.
  const [round1, barred] = await Promise.all([
    commitAll(task, panel1, TRUTH, 'round 1'),
    submit(api, api.tx.evaluation.commit(task, evaluationCommitment(task, who[liars[0]], TRUTH, new Uint8Array(32))), who[liars[0]]),
  ]);
  assert.match(barred.dispatchError ?? '', /^evaluation\.NotDrawn/, `${liars[0]}'s commit on the appeal round`);

  // It reveals; settling before the task falls due is refused.
  await waitFor('the appeal reveal window', async () => (await bestNumber()) + 1 >= commitEnd1, { timeoutMs: 120_000 });
  const [revealFees, premature] = await Promise.all([
    revealAll(task, panel1, TRUTH, round1.salts),
    submit(api, api.tx.evaluation.settle(task), who.Alice),
  ]);
  assert.match(premature.dispatchError ?? '', /^evaluation\.NotDue/);
  assert.equal((await taskAt(task, await hashOf(await bestNumber()))).revealed.toNumber(), panel1.length);

  // Anyone settles the appealed task once it falls due (the hook leaves it alone).
  await waitFor('the appealed task falls due', async () => (await bestNumber()) + 1 >= due1, { timeoutMs: 180_000 });
  const settled = await ok(api.tx.evaluation.settle(task), who.Alice);
  const settledAt = await blockNumber(settled.blockHash);
  assert.ok(settledAt >= due1, `settled in #${settledAt}, due #${due1}`);
  const prior = await hashOf(settledAt - 1);
  const now = settled.blockHash;
  assert.ok((await taskAt(task, prior)).status.isOpen, 'the hook did not settle the appealed task');
  const events = settled.events;

  // The liars: outliers of the final verdict, slashed per seat from their bonds.
  const outliers = Object.fromEntries(findAll(events, 'EvaluatorOutlier').map((e) => [nameOf[e.data.who.toString()], e.data]));
  assert.deepEqual(Object.keys(outliers).sort(), [...liars].sort(), 'every first-panel member is an outlier');
  assert.equal(findAll(events, 'RevealMissed').length, 0);
  let penalties = 0n;
  for (const name of liars) {
    const slashed = SLASH_PER_SEAT * BigInt(seats0[name]);
    assert.equal(outliers[name].slashed.toBigInt(), slashed, `${name}'s slash for ${seats0[name]} seats`);
    assert.equal(outliers[name].deviation.toNumber(), Math.abs(TRUTH[0] - LIE[0]));
    assert.equal(await held(name, 'EvaluatorBond', now), (await held(name, 'EvaluatorBond', prior)) - slashed, `${name}'s held bond`);
    assert.equal((await evaluatorAt(name, now)).bond.toBigInt(), MIN_BOND - slashed, `${name}'s recorded bond`);
    assert.equal((await evaluatorAt(name, now)).outliers.toNumber(), 1);
    assert.equal(await free(name, now), await free(name, prior), `${name}'s free balance`);
    penalties += slashed;
  }
  assert.equal(penalties, 7n * UNIT, '1 PRSP for each of the 7 lying seats');

  // The split: half of the penalties to the upheld appeal's backer, half to the appeal panel
  // by seats × closeness (every member matched the verdict exactly), each rounded down.
  const toBackers = penalties / 2n;
  const forPanel = penalties - toBackers;
  const closeness = BigInt(TOLERANCE * TRUTH.length + 1);
  const shares = Object.fromEntries(panel1.map((name) => [name, BigInt(seats1[name]) * closeness]));
  const totalShares = Object.values(shares).reduce((a, b) => a + b, 0n);
  const rewarded = Object.fromEntries(findAll(events, 'EvaluatorRewarded').map((e) => [nameOf[e.data.who.toString()], e.data]));
  assert.deepEqual(Object.keys(rewarded).sort(), [...panel1].sort(), 'exactly the appeal panel is rewarded');
  let toPanels = 0n;
  for (const name of panel1) {
    const payout = forPanel * shares[name] / totalShares;
    assert.equal(rewarded[name].payout.toBigInt(), payout, `${name}'s payout for ${seats1[name]} seats`);
    assert.equal(rewarded[name].deviation.toNumber(), 0);
    assert.equal(rewarded[name].reputation.toBigInt(), ACCURACY_REWARD * BigInt(seats1[name]), `${name}'s reputation`);
    toPanels += payout;
  }
  const burnt = penalties - toBackers - toPanels;

  const appeals = findAll(events, 'AppealSettled');
  assert.equal(appeals.length, 1);
  const a = appeals[0].data;
  assert.deepEqual(
    [a.task.toNumber(), a.round.toNumber(), a.outcome.type, a.bond.toBigInt(), a.refunded.toBigInt(), a.reward.toBigInt()],
    [task, 1, 'Upheld', BOND, BOND, toBackers],
    'the appeal is upheld: its bond refunded, half the penalties its reward',
  );
  const d = find(events, 'DisputeSettled').data;
  assert.equal(d.task.toNumber(), task);
  assert.deepEqual(scoresOf(d.consensus), TRUTH, 'the final verdict is the appeal panel\'s');
  assert.equal(d.rounds.toNumber(), 2);
  assert.ok(d.overturned.isTrue, 'the first verdict was overturned');
  assert.deepEqual(
    { penalties: d.penalties.toBigInt(), toBackers: d.toBackers.toBigInt(), toPanels: d.toPanels.toBigInt(), burnt: d.burnt.toBigInt() },
    { penalties, toBackers, toPanels, burnt },
  );
  assert.equal(d.toBackers.toBigInt() + d.toPanels.toBigInt() + d.burnt.toBigInt(), d.penalties.toBigInt(), 'the penalties are conserved');
  assert.equal(find(events, 'TaskSettled'), undefined, 'an appealed task settles as a dispute');
  console.log(`# penalties ${penalties}: ${toBackers} to the appellant, ${toPanels} to the appeal panel, ${burnt} burnt`);

  // Balances, to the planck.
  assert.equal(await free(APPELLANT, now), appellantBefore - appealFee + toBackers,
    'the appellant: its bond back, less the appeal fee, plus its reward');
  assert.equal(await held(APPELLANT, 'AppealBond', now), 0n);
  for (const name of eligible) {
    const expected = name in seats1
      ? rewarded[name].payout.toBigInt() - round1.fees[name] - revealFees[name]
      : 0n;
    assert.equal((await free(name, now)) - baseline[name], expected, `${name}: payout less its commit and reveal fees`);
    assert.equal(await held(name, 'EvaluatorBond', now), MIN_BOND, `${name}'s bond is untouched`);
  }
  // Nobody on the first panel was accurate: Bob's whole pot is released back to him.
  assert.equal(await held(OPENER, 'TaskReward', prior), REWARD);
  assert.equal(await held(OPENER, 'TaskReward', now), 0n);
  assert.equal((await free(OPENER, now)) - (await free(OPENER, prior)), REWARD, "Bob's pot is back");
  // Fees are burnt (no fee destination): the block's fees and the dust are all that left the supply.
  const fees = (await eventsAt(now))
    .filter((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid')
    .reduce((sum, e) => sum + e.data.actualFee.toBigInt(), 0n);
  assert.equal((await issuance(prior)) - (await issuance(now)), burnt + fees, 'only the dust and the fees left the supply');

  // The settled task: the final verdict, one verdict per member of either round; everyone freed.
  const view = await taskAt(task, now);
  assert.ok(view.status.isSettled, `status ${view.status.type}`);
  assert.deepEqual(scoresOf(view.status.asSettled.consensus), TRUTH);
  assert.equal(view.round.toNumber(), 1);
  const verdicts = Object.fromEntries(view.verdicts.map(([account, verdict]) => [nameOf[account.toString()], verdict.type]));
  assert.deepEqual(verdicts, Object.fromEntries([
    ...liars.map((name) => [name, 'Outlier']),
    ...panel1.map((name) => [name, 'Accurate']),
  ]));
  const closed = await disputeAt(task, now);
  assert.deepEqual(optScores(closed.verdict), TRUTH);
  assert.ok(closed.appealable.isFalse);
  for (const name of [...FIRST, ...LATE]) {
    assert.equal((await evaluatorAt(name, now)).pendingTasks.toNumber(), 0, `${name}'s pending tasks`);
  }
});
