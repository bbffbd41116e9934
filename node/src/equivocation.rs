//! Reports BABE equivocations (two blocks authored in one slot by one authority) with proofs the
//! runtime accepts.
//!
//! sc-consensus-babe 0.60 (stable2609) detects equivocations inside its block import, after its
//! verifier has moved the seal out of the header into `post_digests`: the proof it submits holds
//! two *unsealed* headers, which `sp_consensus_babe::check_equivocation_proof` rejects
//! (`babe.InvalidEquivocationProof`, seen on the 4-validator network with a doubled `--bob`).
//! This wrapper sits in front of BABE's import, sees each header with its seal put back, keeps
//! the last `SLOTS_REMEMBERED` slots' imported sealed headers in memory (one per author and
//! slot) and, on a second header by the same authority in one slot, submits
//! `babe.reportEquivocationUnsigned` through the offchain transaction pool, once per author and
//! slot. It does so before BABE's own import runs, so the pool (which keeps one report per
//! offender and slot) holds the valid report, not BABE's unsealed one.

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

/// Per slot: each author's first imported header, and whether its equivocation was reported.
type SeenHeaders = BTreeMap<Slot, Vec<Seen>>;

struct Seen {
	author: AuthorityId,
	header: Header,
	reported: bool,
}

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

	/// The proof, if `author` already sealed another imported header in `slot` and that
	/// equivocation was not reported yet (one report per author and slot).
	fn equivocation(
		&self,
		slot: Slot,
		author: &AuthorityId,
		header: &Header,
	) -> Option<sp_consensus_babe::EquivocationProof<Header>> {
		let mut seen = self.seen.lock();
		let first = seen.get_mut(&slot)?.iter_mut().find(|seen| seen.author == *author)?;
		if first.reported || first.header.hash() == header.hash() {
			return None
		}
		first.reported = true;
		Some(sp_consensus_babe::EquivocationProof {
			offender: author.clone(),
			slot,
			first_header: first.header.clone(),
			second_header: header.clone(),
		})
	}

	/// Remembers an imported header (only imported ones: a peer cannot fill the memory with
	/// headers whose blocks fail), forgetting slots older than `SLOTS_REMEMBERED`.
	fn remember(&self, slot: Slot, author: AuthorityId, header: Header) {
		let mut seen = self.seen.lock();
		let oldest = Slot::from(u64::from(slot).saturating_sub(SLOTS_REMEMBERED));
		*seen = seen.split_off(&oldest);
		let in_slot = seen.entry(slot).or_default();
		if !in_slot.iter().any(|seen| seen.author == author) {
			in_slot.push(Seen { author, header, reported: false });
		}
	}

	async fn report(&self, proof: sp_consensus_babe::EquivocationProof<Header>) {
		let offender = proof.offender.clone();
		let slot = proof.slot;
		let best = match self.select_chain.best_chain().await {
			Ok(best) => best.hash(),
			Err(e) => return log::warn!("BABE equivocation at slot {slot}: no best block: {e}"),
		};
		let api = self.client.runtime_api();
		// The key-ownership proof must name the session of the slot's epoch. The first header
		// was imported and belongs to that epoch (if it opened the epoch, the session rotated
		// in it), so its state proves the right session; its parent's may be the previous one.
		let key_owner_proof = [proof.first_header.hash(), *proof.second_header.parent_hash(), best]
			.into_iter()
			.find_map(|at| api.generate_key_ownership_proof(at, slot, offender.clone()).ok().flatten());
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
		let sealed = (block.origin != BlockOrigin::NetworkInitialSync)
			.then(|| self.sealed_author(&block))
			.flatten();
		if let Some((slot, author, header)) = &sealed {
			// Reported before BABE's own import submits its unsealed proof (see the module docs).
			if let Some(proof) = self.equivocation(*slot, author, header) {
				self.report(proof).await;
			}
		}
		let imported = self.inner.import_block(block).await?;
		if let Some((slot, author, header)) = sealed {
			self.remember(slot, author, header);
		}
		Ok(imported)
	}
}

impl<I> EquivocationReporter<I> {
	/// The slot, author and sealed header of `block`, if it is a BABE block with its seal.
	fn sealed_author(&self, block: &BlockImportParams<Block>) -> Option<(Slot, AuthorityId, Header)> {
		let seal = block.post_digests.last().filter(|item| item.as_babe_seal().is_some())?;
		let mut sealed = block.header.clone();
		sealed.digest_mut().push(seal.clone());
		let pre_digest = sealed.digest().logs().iter().find_map(|item| item.as_babe_pre_digest())?;
		let slot = pre_digest.slot();
		let author = self.author_of(&sealed, slot, pre_digest.authority_index())?;
		Some((slot, author, sealed))
	}
}
