// Start-up mistakes an operator makes must end the node with a readable message, not a Debug dump
// or a silently different configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, freePort } from '../lib/node.js';

function runNode(args) {
  const out = spawnSync(nodeBinary(), args, { encoding: 'utf8', timeout: 60_000 });
  return { status: out.status, stderr: out.stderr };
}

/** The last line the node printed: its error message. */
const lastLine = (text) => text.trim().split('\n').at(-1);

test('an unknown chain spec path names the path', () => {
  const { status, stderr } = runNode(['--chain', '/no/such/spec.json', '--tmp']);
  assert.equal(status, 1);
  assert.match(lastLine(stderr), /^Error: .*Unknown chain '\/no\/such\/spec\.json'.*no chain spec file exists/);
});

test('a malformed chain spec file is reported with its path and the parse error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perspective-spec-'));
  try {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "name": 1 }');
    const { status, stderr } = runNode(['--chain', path, '--tmp']);
    assert.equal(status, 1);
    assert.match(lastLine(stderr), /^Error: .*Invalid chain spec file .*broken\.json: .*invalid type/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a validator without a node key is told how to create one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perspective-nokey-'));
  try {
    const { status, stderr } = runNode([
      '--chain', 'local', '--validator', '--base-path', dir,
      '--port', String(await freePort()), '--rpc-port', String(await freePort()), '--no-prometheus',
    ]);
    assert.equal(status, 1);
    assert.match(stderr, /Starting an authorithy without network key in .*secret_ed25519/);
    assert.match(stderr, /key generate-node-key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a JSON-RPC port in use stops the node with the port and the flag to change it', async () => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  try {
    const { status, stderr } = runNode([
      '--dev', '--tmp', '--rpc-port', String(port),
      '--port', String(await freePort()), '--prometheus-port', String(await freePort()),
    ]);
    assert.equal(status, 1);
    assert.match(stderr, new RegExp(`JSON-RPC port ${port} is already in use.*--rpc-port`));
  } finally {
    blocker.close();
  }
});
