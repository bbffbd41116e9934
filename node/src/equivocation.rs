//! Reports BABE equivocations (two blocks authored in one slot by one authority) with proofs the
//! runtime accepts.
//!
//! sc-consensus-babe 0.60 (stable2609) detects equivocations inside its block import, after its
//! verifier has moved the seal out of the header into `post_digests`: the proof it submits holds
//! two *unsealed* headers, which `sp_consensus_babe::check_equivocation_proof` rejects
//! (`babe.InvalidEquivocationProof`, seen on the 4-validator network with a doubled `--bob`).
//! This wrapper sits in front of BABE's import, sees each header with its seal put back, keeps
//! the last `SLOTS_REMEMBERED` slots' imported sealed headers in memory (by the authority index
//! in their pre-digest) and, on a second header by the same authority in one slot, submits
//! `babe.reportEquivocationUnsigned` through the offchain transaction pool, once per author and
//! slot. It does so before BABE's own import runs, so the pool (which keeps one report per
//! offender and slot) holds the valid report, not BABE's unsealed one. The authors' keys are
//! looked up in the runtime only for a header that shares its slot and authority index with
//! another: importing an ordinary block costs no runtime call here.

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

/// Per slot: the imported headers, and the authors whose equivocation in it was reported.
type SeenHeaders = BTreeMap<Slot, SlotHeaders>;

#[derive(Default)]
struct SlotHeaders {
	/// Each imported header with the authority index of its pre-digest.
	headers: Vec<(u32, Header)>,
	reported: Vec<AuthorityId>,
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

	/// Other imported headers of `slot` whose pre-digest names authority `index`: candidates
	/// for an equivocation with `header` (the same index may name another key on another fork).
	fn same_slot_and_index(&self, slot: Slot, index: u32, header: &Header) -> Vec<Header> {
		let seen = self.seen.lock();
		let Some(in_slot) = seen.get(&slot) else { return Vec::new() };
		in_slot
			.headers
			.iter()
			.filter(|(i, other)| *i == index && other.hash() != header.hash())
			.map(|(_, other)| other.clone())
			.collect()
	}

	/// The proof, if `header`'s author sealed one of the other imported headers of its slot and
	/// its equivocation in that slot was not reported yet (one report per author and slot).
	fn equivocation(
		&self,
		slot: Slot,
		index: u32,
		header: &Header,
	) -> Option<sp_consensus_babe::EquivocationProof<Header>> {
		let candidates = self.same_slot_and_index(slot, index, header);
		if candidates.is_empty() {
			return None
		}
		let author = self.author_of(header, slot, index)?;
		let first = candidates
			.into_iter()
			.find(|first| self.author_of(first, slot, index).as_ref() == Some(&author))?;
		let mut seen = self.seen.lock();
		let reported = &mut seen.entry(slot).or_default().reported;
		if reported.contains(&author) {
			return None
		}
		reported.push(author.clone());
		Some(sp_consensus_babe::EquivocationProof {
			offender: author,
			slot,
			first_header: first,
			second_header: header.clone(),
		})
	}

	/// Remembers an imported header (only imported ones: a peer cannot fill the memory with
	/// headers whose blocks fail), forgetting slots older than `SLOTS_REMEMBERED`.
	fn remember(&self, slot: Slot, index: u32, header: Header) {
		let mut seen = self.seen.lock();
		let oldest = Slot::from(u64::from(slot).saturating_sub(SLOTS_REMEMBERED));
		*seen = seen.split_off(&oldest);
		let in_slot = seen.entry(slot).or_default();
		if !in_slot.headers.iter().any(|(_, other)| other.hash() == header.hash()) {
			in_slot.headers.push((index, header));
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
			.then(|| Self::sealed(&block))
			.flatten();
		if let Some((slot, index, header)) = &sealed {
			// Reported before BABE's own import submits its unsealed proof (see the module docs).
			if let Some(proof) = self.equivocation(*slot, *index, header) {
				self.report(proof).await;
			}
		}
		let imported = self.inner.import_block(block).await?;
		if let Some((slot, index, header)) = sealed {
			self.remember(slot, index, header);
		}
		Ok(imported)
	}
}

impl<I> EquivocationReporter<I> {
	/// The slot, authority index and sealed header of `block`, if it is a BABE block with its
	/// seal (read from the header alone).
	fn sealed(block: &BlockImportParams<Block>) -> Option<(Slot, u32, Header)> {
		let seal = block.post_digests.last().filter(|item| item.as_babe_seal().is_some())?;
		let mut sealed = block.header.clone();
		sealed.digest_mut().push(seal.clone());
		let pre_digest = sealed.digest().logs().iter().find_map(|item| item.as_babe_pre_digest())?;
		Some((pre_digest.slot(), pre_digest.authority_index(), sealed))
	}
}
