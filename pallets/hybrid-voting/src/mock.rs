//! Test runtime: System + Balances + HybridVoting, with a table of test polls instead of
//! referenda and a table of reputation instead of the reputation pallet.

use crate::{self as pallet_hybrid_voting, HouseThresholds, ReputationHouse, TallyOf};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, PollStatus, Polling, VoteTally},
};
use perspective_primitives::{ReputationProvider, ReputationScore};
use sp_runtime::{BuildStorage, DispatchError, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Voting = pallet_hybrid_voting;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<2>;
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TestPollState {
	Ongoing(TallyOf<Test>, u8),
	Completed(u64, bool),
}
use TestPollState::*;

parameter_types! {
	pub static Polls: BTreeMap<u8, TestPollState> = BTreeMap::new();
	pub static ReputationTable: BTreeMap<u64, ReputationScore> = BTreeMap::new();
	/// Reputation-house thresholds of class 0; class 1 has none.
	pub static Class0Thresholds: HouseThresholds = HouseThresholds {
		min_approval: Perbill::from_percent(50),
		min_support: Perbill::from_percent(10),
	};
}

pub struct TestPolls;
impl Polling<TallyOf<Test>> for TestPolls {
	type Index = u8;
	type Votes = u64;
	type Moment = u64;
	type Class = u8;
	fn classes() -> Vec<u8> {
		vec![0, 1]
	}
	fn as_ongoing(index: u8) -> Option<(TallyOf<Test>, Self::Class)> {
		Polls::get().remove(&index).and_then(|x| {
			if let Ongoing(t, c) = x {
				Some((t, c))
			} else {
				None
			}
		})
	}
	fn access_poll<R>(
		index: Self::Index,
		f: impl FnOnce(PollStatus<&mut TallyOf<Test>, u64, u8>) -> R,
	) -> R {
		let mut polls = Polls::get();
		let entry = polls.get_mut(&index);
		let r = match entry {
			Some(Ongoing(ref mut tally_mut_ref, class)) =>
				f(PollStatus::Ongoing(tally_mut_ref, *class)),
			Some(Completed(when, succeeded)) => f(PollStatus::Completed(*when, *succeeded)),
			None => f(PollStatus::None),
		};
		Polls::set(polls);
		r
	}
	fn try_access_poll<R>(
		index: Self::Index,
		f: impl FnOnce(PollStatus<&mut TallyOf<Test>, u64, u8>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		let mut polls = Polls::get();
		let entry = polls.get_mut(&index);
		let r = match entry {
			Some(Ongoing(ref mut tally_mut_ref, class)) =>
				f(PollStatus::Ongoing(tally_mut_ref, *class)),
			Some(Completed(when, succeeded)) => f(PollStatus::Completed(*when, *succeeded)),
			None => f(PollStatus::None),
		}?;
		Polls::set(polls);
		Ok(r)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_ongoing(class: Self::Class) -> Result<Self::Index, ()> {
		let mut polls = Polls::get();
		let i = polls.keys().rev().next().map_or(0, |x| x + 1);
		polls.insert(i, Ongoing(<TallyOf<Test> as VoteTally<u64, u8>>::new(class), class));
		Polls::set(polls);
		Ok(i)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn end_ongoing(index: Self::Index, approved: bool) -> Result<(), ()> {
		let mut polls = Polls::get();
		match polls.get(&index) {
			Some(Ongoing(..)) => {},
			_ => return Err(()),
		}
		let now = frame_system::Pallet::<Test>::block_number();
		polls.insert(index, Completed(now, approved));
		Polls::set(polls);
		Ok(())
	}
}

pub struct TestReputation;
impl ReputationProvider<u64> for TestReputation {
	fn reputation_of(who: &u64) -> ReputationScore {
		ReputationTable::get().get(who).copied().unwrap_or(0)
	}
	fn total_reputation() -> ReputationScore {
		ReputationTable::get().values().sum()
	}
}

pub struct TestHouses;
impl ReputationHouse<u8> for TestHouses {
	fn thresholds(class: &u8) -> HouseThresholds {
		if *class == 0 {
			Class0Thresholds::get()
		} else {
			HouseThresholds::default()
		}
	}
}

parameter_types! {
	pub static Turnout: u64 = 1_000;
}

impl pallet_hybrid_voting::Config for Test {
	type Currency = Balances;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Polls = TestPolls;
	type Reputation = TestReputation;
	type Houses = TestHouses;
	type ReputationWeighting = crate::tally::LinearReputation;
	type MaxTurnout = Turnout;
	type MaxVotes = ConstU32<3>;
	type VoteLockingPeriod = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestReputation;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for TestReputation {
	fn set_reputation(who: &u64, score: ReputationScore) {
		ReputationTable::mutate(|t| t.insert(*who, score));
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100), (2, 200), (3, 300), (4, 400), (5, 500), (6, 600)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		Polls::set(BTreeMap::new());
		// Reputation: 1 → 100, 2 → 400, 3 → 900; 4..6 → none.
		ReputationTable::set([(1, 100), (2, 400), (3, 900)].into_iter().collect());
	});
	ext
}

/// Runs `test` and checks the pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Voting::do_try_state().expect("invariants hold");
	});
}

/// Opens poll `index` of `class` with the reputation total as of now.
pub fn open_poll(index: u8, class: u8) {
	Polls::mutate(|p| {
		p.insert(index, Ongoing(<TallyOf<Test> as VoteTally<u64, u8>>::new(class), class));
	});
}

pub fn end_poll(index: u8, approved: bool) {
	let now = System::block_number();
	Polls::mutate(|p| {
		p.insert(index, Completed(now, approved));
	});
}

pub fn tally(index: u8) -> TallyOf<Test> {
	TestPolls::as_ongoing(index).expect("ongoing").0
}

extern crate alloc;
