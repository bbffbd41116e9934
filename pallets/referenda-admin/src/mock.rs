//! Test runtime: System, Balances, Preimage, Scheduler, Referenda (with a plain aye/nay test
//! tally), ReferendaAdmin and `test_batch`, a wrapper pallet standing in for `pallet-utility`.

use crate::{self as pallet_referenda_admin, HouseThresholds, TrackRecordOf};
use crate::{CallWrappers, UnwrapCalls, Wrapped};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU32, ConstU64, EqualPrivilegeOnly, OriginTrait, VoteTally},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pallet_referenda::{Curve, Track, TrackInfo};
use scale_info::TypeInfo;
use sp_runtime::{str_array as s, traits::BlakeTwo256, BuildStorage, Perbill};
use std::borrow::Cow;

type Block = frame_system::mocking::MockBlock<Test>;

/// A test-only wrapper pallet: `batch(calls)` stands for `utility.batch` and `call_hash(hash)`
/// for `whitelist.dispatchWhitelistedCall` (a call named by its preimage hash). The tests only
/// submit and veto proposals made of them: the calls do nothing.
#[frame_support::pallet(dev_mode)]
pub mod test_batch {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		type RuntimeCall: Parameter;
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		#[pallet::call_index(0)]
		#[pallet::weight(Weight::zero())]
		pub fn batch(origin: OriginFor<T>, calls: Vec<<T as Config>::RuntimeCall>) -> DispatchResult {
			ensure_root(origin)?;
			let _ = calls;
			Ok(())
		}

		#[pallet::call_index(1)]
		#[pallet::weight(Weight::zero())]
		pub fn call_hash(origin: OriginFor<T>, hash: T::Hash) -> DispatchResult {
			ensure_root(origin)?;
			let _ = hash;
			Ok(())
		}
	}
}

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
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(3)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(4)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(5)]
	pub type ReferendaAdmin = pallet_referenda_admin;
	#[runtime::pallet_index(6)]
	pub type TestBatch = test_batch;
}

impl test_batch::Config for Test {
	type RuntimeCall = RuntimeCall;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

impl pallet_preimage::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<u64>;
	type Consideration = ();
}

