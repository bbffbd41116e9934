// Submitting extrinsics and reading their outcome.

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
