// The 4-validator local network of scripts/local-testnet.sh (Alice, Bob, Charlie, Dave), for
// tests that need real multi-validator consensus.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, freePort, rpc, waitFor, nodeBinary } from './node.js';

export const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];
const SCRIPT = join(REPO_ROOT, 'scripts', 'local-testnet.sh');

/** Finds a run of `n` consecutive free ports (the script assigns base+0..base+3). */
export async function freePortRange(n) {
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

/**
 * Starts the four validators in a temporary directory and waits for their RPC.
 * Returns { rpcPorts, p2pBase, dataDir, testnet(...args), stop() }; `testnet` runs the script.
 */
export async function startLocalTestnet() {
  const dataDir = mkdtempSync(join(tmpdir(), 'perspective-testnet-'));
  const p2pBase = await freePortRange(4);
  const rpcBase = await freePortRange(4);
  const promBase = await freePortRange(4);
  const rpcPorts = VALIDATORS.map((_, i) => rpcBase + i);
  const env = {
    ...process.env,
    PERSPECTIVE_NODE_BIN: nodeBinary(),
    PERSPECTIVE_TESTNET_DIR: dataDir,
    BASE_P2P: String(p2pBase),
    BASE_RPC: String(rpcBase),
    BASE_PROM: String(promBase),
  };
  const testnet = (...args) =>
    execFileSync('bash', [SCRIPT, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  testnet('start', 'all');
  await Promise.all(rpcPorts.map((port) => waitFor(`RPC on ${port}`, () => rpc(port, 'system_health'))));

  function stop() {
    try {
      console.log(testnet('status').split('\n').map((l) => `# ${l}`).join('\n'));
    } catch { /* status is informational */ }
    testnet('stop', 'all');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { rpcPorts, p2pBase, dataDir, testnet, stop };
}

/** The Aura slot of a block, from its pre-runtime digest. */
export async function auraSlot(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  assert.ok(preRuntime, `block ${hash} carries an Aura pre-runtime digest`);
  return api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
}

/** The Aura author of a block: authorities[slot % n], with the slot from the pre-runtime digest. */
export async function auraAuthor(api, hash, authorities) {
  const slot = await auraSlot(api, hash);
  return authorities[Number(slot % BigInt(authorities.length))];
}

/** Number of the finalized head, as the node on `port` sees it. */
export const finalizedNumber = async (port) =>
  parseInt((await rpc(port, 'chain_getHeader', [await rpc(port, 'chain_getFinalizedHead')])).number, 16);
