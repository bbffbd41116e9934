// Double signing for real. On the 4-validator local network (Alice, Bob, Charlie, Dave) a second
// node starts with Bob's validator keys (`--bob`: its own base path, node key and ports, the
// network's validators as bootnodes), so two nodes author in Bob's BABE slots (and both vote as
// Bob in GRANDPA). The honest nodes import two blocks of one slot by the same author, submit
// `babe.reportEquivocationUnsigned` (or `grandpa.reportEquivocationUnsigned` for two votes in one
// round), and pallet-offences hands the offence to the validator set, which
//   - burns `offenceSlash` (10%) of Bob's 1,000 PRSP bond: `validatorSet.OffenceSlashed`;
//   - disables Bob at once (`session.disabledValidators` holds his index in `session.validators`);
//   - keeps him in the set, since removing him would leave 3 < min_validators (4):
//     `validatorSet.OffenderKept`.
// Finality continues: Alice, Charlie and Dave are 3 of 4 GRANDPA voters.
//
// This file needs its own network (Bob ends up disabled and slashed): run.js runs it alongside
// the other files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { waitFor } from '../lib/node.js';
import { VALIDATORS, startLocalTestnet, startExtraNode, finalizedNumber } from '../lib/testnet.js';

const UNIT = 10n ** 12n;
const BOND = 1_000n * UNIT; // each genesis validator's bond in local_testnet
const PERBILL = 1_000_000_000n;
const OFFENCE_KINDS = ['babe:equivocatio', 'grandpa:equivoca']; // sp_staking offence::Kind, 16 bytes
const OFFENCE_TIMEOUT_MS = 240_000;

let network;
let duplicate; // the second node with Bob's keys
let api; // connected to Alice's node
let bob;

/**
 * Reads `system.events` of every finalized block, in order from #1: finalized blocks are the
 * canonical chain, so no block is skipped (as a head subscription may skip some) and none read
 * on a fork. `poll()` catches up with the finalized head and returns its number.
 */
function finalizedEventScanner() {
  const records = []; // { number, hash, moment, event }
  let next = 1;
  let lastHash = null;
  return {
    records,
    get lastHash() { return lastHash; },
    get lastNumber() { return next - 1; },
    async poll() {
      const head = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
      while (next <= head) {
        const hash = (await api.rpc.chain.getBlockHash(next)).toHex();
        const at = await api.at(hash);
        const [events, moment] = await Promise.all([at.query.system.events(), at.query.timestamp.now()]);
        for (const { event } of events) records.push({ number: next, hash, moment: moment.toNumber(), event });
        lastHash = hash;
        next += 1;
      }
      return head;
    },
    /** The records of `section.method` events, optionally filtered by `filter(event)`. */
    find(section, method, filter = () => true) {
      return records.filter(({ event }) => event.section === section && event.method === method && filter(event));
    },
  };
}

/** Indices in `session.disabledValidators` (Vec<(u32, OffenceSeverity)>, or Vec<u32>). */
const disabledIndices = (disabled) => disabled.map((entry) => (entry[0] !== undefined ? entry[0] : entry).toNumber());

/** Bob's index in `session.validators` and the disabled indices, at block `hash`. */
async function sessionStateAt(hash) {
  const at = await api.at(hash);
  const [validators, disabled] = await Promise.all([at.query.session.validators(), at.query.session.disabledValidators()]);
  return { bobIndex: validators.findIndex((v) => v.eq(bob.address)), disabled: disabledIndices(disabled) };
}

/** Bob's bond as the validator set records it, at block `hash`. */
async function bondAt(hash) {
  const operator = await (await api.at(hash)).call.validatorSetApi.operator(bob.address);
  assert.ok(operator.isSome, `Bob is an operator at ${hash}`);
  return operator.unwrap().bond.toBigInt();
}

/** Bob's balance held by the validator set (his bond), at block `hash`. */
async function heldBondAt(hash) {
  const holds = await (await api.at(hash)).query.balances.holds(bob.address);
  return holds.filter((h) => h.id.isValidatorSet).reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
}

