// Measures block production and finality on the 4-validator local network (not a test: a
// measurement, run by hand to compare consensus changes):
//   PERSPECTIVE_NODE_BIN=... node tools/consensus-metrics.js [blocks=60]
// Starts scripts/local-testnet.sh's four validators, skips the first 5 blocks (start-up), then
// over the next `blocks` finalized blocks reports the mean and worst interval between block
// timestamps, how many slots had no block, and the finality lag (best − finalized, sampled
// every second) as mean / p95 / max.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startLocalTestnet } from '../lib/testnet.js';
import { waitFor } from '../lib/node.js';

const blocks = Number(process.argv[2] ?? 60);
const SLOT_MS = 6000;
const network = await startLocalTestnet();
const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${network.rpcPorts[0]}`), noInitWarn: true });
const finalized = async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
try {
  const start = 5;
  await waitFor(`best #${start}`, async () => (await best()) >= start, { timeoutMs: 180_000 });
  const lags = [];
  const end = start + blocks;
  await waitFor(`finalized #${end}`, async () => {
    const [b, f] = await Promise.all([best(), finalized()]);
    lags.push(b - f);
    return f >= end;
  }, { timeoutMs: (blocks + 60) * SLOT_MS * 2, intervalMs: 1000 });
  const moments = [];
  for (let n = start; n <= end; n++) {
    const at = await api.at(await api.rpc.chain.getBlockHash(n));
    moments.push((await at.query.timestamp.now()).toNumber());
  }
  const intervals = moments.slice(1).map((m, i) => m - moments[i]);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sorted = [...lags].sort((a, b) => a - b);
  const emptySlots = intervals.reduce((sum, dt) => sum + Math.round(dt / SLOT_MS) - 1, 0);
  console.log(JSON.stringify({
    blocks,
    meanBlockIntervalS: +(mean(intervals) / 1000).toFixed(2),
    maxBlockIntervalS: Math.max(...intervals) / 1000,
    emptySlots,
    finalityLagBlocks: { mean: +mean(lags).toFixed(2), p95: sorted[Math.floor(sorted.length * 0.95)], max: sorted.at(-1) },
  }));
} finally {
  await api.disconnect();
  network.stop();
}
