// Starting and stopping a real perspective-node for the end-to-end tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of the release node binary: $PERSPECTIVE_NODE_BIN, else $CARGO_TARGET_DIR/release. */
export function nodeBinary() {
  if (process.env.PERSPECTIVE_NODE_BIN) return process.env.PERSPECTIVE_NODE_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'perspective', 'target');
  const bin = join(target, 'release', 'perspective-node');
  if (!existsSync(bin)) {
    throw new Error(`perspective-node not found at ${bin}: build it with 'cargo build --release' or set PERSPECTIVE_NODE_BIN`);
  }
  return bin;
}

// Test files run in separate processes, some at the same time (see run.js): a port one of them
// picked must not be handed to another before its node binds it. Each picked port is claimed
// with a file created atomically (O_EXCL) in a directory shared by the run ($PERSPECTIVE_E2E_PORTS,
// set by run.js; else one under the temporary directory); claims are released when the process
// exits. A claim left behind by a killed process only keeps that one port out of use.
const PORT_CLAIMS = process.env.PERSPECTIVE_E2E_PORTS || join(tmpdir(), 'perspective-e2e-ports');
const claimedPorts = new Set();
process.on('exit', () => {
  for (const port of claimedPorts) rmSync(join(PORT_CLAIMS, String(port)), { force: true });
});

/** Claims `port` for this process; false if another process (or this one) already did. */
export function claimPort(port) {
  mkdirSync(PORT_CLAIMS, { recursive: true });
  try {
    writeFileSync(join(PORT_CLAIMS, String(port)), `${process.pid}\n`, { flag: 'wx' });
  } catch (e) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
  claimedPorts.add(port);
  return true;
}

/** Gives back a port claimed by this process (e.g. when a range around it was not free). */
export function releasePort(port) {
  if (claimedPorts.delete(port)) rmSync(join(PORT_CLAIMS, String(port)), { force: true });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A random port the OS offers as free on 127.0.0.1. */
function osFreePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1 and that no other e2e process (running
 * concurrently) nor an earlier call of this one was given.
 */
export async function freePort() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await osFreePort();
    if (claimPort(port)) return port;
  }
  throw new Error(`no unclaimed free port (claims in ${PORT_CLAIMS})`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

/** One JSON-RPC call over HTTP. */
export async function rpc(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Resident memory of a process in MiB (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]);
  return kb / 1024;
}

/**
 * Starts `perspective-node --dev` on free ports (in a temporary database, or in `basePath`),
 * waits for its RPC, and connects @polkadot/api with NO custom types.
 * Returns { api, rpcPort, pid, logs(), stop() }.
 */
export async function startDevNode({ basePath, extraArgs = [] } = {}) {
  const [rpcPort, p2pPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const args = [
    '--dev', ...(basePath ? ['--base-path', basePath] : ['--tmp']),
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--prometheus-port', String(promPort),
    '--no-telemetry', '--no-mdns',
    ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  try {
    await waitFor('node RPC', async () => {
      if (exited) throw new Error(`node exited early (${JSON.stringify(exited)}):\n${output.slice(-4000)}`);
      return (await rpc(rpcPort, 'system_health')) !== undefined;
    }, { timeoutMs: 240_000 });
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }

  const provider = new WsProvider(`ws://127.0.0.1:${rpcPort}`, 1000, {}, 30_000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });

  async function stop() {
    await api.disconnect().catch(() => {});
    if (exited) return exited;
    const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const result = await done;
    clearTimeout(timer);
    return result;
  }

  return { api, rpcPort, promPort, pid: child.pid, logs: () => output, stop };
}

/** Resolves once `blocks` more blocks were finalized (via the API's subscription). */
export async function waitForFinalizedBlocks(api, blocks, timeoutMs = 120_000) {
  const start = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  return waitFor(`${blocks} finalized blocks after #${start}`, async () => {
    const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    return head.number.toNumber() >= start + blocks ? head.number.toNumber() : null;
  }, { timeoutMs });
}
