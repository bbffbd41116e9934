//! The chain the fuzzer drives: the development genesis plus the funded fuzz accounts
//! ([`crate::accounts`]), and blocks produced natively through `Executive` (BABE secondary
//! pre-digest, timestamp inherent), so every hook runs: draws, settlements, epochs, elections,
//! session rotations.
//!
//! A block is finished ([`finish_block`]: `Executive::finalize_block`) and the next one opened
//! ([`open_block`]: `Executive::initialize_block` + the timestamp) separately, so that checks can
//! run in between. [`warp`] jumps ahead over idle blocks (see its docs).

use crate::accounts;
use perspective_runtime::{
	genesis_config_presets::genesis_config_of, AccountId, Babe, BuildStorage, BlockNumber, Executive,
	Header, Runtime, RuntimeOrigin, Session, System, Timestamp,
};
use sp_consensus_babe::{
	digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
	AuthorityIndex, Slot,
};
use sp_core::H256;
use sp_runtime::{traits::Header as _, Digest, DigestItem};
use std::sync::OnceLock;

pub use crate::accounts::{DEV_ACCOUNTS, FUZZ_ACCOUNTS, RICH};

/// Fuzz account `i` (`i < FUZZ_ACCOUNTS`). See [`crate::accounts`] for who is who.
pub fn account(i: u8) -> AccountId {
	accounts::account(i)
}

fn genesis() -> &'static sp_runtime::Storage {
	static GENESIS: OnceLock<sp_runtime::Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let mut config = genesis_config_of(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
			.expect("the development preset deserializes");
		// Alice..Ferdie are endowed by the preset.
		for i in DEV_ACCOUNTS..FUZZ_ACCOUNTS {
			config.balances.balances.push((account(i), accounts::endowment(i)));
		}
		config.build_storage().expect("the genesis builds")
	})
}

/// Fresh externalities at genesis, at block 1 as the node starts (call [`next_block`] to open
/// block 2, the first block of BABE's epoch 0), with a keystore for generating session keys.
pub fn new_chain() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities = genesis().clone().into();
	ext.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn pallet_babe_initialized() -> bool {
	pallet_babe::Initialized::<Runtime>::exists()
}

/// Finishes the open block, if any (`Executive::finalize_block`), and returns its hash (the
/// parent hash at genesis). Its events stay readable until the next block is opened.
pub fn finish_block() -> H256 {
	if pallet_babe_initialized() {
		Executive::finalize_block().hash()
	} else {
		System::parent_hash()
	}
}

/// Opens the next block with parent `parent_hash`, `slots_ahead` (≥ 1) slots after the current
/// one, authored by the next enabled authority in turn, with the slot's timestamp set. Returns
/// the new block number.
pub fn open_block(parent_hash: H256, slots_ahead: u64) -> BlockNumber {
	let number = System::block_number() + 1;
	let slot = Babe::current_slot() + slots_ahead.max(1);
	let disabled = Session::disabled_validators();
	let authors: Vec<AuthorityIndex> = (0..Session::validators().len() as AuthorityIndex)
		.filter(|i| !disabled.contains(i))
		.collect();
	let author = authors.get((*slot % authors.len().max(1) as u64) as usize).copied().unwrap_or(0);
	let header = Header::new(
		number,
		Default::default(),
		Default::default(),
		parent_hash,
		Digest {
			logs: vec![DigestItem::babe_pre_digest(PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
				authority_index: author,
				slot,
			}))],
		},
	);
	let _ = Executive::initialize_block(&header);
	Timestamp::set(RuntimeOrigin::none(), *slot * Babe::slot_duration()).expect("the timestamp inherent");
	System::block_number()
}

/// Finishes the open block (if any) and opens the next, one slot later. Returns the new block
/// number.
pub fn next_block() -> BlockNumber {
	let parent = finish_block();
	open_block(parent, 1)
}

/// How far [`warp_target`] may look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warp {
	/// To the first block with number-indexed work or the next council term boundary (an
	/// election): skips BABE epochs (sessions) and contribution epochs that end in between.
	Far,
	/// To the first block where anything happens: also the end of the current session, the
	/// current contribution epoch and the open evaluation tasks' commit and reveal windows.
	Near,
}

