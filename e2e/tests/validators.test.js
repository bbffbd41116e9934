// Validator onboarding and removal through governance, on real nodes: the 4-validator local
// network runs; a 5th node (operator account Eve) starts with its own base path and node key,
// generates session keys, registers them and applies from polkadot.js; a council motion approves
// it; two sessions later it authors blocks and GRANDPA needs its votes (finality continues with
// one original validator stopped). A second motion removes it: it stops authoring, and once its
// unbonding period (a number of blocks) is over its bond is released.
//
// A session is one BABE epoch of 10 slots (one minute): a set change is queued at the next
// rotation and active at the one after. Block authors are read from BABE pre-runtime digests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { rpc, waitFor } from '../lib/node.js';
import { startLocalTestnet, startExtraNode, babeAuthor, finalizedNumber } from '../lib/testnet.js';
import { submit, submitOk, councilMotion, findEvent } from '../lib/tx.js';

const UNIT = 10n ** 12n;
const BOND = 1_000n * UNIT;

let network;
let operatorNode; // startExtraNode's { rpcPort, logs(), stop() }
let api; // connected to the operator's own node
const who = {};
let sessionKeys; // { keys, proof } from author_rotateKeysWithOwner
let approvedAt; // { number, moment }

/** Hex public keys inside the SCALE-encoded SessionKeys { babe: sr25519, grandpa: ed25519 }. */
const babeKeyOf = (keys) => `0x${keys.slice(2, 66)}`;
const grandpaKeyOf = (keys) => `0x${keys.slice(66, 130)}`;

/** The BABE author (hex key) of block `number`, from its pre-runtime digest. */
async function authorOf(number) {
  return babeAuthor(api, await api.rpc.chain.getBlockHash(number));
}

/** Whether hex key `key` is among the current BABE authorities (Vec<(AuthorityId, weight)>). */
async function isBabeAuthority(key) {
  return (await api.query.babe.authorities()).some(([id]) => id.toHex() === key);
}

const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const currentSession = async () => (await api.query.session.currentIndex()).toNumber();

