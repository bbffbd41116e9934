// End-to-end tests against a real `perspective-node --dev` driven over JSON-RPC by @polkadot/api.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, waitForFinalizedBlocks, rssMiB } from '../lib/node.js';
import { babeAuthor, babePreDigest } from '../lib/testnet.js';
import { submit, freeBalance } from '../lib/tx.js';

const UNIT = 10n ** 12n;
let node;
let api;
let alice;
let bob;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => {
  if (!node) return;
  const rss = rssMiB(node.pid);
  console.log(`# dev node RSS after the e2e run: ${rss.toFixed(1)} MiB`);
  const exit = await node.stop();
  console.log(`# dev node stopped: ${JSON.stringify(exit)}`);
});

test('the chain advertises its token and SS58 format to wallets', async () => {
  const props = await api.rpc.system.properties();
  assert.equal(props.tokenSymbol.unwrap()[0].toString(), 'PRSP');
  assert.equal(props.tokenDecimals.unwrap()[0].toNumber(), 12);
  assert.equal(props.ss58Format.unwrap().toNumber(), 42);
  assert.equal((await api.rpc.system.chain()).toString(), 'Perspective Development');
});

test('blocks are produced and finalized', async () => {
  const finalized = await waitForFinalizedBlocks(api, 2);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(finalized >= 2, `finalized #${finalized}`);
  assert.ok(best >= finalized, `best #${best} >= finalized #${finalized}`);
  // BABE authors them: Alice (her --alice sr25519 key) is the only authority, and every block
  // carries her BABE pre-runtime digest with a slot after its parent's.
  const authorities = await api.query.babe.authorities();
  assert.deepEqual(authorities.map(([id]) => id.toHex()), [u8aToHex(alice.publicKey)]);
  let parentSlot = 0n;
  for (let n = 1; n <= finalized; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const { slot, authorityIndex } = await babePreDigest(api, hash);
    assert.equal(authorityIndex, 0);
    assert.ok(slot > parentSlot, `block #${n}'s slot ${slot} is after its parent's ${parentSlot}`);
    assert.equal(await babeAuthor(api, hash), u8aToHex(alice.publicKey), `block #${n} is Alice's`);
    parentSlot = slot;
  }
  const rss = rssMiB(node.pid);
  console.log(`# dev node RSS while idle (after #${finalized} finalized): ${rss.toFixed(1)} MiB`);
  // README: ≈ 131 MiB. Four times that is a leak or a cache misconfiguration, not noise.
  assert.ok(rss < 512, `the idle dev node holds ${rss.toFixed(1)} MiB (README: ≈ 131 MiB)`);
});

test('Alice → Bob transfer moves exactly the amount, charges Alice the fee and emits events', async () => {
  const amount = 12n * UNIT + 345n;
  const { blockHash, events, dispatchError } = await submit(
    api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
  assert.equal(dispatchError, null);

  const parentHash = (await api.rpc.chain.getHeader(blockHash)).parentHash.toHex();
  const [aliceBefore, aliceAfter, bobBefore, bobAfter] = await Promise.all([
    freeBalance(api, alice.address, parentHash), freeBalance(api, alice.address, blockHash),
    freeBalance(api, bob.address, parentHash), freeBalance(api, bob.address, blockHash),
  ]);

  const transfer = events.find((e) => api.events.balances.Transfer.is(e));
  assert.ok(transfer, 'balances.Transfer emitted');
  assert.equal(transfer.data.from.toString(), alice.address);
  assert.equal(transfer.data.to.toString(), bob.address);
  assert.equal(transfer.data.amount.toBigInt(), amount);

  const feePaid = events.find((e) => api.events.transactionPayment.TransactionFeePaid.is(e));
  assert.ok(feePaid, 'transactionPayment.TransactionFeePaid emitted');
  assert.equal(feePaid.data.who.toString(), alice.address);
  const fee = feePaid.data.actualFee.toBigInt() + feePaid.data.tip.toBigInt();
  assert.ok(fee > 0n, 'a fee was charged');
  assert.ok(events.some((e) => api.events.system.ExtrinsicSuccess.is(e)), 'ExtrinsicSuccess emitted');

  assert.equal(bobAfter - bobBefore, amount, 'Bob received exactly the amount');
  assert.equal(aliceBefore - aliceAfter, amount + fee, 'Alice paid the amount plus the fee');
});

test('a transfer larger than the balance fails with a readable error and moves no funds', async () => {
  const aliceNow = await freeBalance(api, alice.address);
  const tooMuch = aliceNow * 2n;
  const { blockHash, events, dispatchError } = await submit(
    api, api.tx.balances.transferKeepAlive(bob.address, tooMuch), alice);
  assert.ok(dispatchError, 'the dispatch failed');
  assert.match(dispatchError, /FundsUnavailable|InsufficientBalance/);
  assert.ok(events.some((e) => api.events.system.ExtrinsicFailed.is(e)), 'ExtrinsicFailed emitted');
  assert.ok(!events.some((e) => api.events.balances.Transfer.is(e)), 'no Transfer event');

  const parentHash = (await api.rpc.chain.getHeader(blockHash)).parentHash.toHex();
  const fee = events.find((e) => api.events.transactionPayment.TransactionFeePaid.is(e)).data.actualFee.toBigInt();
  assert.equal(await freeBalance(api, bob.address, blockHash), await freeBalance(api, bob.address, parentHash),
    "Bob's balance is unchanged");
  assert.equal(
    (await freeBalance(api, alice.address, parentHash)) - (await freeBalance(api, alice.address, blockHash)),
    fee, 'Alice lost only the inclusion fee');
});

test('an account that cannot pay the fee is refused by the pool and nothing changes', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const pauper = keyring.addFromUri('//PerspectiveE2ePauper');
  const bobBefore = await freeBalance(api, bob.address);
  await assert.rejects(
    api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(pauper),
    /Inability to pay some fees/);
  assert.equal(await freeBalance(api, pauper.address), 0n);
  assert.equal(await freeBalance(api, bob.address), bobBefore);
});

