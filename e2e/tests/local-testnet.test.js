// Multi-validator test: the 4-validator network of scripts/local-testnet.sh authors blocks with
// every validator, keeps finalizing with one validator down, and the restarted validator catches
// up to the same finalized chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { REPO_ROOT, freePort, rpc, waitFor, nodeBinary } from '../lib/node.js';

const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];
const SCRIPT = join(REPO_ROOT, 'scripts', 'local-testnet.sh');
let env;
let rpcPorts;
let dataDir;

/** Finds a run of `n` consecutive free ports (the script assigns base+0..base+3). */
async function freePortRange(n) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + n > 65535) continue;
    const ok = await Promise.all(Array.from({ length: n }, async (_, i) => {
      if (i === 0) return true;
      return new Promise((resolve) => {
        const srv = createServer();
        srv.once('error', () => resolve(false));
        srv.listen(base + i, '127.0.0.1', () => srv.close(() => resolve(true)));
      });
    }));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

function testnet(...args) {
  return execFileSync('bash', [SCRIPT, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The Aura author of a block: authorities[slot % n], with the slot from the pre-runtime digest. */
async function auraAuthor(api, hash, authorities) {
  const header = await api.rpc.chain.getHeader(hash);
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  assert.ok(preRuntime, `block ${hash} carries an Aura pre-runtime digest`);
  const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
  return authorities[Number(slot % BigInt(authorities.length))];
}

const finalizedNumber = async (port) =>
  parseInt((await rpc(port, 'chain_getHeader', [await rpc(port, 'chain_getFinalizedHead')])).number, 16);

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'perspective-testnet-'));
  const p2p = await freePortRange(4);
  const rpcBase = await freePortRange(4);
  const prom = await freePortRange(4);
  rpcPorts = VALIDATORS.map((_, i) => rpcBase + i);
  env = {
    ...process.env,
    PERSPECTIVE_NODE_BIN: nodeBinary(),
    PERSPECTIVE_TESTNET_DIR: dataDir,
    BASE_P2P: String(p2p),
    BASE_RPC: String(rpcBase),
    BASE_PROM: String(prom),
  };
  testnet('start', 'all');
  await Promise.all(rpcPorts.map((port) => waitFor(`RPC on ${port}`, () => rpc(port, 'system_health'))));
});

after(() => {
  if (!env) return;
  try {
    console.log(testnet('status').split('\n').map((l) => `# ${l}`).join('\n'));
  } catch { /* status is informational */ }
  testnet('stop', 'all');
  rmSync(dataDir, { recursive: true, force: true });
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
