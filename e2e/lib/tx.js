// Submitting extrinsics and reading their outcome.

import assert from 'node:assert/strict';
import { u8aConcat, u8aToHex, bnToU8a, compactToU8a, stringToU8a } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';

/**
 * Signs and submits `tx`, resolving when it is in a block with
 * { blockHash, events, dispatchError } (dispatchError decoded to "section.Name: docs").
 * Rejects if the pool refuses the transaction (e.g. bad nonce, cannot pay fees).
 */
export function submit(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    tx.signAndSend(signer, options, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock) {
        unsub();
        resolve({
          blockHash: status.asInBlock.toHex(),
          events: events.map(({ event }) => event),
          dispatchError: dispatchError ? describeDispatchError(api, dispatchError) : null,
        });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

/** Human-readable text of a DispatchError, as polkadot.js apps shows it. */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return `${meta.section}.${meta.name}: ${meta.docs.join(' ')}`;
  }
  if (dispatchError.isToken) return `token.${dispatchError.asToken.type}`;
  return dispatchError.toString();
}

/** Free balance of `address` at block `at` (latest if omitted), as a BigInt. */
export async function freeBalance(api, address, at) {
  const q = at ? await api.at(at) : api;
  const account = await q.query.system.account(address);
  return account.data.free.toBigInt();
}

/** Submits `tx` and asserts it dispatched without error; resolves with `submit`'s result. */
export async function submitOk(api, tx, signer) {
  const result = await submit(api, tx, signer);
  assert.equal(result.dispatchError, null, `${tx.method.section}.${tx.method.method} failed: ${result.dispatchError}`);
  return result;
}

/**
 * An evaluation commitment, computed the way the README documents it:
 * blake2_256(SCALE(tag: [u8; 16], task: u64, evaluator: AccountId32, scores: Vec<u8>, salt: [u8; 32])).
 */
export function evaluationCommitment(task, account, scores, salt) {
  return u8aToHex(blake2AsU8a(u8aConcat(
    stringToU8a('prsp/eval/commit'),
    bnToU8a(task, { bitLength: 64, isLe: true }),
    decodeAddress(account.address),
    compactToU8a(scores.length),
    Uint8Array.from(scores),
    salt,
  ), 256));
}
