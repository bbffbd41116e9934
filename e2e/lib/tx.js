// Submitting extrinsics and reading their outcome.

import assert from 'node:assert/strict';
import { u8aConcat, u8aToHex, u8aToU8a, bnToU8a, compactToU8a, stringToU8a } from '@polkadot/util';
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
 * blake2_256(SCALE(tag: [u8; 16], task: u64, evaluator: AccountId32, scores: Vec<u16>, salt: [u8; 32])).
 * SCALE encodes `scores` as its compact length, then each score as a u16 in 2 little-endian bytes
 * ([80, 90] → 0x08 50 00 5a 00).
 */
export function evaluationCommitment(task, account, scores, salt) {
  return u8aToHex(blake2AsU8a(u8aConcat(
    stringToU8a('prsp/eval/commit'),
    bnToU8a(task, { bitLength: 64, isLe: true }),
    decodeAddress(account.address),
    compactToU8a(scores.length),
    ...scores.map((s) => bnToU8a(s, { bitLength: 16, isLe: true })),
    salt,
  ), 256));
}

/**
 * A contribution registration commitment (`contributions.commitRegistration`), computed the way
 * the contributions pallet documents it:
 * blake2_256(SCALE(tag: [u8; 16], content_hash: H256, owner: AccountId32, salt: [u8; 32])).
 */
export function registrationCommitment(contentHash, account, salt) {
  return u8aToHex(blake2AsU8a(u8aConcat(
    stringToU8a('prsp/contrib/reg'),
    u8aToU8a(contentHash),
    decodeAddress(account.address),
    salt,
  ), 256));
}

/** The first event `section.method` in `events`. */
export function findEvent(events, section, method) {
  return events.find((e) => e.section === section && e.method === method);
}

/**
 * A council motion for `call`: the first signer proposes it with a threshold of `signers.length`,
 * every signer votes aye, the first closes it. Resolves with the closing block's result; asserts
 * the motion executed successfully.
 */
export async function councilMotion(api, call, signers) {
  const length = call.method.encodedLength;
  const proposed = await submitOk(api, api.tx.council.propose(signers.length, call, length), signers[0]);
  const { proposalIndex, proposalHash } = findEvent(proposed.events, 'council', 'Proposed').data;
  await Promise.all(signers.map((s) => submitOk(api, api.tx.council.vote(proposalHash, proposalIndex, true), s)));
  // The bound must cover the proposal's declared weight: `referendaAdmin.veto` declares a
  // proof size of ≈ 4.2 MB (the benchmark's estimate for reading a preimage).
  const closed = await submitOk(api, api.tx.council.close(
    proposalHash, proposalIndex, { refTime: 10_000_000_000, proofSize: 16_000_000 }, length,
  ), signers[0]);
  const executed = findEvent(closed.events, 'council', 'Executed');
  assert.ok(executed, 'the motion was executed');
  assert.ok(executed.data.result.isOk, `the motion's call succeeded: ${executed.data.result.toString()}`);
  return closed;
}
