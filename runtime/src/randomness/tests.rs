//! The randomness sources on the `local_testnet` genesis (Alice, Bob, Charlie and Dave author),
//! with blocks that carry real BABE VRF outputs.
//!
//! Blocks are executed the way a node executes them (a header with a BABE pre-digest, the slot's
//! timestamp, every pallet's hooks through `Executive`), as in `validators::offence_tests`, but
//! their authors prove their slot with a VRF signature made with their sr25519 development key
//! over BABE's transcript (epoch randomness, slot, epoch index), so BABE derives from each block
//! the same VRF output as on a live chain. The runtime does not check the primary-slot lottery
//! threshold (the client does when importing a block), so a test block may claim a primary slot
//! whoever its author is.
//!
//! What the tests establish:
//! - [`BlockRandomness`] hashes the subject with the VRF output of the parent block's author and
//!   returns the parent's number; it falls back to [`EpochRandomness`] only while no block has
//!   carried a VRF output yet, and a block without one leaves the last output in use;
//! - [`EpochRandomness`] is the same in every block of an epoch and changes with the epoch;
//! - pallet-babe 50 mixes primary VRF outputs into the epoch randomness only in full segments of
//!   256 outputs: with 10-slot epochs, the next epoch's randomness is usually the hash of the
//!   current one and the epoch index, which anyone can compute in advance.

use super::{BlockRandomness, EpochRandomness};
use crate::{
	test_utils::externalities, time::EPOCH_DURATION_IN_SLOTS, Babe, BlockNumber, Executive, Hash,
	Header, Runtime, RuntimeOrigin, System, Timestamp,
};
use frame_support::{assert_ok, traits::Randomness};
use sp_consensus_babe::{
	digests::{
		CompatibleDigestItem, PreDigest, PrimaryPreDigest, SecondaryPlainPreDigest,
		SecondaryVRFPreDigest,
	},
	AuthorityId, AuthorityIndex, Randomness as BabeRandomness, Slot, VrfSignature,
	RANDOMNESS_VRF_CONTEXT,
};
use sp_core::crypto::VrfSecret;
use sp_io::hashing::blake2_256;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Header as _},
	Digest, DigestItem,
};
use std::collections::BTreeSet;

/// How many VRF outputs one of BABE's under-construction segments holds
/// (`UNDER_CONSTRUCTION_SEGMENT_LENGTH`, private to pallet-babe).
const SEGMENT_LENGTH: usize = 256;

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

/// How a test block's author claims its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Claim {
	/// `SecondaryPlain`: no VRF output. A node of this chain never authors one (its epochs
	/// allow `PrimaryAndSecondaryVRFSlots`); it stands for "no VRF output" in the tests.
	Plain,
	/// `SecondaryVRF`: a secondary slot, proven with a VRF whose output BABE keeps as the block's
	/// author randomness but does not mix into the epoch randomness.
	SecondaryVrf,
	/// `Primary`: the author won the slot's VRF lottery; BABE also deposits its output into the
	/// randomness under construction for the next epochs.
	Primary,
}

