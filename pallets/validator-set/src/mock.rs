//! Test runtime: this pallet as pallet-session's `SessionManager`, with real balances and
//! sessions of `SESSION_LENGTH` blocks (the consensus engine's epochs).

use crate::{self as pallet_validator_set, ValidatorSetParams};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use sp_runtime::{
	impl_opaque_keys,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	RuntimeAppPublic,
	BuildStorage, KeyTypeId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

pub const SESSION_LENGTH: u64 = 5;
pub const MIN_BOND: Balance = 1_000;
pub const ENDOWMENT: Balance = 100_000;
/// Genesis validators.
pub const GENESIS: [AccountId; 4] = [1, 2, 3, 4];
/// An operator with session keys and funds, not yet a validator.
pub const NEWCOMER: AccountId = 5;
/// Funded, but no session keys.
pub const KEYLESS: AccountId = 6;
/// Session keys, but almost no funds.
pub const POOR: AccountId = 7;

/// Parameter bounds. Genesis unbonds for 5 blocks: the shortest allowed.
pub const MAX_MIN_BOND: Balance = 50_000;
pub const MIN_UNBONDING_PERIOD: u64 = 5;
pub const MAX_UNBONDING_PERIOD: u64 = 500;

/// The consensus engine's epochs: one every `SESSION_LENGTH` blocks (BABE in the runtime).
pub type Epochs = pallet_session::PeriodicSessions<ConstU64<SESSION_LENGTH>, ConstU64<0>>;

parameter_types! {
	pub const MaxSlash: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(50);
}

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ValidatorSet: pallet_validator_set,
		Session: pallet_session,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type Balance = Balance;
	type ExistentialDeposit = ConstU64<10>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

pub fn keys_of(who: AccountId) -> MockSessionKeys {
	MockSessionKeys { dummy: UintAuthorityId(who) }
}

/// `session.setKeys` for `who`, with the ownership proof its node would produce.
pub fn set_session_keys(who: AccountId) -> sp_runtime::DispatchResult {
	use codec::Encode;
	let mut keys = keys_of(who);
	let proof = keys.create_ownership_proof(&who.encode()).expect("test keys sign").encode();
	Session::set_keys(RuntimeOrigin::signed(who), keys, proof)
}

parameter_types! {
	/// The authority set pallet-session last handed to the consensus engines.
	pub static ActiveAuthorities: Vec<AccountId> = vec![];
}

/// Records what Aura/GRANDPA would be told.
pub struct RecordingSessionHandler;
impl pallet_session::SessionHandler<AccountId> for RecordingSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[UintAuthorityId::ID];
	fn on_genesis_session<K: OpaqueKeys>(validators: &[(AccountId, K)]) {
		ActiveAuthorities::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_new_session<K: OpaqueKeys>(
		_changed: bool,
		validators: &[(AccountId, K)],
		_queued: &[(AccountId, K)],
	) {
		ActiveAuthorities::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_disabled(_validator_index: u32) {}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_validator_set::RotatedByValidatorSet;
	type NextSessionRotation = Epochs;
	type SessionManager = ValidatorSet;
	type SessionHandler = RecordingSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<0>;
}

impl pallet_validator_set::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type KeysRegistry = Session;
	type Sessions = pallet_validator_set::SessionPallet<Test, Epochs>;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<6>;
	type MaxApplicants = ConstU32<3>;
	type MaxMinBond = ConstU64<MAX_MIN_BOND>;
	type MaxSessionBlocks = ConstU64<SESSION_LENGTH>;
	type MinUnbondingPeriod = ConstU64<MIN_UNBONDING_PERIOD>;
	type MaxUnbondingPeriod = ConstU64<MAX_UNBONDING_PERIOD>;
	type MaxSlash = MaxSlash;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		// Session keys need a live account (a consumer reference).
		use frame_support::traits::fungible::Mutate;
		if Balances::free_balance(who) == 0 {
			let _ = Balances::mint_into(who, 100);
		}
		frame_support::assert_ok!(set_session_keys(*who));
	}
}

pub fn params() -> ValidatorSetParams<Balance, u64> {
	ValidatorSetParams {
		min_bond: MIN_BOND,
		min_validators: 4,
		unbonding_period: MIN_UNBONDING_PERIOD,
		offence_slash: sp_runtime::Perbill::from_percent(10),
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(1, ENDOWMENT),
			(2, ENDOWMENT),
			(3, ENDOWMENT),
			(4, ENDOWMENT),
			(NEWCOMER, ENDOWMENT),
			(KEYLESS, ENDOWMENT),
			(POOR, 500),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> { params: params(), validators: GENESIS.to_vec() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: GENESIS.iter().map(|&who| (who, who, keys_of(who))).collect(),
		non_authority_keys: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for who in [NEWCOMER, POOR] {
			set_session_keys(who).expect("keys with a valid proof");
		}
	});
	ext
}

/// Runs a test and then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("invariants hold after the test");
	});
}

/// Runs the hooks of block `n` in the runtime's order.
pub fn run_block(n: u64) {
	System::set_block_number(n);
	ValidatorSet::on_initialize(n);
	Session::on_initialize(n);
}

/// Reports an offence by `who` in `session`, as pallet-offences would.
pub fn report_offence(who: AccountId, session: u32) -> frame_support::weights::Weight {
	use sp_staking::offence::{OffenceDetails, OnOffenceHandler};
	<ValidatorSet as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
		&[OffenceDetails { offender: (who, ()), reporters: vec![] }],
		&[sp_runtime::Perbill::from_percent(100)],
		session,
	)
}

/// Advances block by block (this pallet's hook rotates sessions) until session `index`.
pub fn run_to_session(index: u32) {
	while pallet_session::CurrentIndex::<Test>::get() < index {
		run_block(System::block_number() + 1);
	}
}

pub fn held_bond(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::ValidatorBond.into(), &who)
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}
