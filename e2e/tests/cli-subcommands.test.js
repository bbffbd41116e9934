// The chain-maintenance subcommands an operator uses, on a real ParityDB database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, startDevNode, waitFor } from '../lib/node.js';

let dir;
const MIN_BLOCKS = 3;

function cli(...args) {
  // Plain chain specs carry the runtime as hex (over 1 MiB): allow large outputs.
  const out = spawnSync(nodeBinary(), args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  assert.equal(out.error, undefined, `perspective-node ${args.join(' ')}: ${out.error}`);
  assert.equal(out.status, 0, `perspective-node ${args.join(' ')} failed:\n${out.stderr.slice(-2000)}`);
  return out;
}

const bestNumber = (basePath) => {
  const { stdout } = cli('chain-info', '--dev', '--base-path', basePath);
  return JSON.parse(stdout).best_number;
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perspective-cli-'));
  // Author a few blocks into a persistent base path, then stop the node cleanly.
  const node = await startDevNode({ basePath: join(dir, 'a') });
  try {
    await waitFor(`#${MIN_BLOCKS} on the dev node`, async () =>
      (await node.api.rpc.chain.getHeader()).number.toNumber() >= MIN_BLOCKS,
    { timeoutMs: 120_000 });
  } finally {
    await node.stop();
  }
});

after(() => dir && rmSync(dir, { recursive: true, force: true }));

test('export-chain-spec writes raw and plain specs with the token properties', () => {
  const raw = join(dir, 'local-raw.json');
  cli('export-chain-spec', '--chain', 'local', '--raw', '--output', raw);
  const spec = JSON.parse(readFileSync(raw, 'utf8'));
  assert.equal(spec.id, 'perspective_local');
  assert.equal(spec.properties.tokenSymbol, 'PRSP');
  assert.ok(spec.genesis.raw.top['0x3a636f6465'], 'raw genesis carries the runtime code');

  const { stdout } = cli('build-spec', '--chain', 'dev', '--disable-default-bootnode');
  const plain = JSON.parse(stdout);
  assert.equal(plain.id, 'perspective_dev');
  assert.equal(plain.genesis.runtimeGenesis.patch.sudo.key, '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
});

test('chain-info, export-blocks, import-blocks and check-block round-trip the chain', () => {
  const best = bestNumber(join(dir, 'a'));
  assert.ok(best >= MIN_BLOCKS, `chain-info reports best #${best}`);

  const blocks = join(dir, 'blocks.bin');
  cli('export-blocks', '--dev', '--base-path', join(dir, 'a'), '--binary', '--from', '1', blocks);
  assert.ok(statSync(blocks).size > 0);

  cli('import-blocks', '--dev', '--base-path', join(dir, 'b'), '--binary', blocks);
  assert.equal(bestNumber(join(dir, 'b')), best, 'the importing node reaches the same best block');

  cli('check-block', '--dev', '--base-path', join(dir, 'b'), '1');
});

test('revert rolls back unfinalized blocks and purge-chain deletes the database', () => {
  const basePath = join(dir, 'b');
  const before = bestNumber(basePath);
  // Imported blocks carry no finality justification, so the newest one can be reverted.
  cli('revert', '--dev', '--base-path', basePath, '1');
  assert.equal(bestNumber(basePath), before - 1, 'revert removed exactly one block');

  const db = join(basePath, 'chains', 'perspective_dev', 'paritydb');
  assert.ok(existsSync(db), 'the database is ParityDB');
  assert.ok(existsSync(join(db, 'full')), 'the ParityDB database exists before the purge');
  cli('purge-chain', '--dev', '--base-path', basePath, '-y');
  assert.ok(!existsSync(join(db, 'full')), 'purge-chain removed the database');
});
