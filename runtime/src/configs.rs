//! `Config` implementations of every pallet in the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU128, ConstU32, ConstU64, ConstU8,
		EqualPrivilegeOnly, LinearStoragePrice, VariantCountOf,
	},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use crate::weights::{block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight};

use super::{
	currency::{deposit, EXISTENTIAL_DEPOSIT, MICRO_UNIT},
	time::SLOT_DURATION,
	token, AccountId, Babe, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller,
	PalletInfo, Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, VERSION,
};

/// Share of the block (weight and length) available to normal transactions; the rest is kept
/// for operational ones (e.g. governance emergencies) and mandatory inherents.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Share of the block's weight that `on_initialize` hooks are expected to take on average (kept
/// out of the largest single extrinsic).
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);
/// 2 seconds of compute per block; proof size unbounded (a solochain has no PoV limit).
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
/// Maximum encoded block size in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// 2 seconds of compute per 6-second block, 75% of it for normal transactions. The cost of an
	/// empty block and the base cost of every extrinsic were measured on the project's machine
	/// (`benchmark overhead`), not FRAME's reference defaults (5 ms and 108 µs).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u16 = token::SS58_PREFIX;
}

/// The calls signed and governance origins may dispatch: everything except
/// - a proposal the council vetoed, while it cools off ([`crate::governance::NotVetoed`]);
/// - `session.purgeKeys`: an authority could drop out of the set without leaving it (and below
///   `min_validators`); keys are purged through `validatorSet.purgeKeys`, which refuses while
///   the account applied, validates or is still in the session set;
/// - the *signed* `babe.reportEquivocation` and `grandpa.reportEquivocation`: valid reports pay
///   no fee, so a validator could fill blocks and pallet-offences' never-pruned report index
///   with reports of its own made-up equivocations for free. The nodes report through the
///   unsigned calls, which only the local node or a block may carry;
/// - `referenda.refundDecisionDeposit` of a referendum that timed out with both deposits, until
///   `referendaAdmin.settleSubmissionDeposit` has refunded its submission deposit: run first, it
///   would make that deposit slashable (anyone could do it to any proposer).
pub struct BaseCallFilter;
impl frame_support::traits::Contains<RuntimeCall> for BaseCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Session(pallet_session::Call::purge_keys {}) |
			RuntimeCall::Babe(pallet_babe::Call::report_equivocation { .. }) |
			RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation { .. }) => false,
			RuntimeCall::Referenda(pallet_referenda::Call::refund_decision_deposit { index }) =>
				crate::ReferendaAdmin::decision_refund_allowed(*index),
			call => crate::governance::NotVetoed::contains(call),
		}
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB, so weigh storage access with ParityDB's costs.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// Measured on the project's machine (`scripts/benchmark.sh frame_system ...`).
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	/// The `frame_system` transaction extensions (nonce, weight, era, ...), measured likewise.
	type ExtensionsWeightInfo = crate::weights::SystemExtensionsWeight<Runtime>;
	/// Everything, except resubmitting a proposal the council vetoed while it cools off, and
	/// `session.purgeKeys` (see [`BaseCallFilter`]).
	type BaseCallFilter = BaseCallFilter;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	/// BABE checks that the timestamp matches the block's slot.
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are burned (no treasury yet): the `()` handler drops the imbalance.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// 1 planck per unit of ref-time weight.
	type WeightToFee = IdentityFee<Balance>;
	/// 1 micro-token per byte of the encoded transaction.
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<MICRO_UNIT>>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	/// `ChargeTransactionPayment`, measured on the project's machine.
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Scheduled calls may use at most 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	/// Noting a preimage holds `base + bytes * byte_deposit` from the noter until it is cleared.
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}