before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  for (const name of ['Alice', 'Bob', 'Charlie', 'Eve', 'Ferdie']) who[name] = keyring.addFromUri(`//${name}`);

  network = await startLocalTestnet();
  // The operator's node as the README shows: its own base path and node key, --validator.
  operatorNode = await startExtraNode(network, 'operator');
  api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${operatorNode.rpcPort}`), noInitWarn: true });
  // The operator's node has synced when it sees what Alice's node sees.
  const target = parseInt((await rpc(network.rpcPorts[0], 'chain_getHeader')).number, 16);
  await waitFor('the operator node to sync', async () => (await bestNumber()) >= target, { timeoutMs: 120_000 });
});

after(async () => {
  if (api) await api.disconnect().catch(() => {});
  if (operatorNode) await operatorNode.stop();
  if (network) network.stop();
});

test('an application without session keys, or with too small a bond, fails readably', async () => {
  const noKeys = await submit(api, api.tx.validatorSet.apply(BOND), who.Eve);
  assert.match(noKeys.dispatchError, /^validatorSet\.NoSessionKeys: The account has no session keys/);

  // On the operator's node: new keys in its keystore, with a proof that Eve's account owns them.
  sessionKeys = await rpc(operatorNode.rpcPort, 'author_rotateKeysWithOwner', [u8aToHex(decodeAddress(who.Eve.address))]);
  assert.equal(sessionKeys.keys.length, 2 + 2 * 64, 'babe (sr25519) + grandpa (ed25519) keys');
  assert.equal(await rpc(operatorNode.rpcPort, 'author_hasSessionKeys', [sessionKeys.keys]), true);

  // Keys whose proof does not match the account are refused by the session pallet.
  const stolen = await submit(api, api.tx.session.setKeys(sessionKeys.keys, sessionKeys.proof), who.Ferdie);
  assert.match(stolen.dispatchError, /^session\.InvalidProof/);

  await submitOk(api, api.tx.session.setKeys(sessionKeys.keys, sessionKeys.proof), who.Eve);
  const small = await submit(api, api.tx.validatorSet.apply(10n * UNIT), who.Eve);
  assert.match(small.dispatchError, /^validatorSet\.BondTooSmall: The bond is below the minimum bond/);
});

test('the council approves the operator and its node authors blocks from the session after next', async () => {
  assert.ok(sessionKeys, 'the previous test registered session keys');
  const applied = await submitOk(api, api.tx.validatorSet.apply(BOND), who.Eve);
  assert.equal(findEvent(applied.events, 'validatorSet', 'Applied').data.bond.toBigInt(), BOND);
  const operator = (await api.call.validatorSetApi.operator(who.Eve.address)).unwrap();
  assert.ok(operator.status.isApplied);
  const holds = await api.query.balances.holds(who.Eve.address);
  assert.ok(holds.some((h) => h.id.isValidatorSet && h.amount.toBigInt() === BOND), 'bond held');

  // A motion needs half the council: Alice and Bob of Alice, Bob and Charlie.
  const closed = await councilMotion(api, api.tx.validatorSet.approve(who.Eve.address), [who.Alice, who.Bob]);
  const approved = findEvent(closed.events, 'validatorSet', 'Approved');
  assert.ok(approved, 'Approved event');
  const activeFrom = approved.data.activeFrom.toNumber();
  const approvalHeader = await api.rpc.chain.getHeader(closed.blockHash);
  approvedAt = {
    number: approvalHeader.number.toNumber(),
    moment: (await (await api.at(closed.blockHash)).query.timestamp.now()).toNumber(),
  };
  assert.ok((await api.call.validatorSetApi.approvedValidators()).some((a) => a.eq(who.Eve.address)));

  await waitFor(`session ${activeFrom}`, async () => (await currentSession()) >= activeFrom, { timeoutMs: 300_000, intervalMs: 2000 });
  // The runtime API's session is the session pallet's, read at one block.
  const atBest = await api.at(await api.rpc.chain.getBlockHash());
  const apiSession = (await atBest.call.validatorSetApi.currentSession()).toNumber();
  assert.equal(apiSession, (await atBest.query.session.currentIndex()).toNumber());
  assert.ok(apiSession >= activeFrom, `runtime API session ${apiSession} >= ${activeFrom}`);
  const eveBabe = babeKeyOf(sessionKeys.keys);
  assert.ok(await isBabeAuthority(eveBabe), 'Eve is a BABE authority');
  assert.ok((await api.query.session.validators()).some((v) => v.eq(who.Eve.address)));

  // Find the first block the operator's node authored. BABE slots are not round-robin: one of
  // five authorities gets a slot by its VRF lottery or as the slot's secondary author, so allow
  // some 40 slots (a miss is then < 0.1% likely).
  let scanned = approvedAt.number;
  const first = await waitFor('a block authored by the new validator', async () => {
    const best = await bestNumber();
    for (; scanned < best; scanned++) {
      if ((await authorOf(scanned + 1)) === eveBabe) return scanned + 1;
    }
    return null;
  }, { timeoutMs: 240_000, intervalMs: 2000 });
  const firstHash = await api.rpc.chain.getBlockHash(first);
  const moment = (await (await api.at(firstHash)).query.timestamp.now()).toNumber();
  console.log(`# approved in block #${approvedAt.number}; first block authored by the new validator: #${first} `
    + `(${first - approvedAt.number} blocks, ${(moment - approvedAt.moment) / 1000} s later)`);
  assert.match(operatorNode.logs(), /Pre-sealed block for proposal at/, 'the operator node logs authoring');
});

test("GRANDPA counts the new validator's votes: finality continues with an original validator stopped", async () => {
  const eveGrandpa = grandpaKeyOf(sessionKeys.keys);
  // The set change is enacted once the block scheduling it is finalized.
  await waitFor('the new GRANDPA set to be final', async () => {
    const finalized = await api.rpc.chain.getFinalizedHead();
    const authorities = await (await api.at(finalized)).call.grandpaApi.grandpaAuthorities();
    return authorities.length === 5 && authorities.some(([id]) => id.toHex() === eveGrandpa);
  }, { timeoutMs: 180_000, intervalMs: 2000 });

  // 5 voters need 4 (N − ⌊(N − 1)/3⌋): Alice, Bob, Charlie and the new validator, without Dave.
  network.testnet('stop', 'dave');
  const port = network.rpcPorts[0];
  const before = await finalizedNumber(port);
  await waitFor('finality with Dave stopped', async () => (await finalizedNumber(port)) >= before + 3,
    { timeoutMs: 180_000, intervalMs: 1000 });
  console.log(`# finality advanced from #${before} to #${await finalizedNumber(port)} with Dave stopped`);
  network.testnet('start', 'dave');
  await waitFor('Dave RPC', () => rpc(network.rpcPorts[3], 'system_health'));
});

