//! Reports BABE equivocations (two blocks authored in one slot by one authority) with proofs the
//! runtime accepts.
//!
//! sc-consensus-babe 0.60 (stable2609) detects equivocations inside its block import, after its
//! verifier has moved the seal out of the header into `post_digests`: the proof it submits holds
//! two *unsealed* headers, which `sp_consensus_babe::check_equivocation_proof` rejects
//! (`babe.InvalidEquivocationProof`, seen on the 4-validator network with a doubled `--bob`).
//! This wrapper sits in front of BABE's import, sees each header with its seal put back, keeps
//! the last `SLOTS_REMEMBERED` slots' sealed headers in memory and, on a second header by the
//! same authority in one slot, submits `babe.reportEquivocationUnsigned` through the offchain
//! transaction pool. It does so before BABE's own import runs, so the pool (which keeps one
//! report per offender and slot) holds the valid report, not BABE's unsealed one.

use std::{collections::BTreeMap, sync::Arc};

use parking_lot::Mutex;
use perspective_runtime::opaque::{Block, Header};
use sc_consensus::{BlockCheckParams, BlockImport, BlockImportParams, ImportResult};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_consensus::{BlockOrigin, Error as ConsensusError, SelectChain};
use sp_consensus_babe::{digests::CompatibleDigestItem, AuthorityId, BabeApi, Slot};
use sp_runtime::traits::Header as _;

use crate::service::{FullClient, FullSelectChain};

/// Slots whose headers are remembered (about 100 minutes at 6-second slots): an equivocation is
/// caught when its second block arrives within this window of the first.
const SLOTS_REMEMBERED: u64 = 1_000;

type SeenHeaders = BTreeMap<Slot, Vec<(AuthorityId, Header)>>;

/// A block import that reports BABE equivocations, then hands the block to `inner`.
#[derive(Clone)]
pub struct EquivocationReporter<I> {
	inner: I,
	client: Arc<FullClient>,
	select_chain: FullSelectChain,
	offchain_tx_pool_factory: OffchainTransactionPoolFactory<Block>,
	seen: Arc<Mutex<SeenHeaders>>,
}

impl<I> EquivocationReporter<I> {
	pub fn new(
		inner: I,
		client: Arc<FullClient>,
		select_chain: FullSelectChain,
		offchain_tx_pool_factory: OffchainTransactionPoolFactory<Block>,
	) -> Self {
		Self { inner, client, select_chain, offchain_tx_pool_factory, seen: Default::default() }
	}

	/// The author of `header` (sealed, with a BABE pre-digest), from the epoch data at its
	/// parent: the parent's current epoch, or the next one if the block starts it.
	fn author_of(&self, header: &Header, slot: Slot, index: u32) -> Option<AuthorityId> {
		let api = self.client.runtime_api();
		let parent = *header.parent_hash();
		let next = api.next_epoch(parent).ok()?;
		let epoch = if slot >= next.start_slot { next } else { api.current_epoch(parent).ok()? };
		epoch.authorities.get(index as usize).map(|(id, _)| id.clone())
	}

	/// Remembers `header`; returns the proof if its author already sealed another header in
	/// the same slot.
	fn note(
		&self,
		slot: Slot,
		author: AuthorityId,
		header: Header,
	) -> Option<sp_consensus_babe::EquivocationProof<Header>> {
		let mut seen = self.seen.lock();
		// Forget slots that left the window (the map stays bounded).
		let oldest = Slot::from(u64::from(slot).saturating_sub(SLOTS_REMEMBERED));
		*seen = seen.split_off(&oldest);
		let in_slot = seen.entry(slot).or_default();
		if let Some((_, first)) = in_slot.iter().find(|(id, _)| *id == author) {
			if first.hash() == header.hash() {
				return None
			}
			return Some(sp_consensus_babe::EquivocationProof {
				offender: author,
				slot,
				first_header: first.clone(),
				second_header: header,
			})
		}
		in_slot.push((author, header));
		None
	}

	async fn report(&self, proof: sp_consensus_babe::EquivocationProof<Header>) {
		let offender = proof.offender.clone();
		let slot = proof.slot;
		let best = match self.select_chain.best_chain().await {
			Ok(best) => best.hash(),
			Err(e) => return log::warn!("BABE equivocation at slot {slot}: no best block: {e}"),
		};
		let api = self.client.runtime_api();
		// The key-ownership proof of the offence's session: at the parent of the second header
		// (same session unless it opened a new one), else at the best block.
		let parent = *proof.second_header.parent_hash();
		let key_owner_proof = [parent, best].into_iter().find_map(|at| {
			api.generate_key_ownership_proof(at, slot, offender.clone()).ok().flatten()
		});
		let Some(key_owner_proof) = key_owner_proof else {
			return log::warn!("BABE equivocation at slot {slot} by {offender:?}: no key-ownership proof")
		};
		let mut api = self.client.runtime_api();
		api.register_extension(self.offchain_tx_pool_factory.offchain_transaction_pool(best));
		match api.submit_report_equivocation_unsigned_extrinsic(best, proof, key_owner_proof) {
			Ok(Some(())) => log::info!(
				"🚨 Reported BABE equivocation by {offender:?} at slot {slot} (sealed headers)"
			),
			other => log::warn!("BABE equivocation at slot {slot}: report not submitted: {other:?}"),
		}
	}
}

#[async_trait::async_trait]
impl<I> BlockImport<Block> for EquivocationReporter<I>
where
	I: BlockImport<Block, Error = ConsensusError> + Send + Sync,
{
	type Error = ConsensusError;

	async fn check_block(&self, block: BlockCheckParams<Block>) -> Result<ImportResult, Self::Error> {
		self.inner.check_block(block).await
	}

	async fn import_block(
		&self,
		block: BlockImportParams<Block>,
	) -> Result<ImportResult, Self::Error> {
		// Headers seen during initial sync are most likely stale (as BABE's own check skips them).
		if block.origin != BlockOrigin::NetworkInitialSync {
			if let Some(proof) = self.check(&block) {
				self.report(proof).await;
			}
		}
		self.inner.import_block(block).await
	}
}

impl<I> EquivocationReporter<I> {
	/// The sealed header of `block` and, if it equivocates, the proof.
	fn check(&self, block: &BlockImportParams<Block>) -> Option<sp_consensus_babe::EquivocationProof<Header>> {
		let seal = block.post_digests.last().filter(|item| item.as_babe_seal().is_some())?;
		let mut sealed = block.header.clone();
		sealed.digest_mut().push(seal.clone());
		let pre_digest = sealed.digest().logs().iter().find_map(|item| item.as_babe_pre_digest())?;
		let slot = pre_digest.slot();
		let author = self.author_of(&sealed, slot, pre_digest.authority_index())?;
		self.note(slot, author, sealed)
	}
}