/** What the network's logs say about equivocations (printed when the offence does not come). */
function equivocationDiagnostics() {
  const pattern = /equivocat|offence|report|Reorg|rror|Pre-sealed|panick/i;
  const lines = VALIDATORS.flatMap((name) => network.logLines(name, pattern)
    .slice(-15).map((l) => `# ${name}: ${l}`));
  const dup = (duplicate?.logs() ?? '').split('\n').filter((l) => pattern.test(l)).slice(-30)
    .map((l) => `# duplicate: ${l}`);
  return [...lines, ...dup].join('\n');
}

before(async () => {
  await cryptoWaitReady();
  bob = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob');
  network = await startLocalTestnet();
  api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${network.rpcPorts[0]}`), noInitWarn: true });
});

after(async () => {
  if (api) await api.disconnect().catch(() => {});
  if (duplicate) await duplicate.stop();
  if (network) network.stop();
});

test("a second node with Bob's keys double-signs: the offence is reported, Bob is slashed 10%, disabled and kept", async () => {
  const scanner = finalizedEventScanner();
  const port = network.rpcPorts[0];
  await waitFor('the network to finalize #1', async () => (await finalizedNumber(port)) >= 1, { timeoutMs: 120_000 });

  // Before: Bob validates with his whole bond; an offence burns `offenceSlash` of it.
  const params = await api.query.validatorSet.params();
  assert.equal(params.minValidators.toNumber(), 4, 'local_testnet keeps at least 4 validators');
  const offenceSlash = params.offenceSlash.toBigInt(); // Perbill, parts per billion
  assert.equal(offenceSlash, PERBILL / 10n, 'offenceSlash is 10%');
  const expectedSlash = (BOND * offenceSlash) / PERBILL;
  assert.equal(expectedSlash, 100n * UNIT);
  const bobOperator = (await api.call.validatorSetApi.operator(bob.address)).unwrap();
  assert.equal(bobOperator.bond.toBigInt(), BOND);
  assert.ok(bobOperator.status.isValidating, `Bob validates (${bobOperator.status.type})`);
  assert.equal((await api.query.session.validators()).length, 4);
  const sessionAtStart = (await api.query.session.currentIndex()).toNumber();

  // The honest network reports nothing.
  await scanner.poll();
  assert.deepEqual(scanner.find('offences', 'Offence'), [], 'no offence before the second node starts');

  duplicate = await startExtraNode(network, 'bob-duplicate', ['--bob']);
  const startedAt = duplicate.startedAt;
  console.log(`# second node with Bob's keys started (pid ${duplicate.pid}, rpc ${duplicate.rpcPort})`);

  let offence;
  try {
    offence = await waitFor('an offences.Offence event', async () => {
      await scanner.poll();
      return scanner.find('offences', 'Offence')[0];
    }, { timeoutMs: OFFENCE_TIMEOUT_MS, intervalMs: 2000 });
  } catch (e) {
    console.log(equivocationDiagnostics());
    throw e;
  }
  const seenAfter = (Date.now() - startedAt) / 1000;
  const finalizedAtOffence = await finalizedNumber(port);
  // offences.Offence { kind: [u8; 16], slot: Vec<u8> (the SCALE-encoded time slot) }, read by position.
  const [kindField, slotField] = offence.event.data;
  const kind = u8aToString(kindField.toU8a(true));
  const reportedAfter = (offence.moment - startedAt) / 1000;
  console.log(`# equivocation reported after ${reportedAfter.toFixed(1)} s: offences.Offence kind '${kind}' `
    + `time slot ${u8aToHex(slotField.toU8a(true))} in block #${offence.number} `
    + `(block time, counted from the second node's start; seen finalized after ${seenAfter.toFixed(1)} s)`);
  assert.ok(OFFENCE_KINDS.includes(kind), `the offence is an equivocation (${kind})`);
  assert.ok(offence.moment >= startedAt, 'the offence comes after the second node started');
  if (kind === OFFENCE_KINDS[0]) {
    assert.match(duplicate.logs(), /Pre-sealed block for proposal at/, 'the second node authored blocks');
  }

  // Finality keeps advancing: 3 of 4 GRANDPA voters are honest. Keep reading events meanwhile.
  await waitFor(`finalized #${finalizedAtOffence + 3}`, async () => (await scanner.poll()) >= finalizedAtOffence + 3,
    { timeoutMs: 180_000, intervalMs: 2000 });
  assert.ok((await finalizedNumber(port)) >= finalizedAtOffence + 3, 'finality advanced by 3 blocks after the offence');

  // Slashed: `offenceSlash` × bond, at most once per session.
  const ofBob = (event) => event.data.who.eq(bob.address);
  const slashes = scanner.find('validatorSet', 'OffenceSlashed', ofBob);
  assert.ok(slashes.length >= 1, 'validatorSet.OffenceSlashed for Bob');
  const [slash] = slashes;
  assert.ok(slash.number <= offence.number, 'Bob is slashed for the first offence, in its block');
  assert.equal(slash.event.data.slashed.toBigInt(), expectedSlash, 'slashed = offenceSlash (10%) × 1,000 PRSP');
  assert.ok(slash.event.data.session.toNumber() >= sessionAtStart, 'the offence is in a session since the start');
  const slashedSessions = slashes.map((r) => r.event.data.session.toNumber());
  assert.equal(new Set(slashedSessions).size, slashedSessions.length, `one slash per session (${slashedSessions})`);
  assert.equal(scanner.find('validatorSet', 'OffenceSlashed', (e) => !ofBob(e)).length, 0, 'nobody else is slashed');

  // Bob's bond, and the balance held for it, dropped by exactly the slash in that block.
  const parent = (await api.rpc.chain.getHeader(slash.hash)).parentHash.toHex();
  assert.equal(await bondAt(parent), BOND);
  assert.equal(await bondAt(slash.hash), BOND - expectedSlash, "the validator set's record of Bob's bond");
  assert.equal((await heldBondAt(parent)) - (await heldBondAt(slash.hash)), expectedSlash, 'the held bond');
  // Later slashes (an equivocation in a later session) are accounted for too.
  const slashedTotal = slashes.reduce((sum, r) => sum + r.event.data.slashed.toBigInt(), 0n);
  assert.equal(await bondAt(scanner.lastHash), BOND - slashedTotal, 'the bond now: 1,000 PRSP minus every slash');

  // Kept in the set (3 would be below min_validators), but disabled at once.
  assert.ok(scanner.find('validatorSet', 'OffenderKept', ofBob).length >= 1, 'validatorSet.OffenderKept for Bob');
  assert.equal(scanner.find('validatorSet', 'OffenderRemoved', ofBob).length, 0, 'Bob is not removed');
  const approved = await api.call.validatorSetApi.approvedValidators();
  assert.equal(approved.length, 4);
  assert.ok(approved.some((a) => a.eq(bob.address)), 'Bob is still approved');
  assert.ok(scanner.find('session', 'ValidatorDisabled', (e) => e.data.validator.eq(bob.address)).length >= 1,
    'session.ValidatorDisabled for Bob');
  const atSlash = await sessionStateAt(slash.hash);
  assert.ok(atSlash.bobIndex >= 0, 'Bob is in session.validators');
  assert.ok(atSlash.disabled.includes(atSlash.bobIndex),
    `Bob's index ${atSlash.bobIndex} is in session.disabledValidators ${JSON.stringify(atSlash.disabled)}`);
  const now = await sessionStateAt(scanner.lastHash);
  assert.ok(now.disabled.includes(now.bobIndex), 'Bob is still disabled (re-disabled in each new session)');

  await duplicate.stop();
  const kinds = scanner.find('offences', 'Offence').map((r) => u8aToString(r.event.data[0].toU8a(true)));
  console.log(`# second node stopped; up to #${scanner.lastNumber}: offences ${JSON.stringify(kinds)}, `
    + `Bob slashed ${slashes.length}× (sessions ${slashedSessions})`);
});