test('a council motion removes the validator: it stops authoring and its bond unbonds', async () => {
  // local_testnet unbonds for 28 days, as a production chain would: shorten the period to its
  // minimum (20 blocks) first, through sudo (Alice), keeping every other parameter.
  const current = await api.query.validatorSet.params();
  const params = { ...Object.fromEntries(current.entries()), unbondingPeriod: 20 };
  const set = await submitOk(api, api.tx.sudo.sudo(api.tx.validatorSet.setParams(params)), who.Alice);
  const sudid = findEvent(set.events, 'sudo', 'Sudid');
  assert.ok(sudid?.data.sudoResult.isOk, `setParams through sudo succeeded: ${sudid?.data.sudoResult.toString()}`);
  assert.ok(findEvent(set.events, 'validatorSet', 'ParamsSet'), 'ParamsSet event');
  const updated = await api.query.validatorSet.params();
  assert.equal(updated.unbondingPeriod.toNumber(), 20);
  assert.equal(updated.minBond.toBigInt(), current.minBond.toBigInt(), 'the other parameters are unchanged');
  assert.equal(updated.minValidators.toNumber(), current.minValidators.toNumber());
  assert.equal(updated.offenceSlash.toNumber(), current.offenceSlash.toNumber());

  const closed = await councilMotion(api, api.tx.validatorSet.remove(who.Eve.address, 0), [who.Alice, who.Bob]);
  const removed = findEvent(closed.events, 'validatorSet', 'Removed');
  assert.ok(removed, 'Removed event');
  assert.equal(removed.data.slashed.toBigInt(), 0n, 'a removal with a zero slash burns nothing');
  const inactiveFrom = removed.data.inactiveFrom.toNumber();
  const withdrawableAt = removed.data.withdrawableAt.toNumber(); // a block number
  const removedIn = (await api.rpc.chain.getHeader(closed.blockHash)).number.toNumber();
  assert.ok(withdrawableAt >= removedIn + 20,
    `the bond unbonds for at least the unbonding period: withdrawable at #${withdrawableAt}, removed in #${removedIn}`);
  const status = (await api.call.validatorSetApi.operator(who.Eve.address)).unwrap().status;
  assert.ok(status.isUnbonding);
  assert.equal(status.asUnbonding.withdrawableAt.toNumber(), withdrawableAt);

  // Withdrawing before `withdrawableAt` is refused, and the bond stays held.
  const early = await submit(api, api.tx.validatorSet.withdrawBond(), who.Eve);
  const earlyIn = (await api.rpc.chain.getHeader(early.blockHash)).number.toNumber();
  assert.ok(earlyIn < withdrawableAt, `the early withdrawal (#${earlyIn}) came before #${withdrawableAt}`);
  assert.match(early.dispatchError ?? 'no error', /^validatorSet\.StillUnbonding/);
  assert.ok((await api.query.balances.holds(who.Eve.address)).some((h) => h.id.isValidatorSet && h.amount.toBigInt() === BOND),
    'the bond is still held');

  await waitFor(`session ${inactiveFrom}`, async () => (await currentSession()) >= inactiveFrom, { timeoutMs: 300_000, intervalMs: 2000 });
  const eveBabe = babeKeyOf(sessionKeys.keys);
  const authorities = await api.query.babe.authorities();
  assert.equal(authorities.length, 4);
  assert.ok(!(await isBabeAuthority(eveBabe)), 'no longer a BABE authority');

  // Twelve more blocks: none by the removed validator.
  const from = await bestNumber();
  await waitFor('12 more blocks', async () => (await bestNumber()) >= from + 12, { timeoutMs: 180_000, intervalMs: 2000 });
  for (let n = from + 1; n <= from + 12; n++) {
    assert.notEqual(await authorOf(n), eveBabe, `block #${n} was not authored by the removed validator`);
  }

  // From block `withdrawableAt` on, the bond can be withdrawn (the next block is > best).
  await waitFor(`block #${withdrawableAt}`, async () => (await bestNumber()) >= withdrawableAt,
    { timeoutMs: Math.max(180_000, (withdrawableAt - await bestNumber()) * 12_000), intervalMs: 2000 });
  const withdrawn = await submitOk(api, api.tx.validatorSet.withdrawBond(), who.Eve);
  const withdrawnIn = (await api.rpc.chain.getHeader(withdrawn.blockHash)).number.toNumber();
  assert.ok(withdrawnIn >= withdrawableAt, `withdrawn in #${withdrawnIn} >= #${withdrawableAt}`);
  assert.equal(findEvent(withdrawn.events, 'validatorSet', 'BondWithdrawn').data.amount.toBigInt(), BOND);
  assert.ok((await api.call.validatorSetApi.operator(who.Eve.address)).isNone, 'operator record gone');
  assert.ok(!(await api.query.balances.holds(who.Eve.address)).some((h) => h.id.isValidatorSet), 'bond released');
  const fin = await finalizedNumber(network.rpcPorts[0]);
  await waitFor('finality to advance', async () => (await finalizedNumber(network.rpcPorts[0])) >= fin + 2, { timeoutMs: 120_000 });
});