/// Runs `test` on the `local_testnet` genesis at block 1, before any block is opened: the test
/// produces its blocks with [`next_block`], the first of which is block 2 at slot 1 (BABE's
/// epoch 0).
fn execute(test: impl FnOnce()) {
	externalities(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(test);
}

/// Finishes the open block (if any) and opens the next one, one slot later, authored by the
/// slot's authority (BABE's authorities take turns) with a `claim` pre-digest, and with the
/// slot's timestamp. Returns the VRF output the new block's author committed to (`None` for a
/// plain block): BABE records it when the block is finalized, so it is the randomness of the
/// *next* block. The test then runs inside the new block, after every pallet's `on_initialize`.
fn next_block(claim: Claim) -> Option<BabeRandomness> {
	let parent_hash = if pallet_babe::Initialized::<Runtime>::exists() {
		Executive::finalize_block().hash()
	} else {
		System::parent_hash()
	};
	let slot = Babe::current_slot() + 1;
	let (epoch_index, randomness, authorities) = babe_epoch_at(slot);
	let authority_index = (*slot % authorities.len() as u64) as AuthorityIndex;
	let authority = authorities[authority_index as usize].clone();
	let author = keyring_of(&authority);

	let (pre_digest, output) = match claim {
		Claim::Plain =>
			(PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index, slot }), None),
		Claim::SecondaryVrf => {
			let (vrf_signature, output) = vrf(author, &randomness, slot, epoch_index);
			let pre_digest = SecondaryVRFPreDigest { authority_index, slot, vrf_signature };
			(PreDigest::SecondaryVRF(pre_digest), Some(output))
		},
		Claim::Primary => {
			let (vrf_signature, output) = vrf(author, &randomness, slot, epoch_index);
			let pre_digest = PrimaryPreDigest { authority_index, slot, vrf_signature };
			(PreDigest::Primary(pre_digest), Some(output))
		},
	};
	let header = Header::new(
		System::block_number() + 1,
		Default::default(),
		Default::default(),
		parent_hash,
		Digest { logs: vec![DigestItem::babe_pre_digest(pre_digest)] },
	);
	let _ = Executive::initialize_block(&header);
	assert_ok!(Timestamp::set(RuntimeOrigin::none(), *slot * Babe::slot_duration()));

	// The author signed over what BABE verifies the output against when it finalizes the block
	// (after any epoch change this block enacted).
	assert_eq!(Babe::current_slot(), slot);
	assert_eq!(Babe::epoch_index(), epoch_index, "the epoch the author signed for");
	assert_eq!(pallet_babe::Randomness::<Runtime>::get(), randomness, "the randomness signed");
	assert_eq!(
		pallet_babe::Authorities::<Runtime>::get()[authority_index as usize].0,
		authority,
		"the authority at the pre-digest's index"
	);
	output
}

/// BABE's epoch as it will be once the block at `slot` has been initialized: its index, its
/// randomness and its authorities. The author signs over them before the block exists, so they
/// are computed as BABE will: a block whose slot lies in a later epoch enacts the epoch change,
/// and the randomness and authorities announced for the next epoch become the current ones.
fn babe_epoch_at(slot: Slot) -> (u64, BabeRandomness, Vec<AuthorityId>) {
	let genesis_slot = pallet_babe::GenesisSlot::<Runtime>::get();
	// The first block's slot becomes the genesis slot (the start of epoch 0).
	let genesis_slot = if *genesis_slot == 0 { slot } else { genesis_slot };
	let epoch_index = sp_consensus_babe::epoch_index(slot, genesis_slot, EPOCH_DURATION_IN_SLOTS);
	let (randomness, authorities) = if epoch_index == Babe::epoch_index() {
		(pallet_babe::Randomness::<Runtime>::get(), pallet_babe::Authorities::<Runtime>::get())
	} else {
		(
			pallet_babe::NextRandomness::<Runtime>::get(),
			pallet_babe::NextAuthorities::<Runtime>::get(),
		)
	};
	(epoch_index, randomness, authorities.iter().map(|(id, _)| id.clone()).collect())
}

/// The development key of a BABE authority (the `local_testnet` validators' BABE keys are their
/// sr25519 development keys).
fn keyring_of(authority: &AuthorityId) -> Sr25519Keyring {
	Sr25519Keyring::iter()
		.find(|key| AuthorityId::from(key.public()) == *authority)
		.expect("every local_testnet authority is a development key")
}

/// What `author` puts in its pre-digest for `slot` of epoch `epoch_index` (the VRF signature
/// over BABE's transcript), and the VRF output BABE derives from it, computed from the key.
fn vrf(
	author: Sr25519Keyring,
	randomness: &BabeRandomness,
	slot: Slot,
	epoch_index: u64,
) -> (VrfSignature, BabeRandomness) {
	let pair = author.pair();
	let signature =
		pair.vrf_sign(&sp_consensus_babe::make_vrf_sign_data(randomness, slot, epoch_index));
	let transcript = sp_consensus_babe::make_vrf_transcript(randomness, slot, epoch_index);
	let output: BabeRandomness = pair.make_bytes(RANDOMNESS_VRF_CONTEXT, &transcript);
	(signature, output)
}

// ---------------------------------------------------------------------------------------------
// Expected values
// ---------------------------------------------------------------------------------------------

fn block_randomness(subject: &[u8]) -> (Hash, BlockNumber) {
	<BlockRandomness as Randomness<Hash, BlockNumber>>::random(subject)
}

fn epoch_randomness(subject: &[u8]) -> (Hash, BlockNumber) {
	<EpochRandomness as Randomness<Hash, BlockNumber>>::random(subject)
}

