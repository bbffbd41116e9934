// Multi-validator test: the 4-validator network of scripts/local-testnet.sh authors blocks with
// every validator (authors read from each block's BABE pre-runtime digest), keeps finalizing with
// one validator down, and the restarted validator catches up to the same finalized chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { rpc, waitFor } from '../lib/node.js';
import { startLocalTestnet, babePreDigest, babeAuthor, finalizedNumber } from '../lib/testnet.js';

let network;
let rpcPorts;
let testnet;

before(async () => {
  network = await startLocalTestnet();
  ({ rpcPorts, testnet } = network);
});

after(() => {
  if (network) network.stop();
});

test('all four validators author blocks and finality advances', async () => {
  await cryptoWaitReady();
  const provider = new WsProvider(`ws://127.0.0.1:${rpcPorts[0]}`);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  try {
    // babe.authorities: Vec<(AuthorityId, weight)>; the local_testnet keys are the well-known
    // sr25519 keys of Alice, Bob, Charlie and Dave (what --alice ... put into the keystores).
    const authorities = (await api.query.babe.authorities()).map(([id]) => id.toHex());
    assert.equal(authorities.length, 4);
    const keyring = new Keyring({ type: 'sr25519' });
    assert.deepEqual([...authorities].sort(),
      ['Alice', 'Bob', 'Charlie', 'Dave'].map((n) => u8aToHex(keyring.addFromUri(`//${n}`).publicKey)).sort());

    // BABE picks authors by VRF lottery (primary) or by the epoch randomness (secondary), not
    // round-robin: read every finalized block from #1 until all four have authored.
    const seenAuthors = new Set();
    const kinds = {};
    let scanned = 0;
    let lastSlot = 0n;
    let violation = null; // a failed assertion ends the wait at once (other errors are retried)
    await waitFor('finalized blocks authored by all 4 validators', async () => {
      const fin = await finalizedNumber(rpcPorts[0]);
      try {
        while (scanned < fin) {
          const hash = await api.rpc.chain.getBlockHash(scanned + 1);
          const { kind, slot } = await babePreDigest(api, hash);
          assert.ok(slot > lastSlot, `block #${scanned + 1}'s slot ${slot} is after its parent's ${lastSlot}`);
          seenAuthors.add(await babeAuthor(api, hash));
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          lastSlot = slot;
          scanned += 1;
        }
      } catch (e) {
        if (!(e instanceof assert.AssertionError)) throw e;
        violation = e;
        return true;
      }
      return seenAuthors.size === 4;
    }, { timeoutMs: 240_000, intervalMs: 3000 });
    if (violation) throw violation;
    assert.deepEqual([...seenAuthors].sort(), [...authorities].sort());
    // AllowedSlots::PrimaryAndSecondaryVRFSlots: secondary authors prove their slot with a VRF too.
    assert.equal(kinds.secondaryPlain, undefined, `no SecondaryPlain pre-digests (${JSON.stringify(kinds)})`);
    console.log(`# all 4 validators authored within #1..#${scanned}: ${JSON.stringify(kinds)}`);
    const fin = await finalizedNumber(rpcPorts[0]);
    await waitFor('finality to advance', async () => (await finalizedNumber(rpcPorts[0])) >= fin + 2,
      { timeoutMs: 90_000 });
  } finally {
    await api.disconnect();
  }
});

test('finality advances with one validator down, and the restarted validator catches up', async () => {
  testnet('stop', 'dave');
  const live = rpcPorts.slice(0, 3);
  const before = await finalizedNumber(live[0]);
  // 3 of 4 GRANDPA voters are above the 2/3 threshold: finality must keep going.
  await waitFor('finality with Dave down', async () => (await finalizedNumber(live[0])) >= before + 3,
    { timeoutMs: 120_000 });

  testnet('start', 'dave');
  const davePort = rpcPorts[3];
  await waitFor('Dave RPC', () => rpc(davePort, 'system_health'));
  const target = await finalizedNumber(live[0]);
  await waitFor('Dave catching up', async () => (await finalizedNumber(davePort)) >= target,
    { timeoutMs: 180_000, intervalMs: 1000 });

  // All four report the same finalized block (poll: votes propagate within a round or two).
  const agreed = await waitFor('all validators to agree on the finalized head', async () => {
    const heads = await Promise.all(rpcPorts.map((port) => rpc(port, 'chain_getFinalizedHead')));
    return new Set(heads).size === 1 ? heads[0] : null;
  }, { timeoutMs: 90_000, intervalMs: 200 });
  const number = await finalizedNumber(davePort);
  assert.ok(number >= target, `Dave finalized #${number} >= #${target}`);
  console.log(`# all 4 validators finalized #${number} ${agreed}`);
});