parameter_types! {
	pub MaxWeight: Weight = Weight::from_parts(2_000_000_000_000, u64::MAX);
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaxWeight;
	type ScheduleOrigin = EnsureRoot<u64>;
	type MaxScheduledPerBlock = ConstU32<100>;
	type WeightInfo = ();
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// A plain aye/nay tally: approval = ayes / (ayes + nays), support = ayes / 100.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct TestTally {
	pub ayes: u64,
	pub nays: u64,
}
impl<Class> VoteTally<u64, Class> for TestTally {
	fn new(_: Class) -> Self {
		Self { ayes: 0, nays: 0 }
	}
	fn ayes(&self, _: Class) -> u64 {
		self.ayes
	}
	fn support(&self, _: Class) -> Perbill {
		Perbill::from_percent(self.ayes.min(100) as u32)
	}
	fn approval(&self, _: Class) -> Perbill {
		if self.ayes + self.nays > 0 {
			Perbill::from_rational(self.ayes, self.ayes + self.nays)
		} else {
			Perbill::zero()
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn unanimity(_: Class) -> Self {
		Self { ayes: 100, nays: 0 }
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn rejection(_: Class) -> Self {
		Self { ayes: 0, nays: 100 }
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn from_requirements(support: Perbill, approval: Perbill, _: Class) -> Self {
		let ayes = support.mul_ceil(100u64);
		let nays = ((ayes as u64) * 1_000_000_000u64 / approval.deconstruct() as u64) - ayes;
		Self { ayes, nays }
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn setup(_: Class, _: Perbill) {}
}

/// Track 0 ("root") for Root, track 1 ("signed") for signed origins.
pub fn default_tracks() -> Vec<TrackRecordOf<Test>> {
	let track = |id: u16, name: &str, max_deciding: u32| TrackRecordOf::<Test> {
		track: Track {
			id,
			info: TrackInfo {
				name: s(name),
				max_deciding,
				decision_deposit: 10,
				prepare_period: 4,
				decision_period: 4,
				confirm_period: 2,
				min_enactment_period: 4,
				min_approval: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(50),
					ceil: Perbill::from_percent(100),
				},
				min_support: Curve::LinearDecreasing {
					length: Perbill::from_percent(100),
					floor: Perbill::from_percent(0),
					ceil: Perbill::from_percent(50),
				},
			},
		},
		reputation: HouseThresholds {
			min_approval: Perbill::from_percent(50),
			min_support: Perbill::from_percent(id as u32 * 10),
		},
	};
	vec![track(0, "root", 1), track(1, "signed", 2)]
}

parameter_types! {
	/// In storage, so a test can set more tracks than `MaxTracks` (`set_track`'s `InvalidTrack`).
	pub storage DefaultTracks: Vec<TrackRecordOf<Test>> = default_tracks();
}

pub struct TestTracksInfo;
impl pallet_referenda::TracksInfo<u64, u64> for TestTracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;
	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, u64, u64>>> {
		ReferendaAdmin::track_records().into_iter().map(|r| Cow::Owned(r.track))
	}
	fn track_for(origin: &Self::RuntimeOrigin) -> Result<u16, ()> {
		match frame_system::RawOrigin::try_from(origin.clone()) {
			Ok(frame_system::RawOrigin::Root) => Ok(0),
			Ok(frame_system::RawOrigin::Signed(_)) => Ok(1),
			_ => Err(()),
		}
	}
}

ord_parameter_types! {
	pub const Council: u64 = 100;
}

impl pallet_referenda::Config for Test {
	type WeightInfo = ();
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = frame_system::EnsureSigned<u64>;
	type CancelOrigin = EnsureSignedBy<Council, u64>;
	type KillOrigin = EnsureRoot<u64>;
	type Slash = ();
	type Votes = u64;
	type Tally = TestTally;
	type SubmissionDeposit = ConstU64<2>;
	type MaxQueued = ConstU32<3>;
	type UndecidingTimeout = ConstU64<20>;
	type AlarmInterval = ConstU64<1>;
	type Tracks = TestTracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The mock's wrappers: `test_batch.batch`, `test_batch.call_hash`, `scheduler.schedule` and
/// `referenda.submit`.
pub struct MockWrappers;
impl CallWrappers<RuntimeCall, BlakeTwo256> for MockWrappers {
	fn wrapped(call: &RuntimeCall) -> Wrapped<'_, RuntimeCall, BlakeTwo256> {
		match call {
			RuntimeCall::TestBatch(test_batch::Call::batch { calls }) =>
				Wrapped::Calls(calls.iter().collect()),
			RuntimeCall::TestBatch(test_batch::Call::call_hash { hash }) =>
				Wrapped::Preimage { hash: *hash, len: None },
			RuntimeCall::Scheduler(pallet_scheduler::Call::schedule { call, .. }) =>
				Wrapped::Calls(vec![&**call]),
			RuntimeCall::Referenda(pallet_referenda::Call::submit { proposal, .. }) =>
				Wrapped::Bounded(proposal),
			_ => Wrapped::Leaf,
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
		RuntimeCall::TestBatch(test_batch::Call::batch { calls })
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn leaf(index: u32, len: u32) -> RuntimeCall {
		let mut remark = index.to_le_bytes().to_vec();
		remark.resize((len as usize).max(4), 0);
		RuntimeCall::System(frame_system::Call::remark { remark })
	}
}

/// Wrappers nest at most 2 deep; at most 8 calls and 512 preimage bytes are inspected.
pub const MAX_DEPTH: u32 = 2;
pub const MAX_CALLS: u32 = 8;
pub const MAX_BYTES: u32 = 512;
/// A veto bars at most 3 leaf calls besides the proposal.
pub const MAX_LEAVES: u32 = 3;

pub type MockProposalCalls = UnwrapCalls<
	RuntimeCall,
	BlakeTwo256,
	Preimage,
	MockWrappers,
	ConstU32<MAX_DEPTH>,
	ConstU32<MAX_CALLS>,
	ConstU32<MAX_BYTES>,
>;

impl pallet_referenda_admin::Config for Test {
	type DefaultTracks = DefaultTracks;
	type MaxTracks = ConstU32<4>;
	type TrackOrigin = EnsureRoot<u64>;
	type VetoOrigin = EnsureSignedBy<Council, u64>;
	type VetoCoolOff = ConstU64<50>;
	type ProposalCalls = MockProposalCalls;
	type MaxLeafCalls = ConstU32<MAX_LEAVES>;
	type MaxDeciding = ConstU32<8>;
	type MinDecisionDeposit = ConstU64<1>;
	type MaxDecisionDeposit = ConstU64<1_000>;
	type MaxPeriod = ConstU64<100>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100), (2, 100), (3, 100), (100, 100)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_referenda_admin::GenesisConfig::<Test> {
		timings: vec![(
			1,
			crate::TrackTimings {
				prepare_period: 2,
				decision_period: 6,
				confirm_period: 2,
				min_enactment_period: 2,
			},
		)],
		reputation: vec![],
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ReferendaAdmin::do_try_state().expect("admin invariants hold");
	});
}

pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}
