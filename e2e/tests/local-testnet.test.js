// Multi-validator test: the 4-validator network of scripts/local-testnet.sh authors blocks with
// every validator, keeps finalizing with one validator down, and the restarted validator catches
// up to the same finalized chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { rpc, waitFor } from '../lib/node.js';
import { startLocalTestnet, auraAuthor, finalizedNumber } from '../lib/testnet.js';

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
  const provider = new WsProvider(`ws://127.0.0.1:${rpcPorts[0]}`);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  try {
    const authorities = (await api.query.aura.authorities()).map((a) => a.toString());
    assert.equal(authorities.length, 4);
    const seenAuthors = new Set();
    await waitFor('blocks authored by all 4 validators', async () => {
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      for (let n = Math.max(1, best - 12); n <= best; n++) {
        seenAuthors.add(await auraAuthor(api, await api.rpc.chain.getBlockHash(n), authorities));
      }
      return seenAuthors.size === 4;
    }, { timeoutMs: 180_000, intervalMs: 3000 });
    assert.deepEqual([...seenAuthors].sort(), [...authorities].sort());
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
