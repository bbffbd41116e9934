// Static checks of docker-compose.yml (`config -q` needs no Docker engine; setup.sh installs compose): the compose
// file parses, every validator is wired to the others with the peer ids of their real node keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, nodeBinary } from '../lib/node.js';

const COMPOSE = join(REPO_ROOT, 'docker-compose.yml');
const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** The `command:` flags of each service, read from the YAML's list items. */
function serviceCommands(text) {
  const services = {};
  let current = null;
  for (const line of text.split('\n')) {
    const service = /^ {2}([a-z]+):\s*$/.exec(line);
    if (service) { current = service[1]; services[current] = []; continue; }
    const flag = /^ {6}- (--\S+)\s*$/.exec(line);
    if (current && flag) services[current].push(flag[1]);
    if (/^\S/.test(line)) current = null;
  }
  return services;
}

function peerIdOf(nodeKeyHex) {
  const dir = mkdtempSync(join(tmpdir(), 'perspective-key-'));
  try {
    const file = join(dir, 'key');
    writeFileSync(file, nodeKeyHex);
    return execFileSync(nodeBinary(), ['key', 'inspect-node-key', '--file', file], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever is installed. */
function composeCommand() {
  if (spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0) return ['docker', ['compose']];
  if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0) return ['docker-compose', []];
  return null;
}

test('docker-compose.yml is accepted by docker compose', () => {
  const compose = composeCommand();
  assert.ok(compose, 'neither `docker compose` nor `docker-compose` is installed: run ./scripts/setup.sh');
  const [bin, prefix] = compose;
  const out = spawnSync(bin, [...prefix, '-f', COMPOSE, 'config', '-q'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  // The same command refuses a service with an unknown option: the check can fail.
  const dir = mkdtempSync(join(tmpdir(), 'perspective-compose-'));
  try {
    const broken = join(dir, 'docker-compose.yml');
    writeFileSync(broken, readFileSync(COMPOSE, 'utf8').replace(/^ {2}alice:\n/m, '  alice:\n    not_an_option: 1\n'));
    const bad = spawnSync(bin, [...prefix, '-f', broken, 'config', '-q'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0, 'a compose file with an unknown option was accepted');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose runs 4 validators whose bootnodes carry the peer ids of their node keys', () => {
  const services = serviceCommands(readFileSync(COMPOSE, 'utf8'));
  assert.deepEqual(Object.keys(services).filter((s) => VALIDATORS.includes(s)), VALIDATORS);
  const peerIds = {};
  for (const name of VALIDATORS) {
    const flags = services[name];
    assert.ok(flags.includes('--validator'), `${name} is a validator`);
    assert.ok(flags.includes(`--${name}`), `${name} uses its dev key`);
    assert.ok(flags.includes('--chain=local'));
    const key = flags.find((f) => f.startsWith('--node-key=')).split('=')[1];
    peerIds[name] = peerIdOf(key);
  }
  assert.equal(new Set(Object.values(peerIds)).size, 4, 'node keys are distinct');
  for (const name of VALIDATORS) {
    const bootnodes = services[name].filter((f) => f.startsWith('--bootnodes='));
    assert.ok(bootnodes.length >= 2, `${name} has at least two bootnodes`);
    for (const b of bootnodes) {
      const [, host, peer] = /^--bootnodes=\/dns\/([a-z]+)\/tcp\/30333\/p2p\/(\w+)$/.exec(b);
      assert.notEqual(host, name, `${name} does not bootstrap from itself`);
      assert.equal(peer, peerIds[host], `${name}'s bootnode ${host} has ${host}'s peer id`);
    }
  }
});
