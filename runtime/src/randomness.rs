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
//! | [`BlockRandomness`] (`ParentBlockRandomness`) | when the parent block is authored; a new value every block | the parent's author alone: publish or withhold, one bit per slot it holds; everyone knows the value once the parent is imported |
//! | [`EpochRandomness`] (`RandomnessFromOneEpochAgo`) | see below: on this chain, usually long in advance | whoever authors when a segment of 256 primary VRF outputs completes |
//!
//! **`EpochRandomness` is predictable here.** pallet-babe mixes primary VRF outputs into the
//! next epoch's randomness only in complete segments of 256 (`randomness_change_epoch` takes
//! segments `0..SegmentIndex` and leaves the one being filled). Polkadot's 2,400-slot epochs fill
//! a segment several times per epoch; this chain's 10-slot epochs with `c = 1/4` fill one about
//! every hundred epochs, and in between each epoch's value is a hash of the previous one and
//! the epoch index: anyone can compute it epochs ahead (the test
//! `epoch_randomness_takes_in_primary_vrf_outputs_only_in_full_segments_of_256` shows it). Do not
//! draw anything of value from it.
//!
//! An author also *knows* its own VRF output for a slot before anyone else, as soon as the
//! epoch randomness is known (here: long in advance), so it can act on it in the block it
//! authors or in earlier ones.
//!
//! Rules for a consumer (the evaluation pallet's panel draws):
//! - use [`BlockRandomness`];
//! - fix the inputs (the task, the pool of eligible evaluators and their weights) *before*
//!   the randomness that draws from them is known to anyone who can still change them: mix the
//!   outputs of two consecutive blocks n and n+1 and read the inputs as they were at the end of
//!   block n (the evaluation pallet keeps the tree's previous values for that), so steering
//!   needs the authors of both blocks;
//! - mix a unique subject (e.g. the task id) into each draw, so two draws in one block differ.

use crate::{BlockNumber, Hash, Runtime};
use frame_support::traits::Randomness;

/// BABE's randomness of the current epoch (see the module docs: predictable on this chain).
pub type EpochRandomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;

/// The VRF output of the parent block's author, hashed with the subject. BABE keeps the last VRF
/// output it saw, and every block carries one (`PrimaryAndSecondaryVRFSlots`), so this is the
/// parent's; before the first VRF block (in block 1) it falls back to [`EpochRandomness`].
/// Returns the randomness and the block number from which it was known.
pub struct BlockRandomness;

impl Randomness<Hash, BlockNumber> for BlockRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		match pallet_babe::ParentBlockRandomness::<Runtime>::random(subject) {
			(Some(random), known_since) => (random, known_since),
			(None, _) => EpochRandomness::random(subject),
		}
	}
}

#[cfg(test)]
mod tests;