test('a transaction with a stale nonce is rejected as outdated and changes nothing', async () => {
  // Make sure Alice has at least one transaction on chain, so nonce - 1 is a used nonce.
  await submit(api, api.tx.system.remark('0x01'), alice);
  const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  assert.ok(nonce > 0);
  const aliceBefore = await freeBalance(api, alice.address);
  const bobBefore = await freeBalance(api, bob.address);
  await assert.rejects(
    api.tx.balances.transferKeepAlive(bob.address, UNIT).signAndSend(alice, { nonce: nonce - 1 }),
    /Transaction is outdated/);
  assert.equal((await api.rpc.system.accountNextIndex(alice.address)).toNumber(), nonce);
  assert.equal(await freeBalance(api, alice.address), aliceBefore);
  assert.equal(await freeBalance(api, bob.address), bobBefore);
});

test('runtime metadata decodes without custom types and lists every pallet', async () => {
  const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  assert.ok(versions.includes(16), `metadata versions ${versions} include 16`);

  const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  assert.deepEqual(pallets, [
    'System', 'Timestamp', 'Babe', 'Grandpa', 'Balances', 'TransactionPayment', 'Sudo',
    'Utility', 'Scheduler', 'Preimage', 'Reputation', 'Referenda', 'HybridVoting',
    'ReferendaAdmin', 'Whitelist', 'Council', 'CouncilElections', 'Origins', 'Evaluation', 'Contributions',
    'ValidatorSet', 'Session', 'Authorship', 'Offences', 'Historical',
  ]);
  // Every call, storage item, event and constant resolves to a type from the metadata alone:
  // each call is built from default values of its argument types and decodes back to itself,
  // each event field and storage value type encodes and decodes, each storage item has a key.
  const lookup = (id) => `Lookup${id.toNumber()}`;
  const roundTrips = (typeId, what) => {
    const value = api.registry.createType(lookup(typeId));
    assert.equal(api.registry.createType(lookup(typeId), value.toU8a()).toHex(), value.toHex(), what);
  };
  const metaPallets = api.runtimeMetadata.asLatest.pallets;
  let calls = 0;
  for (const pallet of metaPallets.filter((p) => p.calls.isSome)) {
    const variants = api.registry.lookup.getSiType(pallet.calls.unwrap().type).def.asVariant.variants;
    const section = Object.keys(api.tx).find((s) => s.toLowerCase() === pallet.name.toString().toLowerCase());
    assert.equal(Object.keys(api.tx[section]).length, variants.length, `${section}: one api.tx method per call`);
    for (const method of Object.keys(api.tx[section])) {
      const args = api.tx[section][method].meta.fields.map((f) => api.registry.createType(lookup(f.type)));
      const call = api.tx[section][method](...args);
      const decoded = api.registry.createType('Call', call.method.toU8a());
      assert.deepEqual([decoded.section, decoded.method], [section, method], `${section}.${method} decodes back`);
      calls += 1;
    }
  }
  let events = 0;
  for (const section of Object.keys(api.events)) {
    for (const name of Object.keys(api.events[section])) {
      api.events[section][name].meta.fields.forEach((f, i) => roundTrips(f.type, `${section}.${name} field ${i}`));
      events += 1;
    }
  }
  let items = 0;
  for (const section of Object.keys(api.query).filter((s) => !['substrate', 'rpc'].includes(s))) {
    // polkadot.js adds `palletVersion` to every section; it is not a metadata item.
    for (const name of Object.keys(api.query[section]).filter((n) => n !== 'palletVersion')) {
      const { type } = api.query[section][name].creator.meta;
      roundTrips(type.isPlain ? type.asPlain : type.asMap.value, `${section}.${name} value`);
      assert.match(api.query[section][name].keyPrefix(), /^0x[0-9a-f]{64}$/, `${section}.${name} prefix`);
      items += 1;
    }
  }
  for (const section of Object.keys(api.consts)) {
    for (const name of Object.keys(api.consts[section])) {
      assert.doesNotThrow(() => api.consts[section][name].toJSON(), `${section}.${name}`);
    }
  }
  // Counted against the metadata itself, so no pallet or item was silently left out.
  const count = (what) => metaPallets.reduce((n, p) => n + (p[what].isSome
    ? (what === 'storage' ? p.storage.unwrap().items.length : api.registry.lookup.getSiType(p[what].unwrap().type).def.asVariant.variants.length)
    : 0), 0);
  assert.equal(calls, count('calls'));
  assert.equal(events, count('events'));
  assert.equal(items, count('storage'));
  // Runtime APIs are reachable as `api.call.*` with types from metadata.
  const nonce = await api.call.accountNonceApi.accountNonce(alice.address);
  assert.ok(nonce.toNumber() >= 1);
  const info = await api.tx.balances.transferKeepAlive(bob.address, UNIT).paymentInfo(alice);
  assert.ok(info.partialFee.toBigInt() > 0n);
});