/// The block a warp from the current (open) block jumps to: the first block after it that has
/// number-indexed work, so no block with work is skipped. The current block is finished first,
/// so the earliest target is the next block (a warp is then an ordinary block).
///
/// Number-indexed work (always a target): the scheduler's agenda (referendum alarms and
/// enactments, anything scheduled), the evaluation pallet's `DueAt`, `DirectDueAt`, `PruneAt`,
/// `DisputePruneAt` and `AppealDrawAt` lists, and the next multiple of `CouncilTermDuration`
/// (the election hook). Draws queued for the next blocks (`ToDraw`, `Drawing`), a settlement or
/// scheduler backlog (their cursors behind the next block) make the target the next block.
///
/// What a [`Warp::Far`] warp skips, and why that is safe:
/// - BABE epochs and so sessions: pallet-babe supports skipped epochs (`SkippedEpochs`, as after
///   a chain stall); the first block after the warp rotates the session once. Validator-set
///   changes then take effect at the next rotations, as they would after a stall.
/// - Contribution epochs: `on_initialize` closes an epoch at the first block at or after its
///   `ends_at`; the epochs that would have followed it hold no points (nothing happened), so
///   they would have minted nothing.
/// - Reputation decays by block number (O(1) clock); conviction locks, unbonding, cool-offs,
///   grant periods, motions' ends and commitment ages are compared with the block number, not
///   indexed by it.
pub fn warp_target(mode: Warp) -> BlockNumber {
	let now = System::block_number();
	let next = now + 1;
	let idle_cursor = |cursor: Option<BlockNumber>| cursor.map_or(true, |c| c >= next);
	if !pallet_evaluation::ToDraw::<Runtime>::get().is_empty() ||
		pallet_evaluation::Drawing::<Runtime>::exists() ||
		!idle_cursor(pallet_evaluation::SettlementCursor::<Runtime>::get()) ||
		!idle_cursor(pallet_scheduler::IncompleteSince::<Runtime>::get())
	{
		return next;
	}
	let term = <perspective_runtime::governance::CouncilTermDuration as frame_support::traits::Get<BlockNumber>>::get();
	let mut target = (now / term + 1) * term;
	let mut consider = |at: BlockNumber| {
		if at >= next && at < target {
			target = at;
		}
	};
	pallet_scheduler::Agenda::<Runtime>::iter_keys().for_each(&mut consider);
	pallet_evaluation::DueAt::<Runtime>::iter_keys().for_each(&mut consider);
	pallet_evaluation::DirectDueAt::<Runtime>::iter_keys().for_each(&mut consider);
	pallet_evaluation::PruneAt::<Runtime>::iter_keys().for_each(&mut consider);
	pallet_evaluation::DisputePruneAt::<Runtime>::iter_keys().for_each(&mut consider);
	pallet_evaluation::AppealDrawAt::<Runtime>::iter_keys().for_each(&mut consider);
	if mode == Warp::Near {
		// The block whose slot ends BABE's epoch.
		let epoch_end: Slot = Babe::current_epoch_start() + perspective_runtime::time::EPOCH_DURATION_IN_SLOTS;
		let slots_left = epoch_end.saturating_sub(Babe::current_slot());
		consider(now + (*slots_left as BlockNumber).max(1));
		if let Some(epoch) = pallet_contributions::CurrentEpoch::<Runtime>::get() {
			consider(epoch.ends_at);
		}
		for (_, task) in pallet_evaluation::Tasks::<Runtime>::iter() {
			if task.status == pallet_evaluation::TaskStatus::Open {
				consider(task.commit_end);
				consider(task.reveal_end);
			}
		}
	}
	target.max(next)
}

/// Finishes the open block and opens block `target` (> the current block), as if the blocks in
/// between had been produced empty (one slot each). [`warp_target`] picks a target that skips
/// no number-indexed work; what idle blocks would have changed is emulated here:
/// - the scheduler's `IncompleteSince` and the evaluation pallet's `SettlementCursor` (each
///   idle block's hook moves them to the next block) start at `target`, as they would have;
/// - `System::BlockHash` entries older than `BlockHashCount` blocks before `target` are pruned,
///   as the skipped blocks' finalisation would have.
///
/// Returns the hash of the finished block.
pub fn warp(target: BlockNumber) -> H256 {
	let parent = finish_block();
	let slots = emulate_idle_blocks(target);
	open_block(parent, slots);
	parent
}

/// What the idle blocks between the finished current block and `target` would have changed
/// (see [`warp`]), and the block number set to `target − 1` (`frame_system` opens only the next
/// block). Call between [`finish_block`] and [`open_block`]; returns the slots to move ahead.
pub fn emulate_idle_blocks(target: BlockNumber) -> u64 {
	let now = System::block_number();
	if target > now + 1 {
		if pallet_scheduler::IncompleteSince::<Runtime>::get().is_some() {
			pallet_scheduler::IncompleteSince::<Runtime>::put(target);
		}
		if pallet_evaluation::SettlementCursor::<Runtime>::get().is_some() {
			pallet_evaluation::SettlementCursor::<Runtime>::put(target);
		}
		let count = <perspective_runtime::configs::BlockHashCount as frame_support::traits::Get<BlockNumber>>::get();
		let keep_from = (target - 1).saturating_sub(count);
		let stale: Vec<BlockNumber> =
			frame_system::BlockHash::<Runtime>::iter_keys().filter(|n| *n != 0 && *n < keep_from).collect();
		for n in stale {
			frame_system::BlockHash::<Runtime>::remove(n);
		}
		System::set_block_number(target - 1);
	}
	target.saturating_sub(now).max(1) as u64
}

/// The runtime type, for generic calls.
pub type R = Runtime;