/// A draw from `randomness` for `subject`: BLAKE2-256 of the subject followed by the randomness.
fn hashed(subject: &[u8], randomness: &BabeRandomness) -> Hash {
	BlakeTwo256::hash(&[subject, &randomness[..]].concat())
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn block_randomness_comes_from_the_parent_authors_vrf_and_changes_every_block() {
	execute(|| {
		next_block(Claim::SecondaryVrf);
		let parent_output = next_block(Claim::SecondaryVrf).expect("a VRF block");
		let parent = System::block_number();
		let own_output = next_block(Claim::SecondaryVrf).expect("a VRF block");
		assert_ne!(parent_output, own_output, "each block has its own VRF output");

		// BABE recorded the parent's output, as its author's key yields it.
		assert_eq!(pallet_babe::AuthorVrfRandomness::<Runtime>::get(), Some(parent_output));
		let (task_1, known_since) = block_randomness(b"task-1");
		assert_eq!(task_1, hashed(b"task-1", &parent_output));
		assert_eq!(known_since, parent, "known once the parent was imported");
		assert_eq!(known_since, System::block_number() - 1);

		// The subject is mixed in: two draws in one block differ; the same draw is repeatable.
		let (task_2, _) = block_randomness(b"task-2");
		assert_eq!(task_2, hashed(b"task-2", &parent_output));
		assert_ne!(task_1, task_2);
		assert_eq!(block_randomness(b"task-1"), (task_1, parent));

		// Not the epoch fallback, and not the open block's own output (unknown until it is
		// finalized).
		assert_ne!(task_1, epoch_randomness(b"task-1").0);
		assert_ne!(task_1, hashed(b"task-1", &own_output));

		// One block later, the same subject draws from the next author's output.
		let next_output = next_block(Claim::SecondaryVrf).expect("a VRF block");
		let (next_task_1, next_known_since) = block_randomness(b"task-1");
		assert_eq!(next_task_1, hashed(b"task-1", &own_output));
		assert_eq!(next_known_since, parent + 1);
		assert_ne!(next_task_1, task_1, "a new value every block");

		// Across an epoch change too: the first block of epoch 1 signs over the new epoch's
		// randomness, and its output is the next block's randomness.
		let mut last_output = next_output;
		while Babe::epoch_index() == 0 {
			last_output = next_block(Claim::SecondaryVrf).expect("a VRF block");
		}
		next_block(Claim::SecondaryVrf);
		assert_eq!(block_randomness(b"task-1").0, hashed(b"task-1", &last_output));
	});
}

#[test]
fn block_randomness_falls_back_to_epoch_randomness_without_a_vrf_output() {
	execute(|| {
		// No block carries a VRF output (on this chain, only the state before the first block):
		// BABE has no author output, and every draw is the epoch randomness. Through the first
		// block of epoch 1, so that the epoch randomness changes once.
		let mut values = Vec::new();
		for _ in 0..=EPOCH_DURATION_IN_SLOTS {
			next_block(Claim::Plain);
			assert_eq!(pallet_babe::AuthorVrfRandomness::<Runtime>::get(), None);
			for subject in [&b"task-1"[..], &b"task-2"[..]] {
				assert_eq!(block_randomness(subject), epoch_randomness(subject));
			}
			assert_ne!(block_randomness(b"task-1").0, block_randomness(b"task-2").0);
			values.push(block_randomness(b"task-1").0);
		}
		assert_eq!(Babe::epoch_index(), 1);
		values.dedup();
		assert_eq!(values.len(), 2, "one value per epoch, as the epoch randomness");
	});
}

#[test]
fn a_block_without_a_vrf_output_leaves_the_last_one_in_use() {
	execute(|| {
		next_block(Claim::SecondaryVrf);
		let output = next_block(Claim::SecondaryVrf).expect("a VRF block");
		next_block(Claim::Plain);
		next_block(Claim::Plain);

		// BABE only overwrites its author output when a block carries one: two blocks later the
		// draw still comes from `output`, not from the epoch randomness, and is reported as
		// known since the parent (it was known one block earlier). Harmless on this chain, where
		// every block carries a VRF output.
		assert_eq!(pallet_babe::AuthorVrfRandomness::<Runtime>::get(), Some(output));
		let (task_1, known_since) = block_randomness(b"task-1");
		assert_eq!(task_1, hashed(b"task-1", &output));
		assert_ne!(task_1, epoch_randomness(b"task-1").0);
		assert_eq!(known_since, System::block_number() - 1);
	});
}

#[test]
fn epoch_randomness_is_fixed_for_an_epoch_and_changes_with_it() {
	execute(|| {
		let mut epoch_values = Vec::new();
		let mut block_values = Vec::new();
		next_block(Claim::Primary);
		for epoch in 0..4u64 {
			assert_eq!(Babe::epoch_index(), epoch);
			let start = System::block_number();
			let (value, known_since) = epoch_randomness(b"task-1");
			// The hash of the subject and the randomness BABE announced for the next epoch
			// (`NextRandomness`), known since the epoch's first block (genesis for epoch 0).
			assert_eq!(value, hashed(b"task-1", &pallet_babe::NextRandomness::<Runtime>::get()));
			assert_eq!(known_since, if epoch == 0 { 0 } else { start });
			assert_ne!(value, epoch_randomness(b"task-2").0, "the subject is mixed in");

			let mut blocks = 0u64;
			while Babe::epoch_index() == epoch {
				assert_eq!(
					epoch_randomness(b"task-1"),
					(value, known_since),
					"the same in block {} of epoch {epoch}",
					System::block_number()
				);
				block_values.push(block_randomness(b"task-1").0);
				blocks += 1;
				next_block(Claim::Primary);
			}
			assert_eq!(blocks, EPOCH_DURATION_IN_SLOTS, "one block per slot");
			epoch_values.push(value);
		}

		let distinct_epoch_values: BTreeSet<_> = epoch_values.iter().collect();
		assert_eq!(distinct_epoch_values.len(), epoch_values.len(), "a new value every epoch");
		// Meanwhile the block randomness changed in every block.
		let distinct_block_values: BTreeSet<_> = block_values.iter().collect();
		assert_eq!(distinct_block_values.len(), block_values.len());
	});
}

/// pallet-babe 50 collects primary VRF outputs in segments of 256 and, at an epoch change, mixes
/// in the *full* segments only (`randomness_change_epoch` takes segments `0..SegmentIndex`, not
/// the current one). With 10-slot epochs a segment fills in about 100 epochs (a quarter of the
/// slots are primary, `c` = 1/4), so until then each epoch's `NextRandomness` (what
/// `EpochRandomness` draws from) is `blake2_256(Randomness ++ next epoch index)`: computable by
/// anyone from the genesis or the previous value, independent of the epoch's VRF outputs. Here
/// every block claims a primary slot: the 257th output (in epoch 25) starts a second segment, and
/// the first 256 are mixed in when epoch 26 starts.
#[test]
fn epoch_randomness_takes_in_primary_vrf_outputs_only_in_full_segments_of_256() {
	execute(|| {
		// Secondary VRF outputs feed the block randomness, never the epoch randomness.
		for _ in 0..3 {
			next_block(Claim::SecondaryVrf);
		}
		let mut open = next_block(Claim::Primary).expect("a VRF block");
		assert!(pallet_babe::UnderConstruction::<Runtime>::get(0u32).is_empty());

		// The primary outputs BABE deposited, in order (each when finalizing its block).
		let mut deposited: Vec<BabeRandomness> = Vec::new();
		loop {
			let epoch = Babe::epoch_index();
			while Babe::epoch_index() == epoch {
				deposited.push(open);
				open = next_block(Claim::Primary).expect("a VRF block");
			}
			// Inside the first block of the next epoch: the epoch change is enacted.
			let epoch = Babe::epoch_index();
			let mut input = [
				&pallet_babe::Randomness::<Runtime>::get()[..],
				&(epoch + 1).to_le_bytes()[..],
			]
			.concat();
			let without_vrf_outputs = blake2_256(&input);
			let next_randomness = pallet_babe::NextRandomness::<Runtime>::get();
			if deposited.len() <= SEGMENT_LENGTH {
				assert_eq!(
					next_randomness, without_vrf_outputs,
					"epoch {epoch}: {} primary VRF outputs left out",
					deposited.len()
				);
				assert_eq!(
					pallet_babe::UnderConstruction::<Runtime>::get(0u32).into_inner(),
					deposited,
					"epoch {epoch}: the outputs wait in the first segment"
				);
			} else {
				// The first segment is full: its 256 outputs are mixed in, the rest wait.
				for output in &deposited[..SEGMENT_LENGTH] {
					input.extend_from_slice(output);
				}
				assert_eq!(next_randomness, blake2_256(&input));
				assert_ne!(next_randomness, without_vrf_outputs);
				assert_eq!(epoch, 26, "the first epoch change after the 257th primary output");
				break;
			}
		}
	});
}
