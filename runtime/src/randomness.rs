//! Randomness for pallets, from BABE's VRF outputs (never from block hashes, which the previous
//! block's author chooses freely).
//!
//! Every block carries its author's VRF output (primary slots and, with
//! `PrimaryAndSecondaryVRFSlots`, secondary slots too). An author cannot choose its VRF output:
//! it is a deterministic function of its key, the slot and the epoch randomness. What an author
//! *can* do is withhold its block (and lose nothing but the block), so each source below is
//! biased by whoever authors the blocks it depends on, at most one bit (publish or not) per slot
//! they hold.
//!
//! | source | fixed when | who can bias it, by how much |
//! |---|---|---|
//! | [`EpochRandomness`] (`RandomnessFromOneEpochAgo`) | the end of the previous epoch; the same value for the whole epoch (10 blocks) | the authors of the last slots of the previous epoch: each can withhold its block, one bit per slot held; everyone learns the value an epoch in advance |
//! | [`BlockRandomness`] (`ParentBlockRandomness`) | when the parent block is authored; a new value every block | the parent's author alone: publish or withhold, one bit per slot it holds; the value is known to everyone once the parent is imported |
//!
//! Rules for a consumer (the evaluation pallet's panel draws):
//! - commit to the inputs (the task, the pool of eligible evaluators) *before* the randomness
//!   that draws from them exists: draw in a later block than the one that opened the task, so a
//!   submitter cannot wait for a favourable parent and then act in the same block;
//! - mix a unique subject (e.g. the task id) into each draw, so two draws in one block differ;
//! - prefer [`BlockRandomness`] for draws made a block or more after the commitment (fresh,
//!   one author's bit of bias), and [`EpochRandomness`] where a value must be the same over an
//!   epoch and predictability for an epoch is harmless.

use crate::{BlockNumber, Hash, Runtime};
use frame_support::traits::Randomness;

/// The randomness revealed at the end of the previous epoch (see the module docs).
pub type EpochRandomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;

/// The VRF output of the parent block's author, hashed with the subject; falls back to
/// [`EpochRandomness`] where the parent carries none (only the genesis block). Returns the
/// randomness and the block number from which it was known.
pub struct BlockRandomness;

impl Randomness<Hash, BlockNumber> for BlockRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		match pallet_babe::ParentBlockRandomness::<Runtime>::random(subject) {
			(Some(random), known_since) => (random, known_since),
			(None, _) => EpochRandomness::random(subject),
		}
	}
}
