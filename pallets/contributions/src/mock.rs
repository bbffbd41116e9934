//! Test runtime: System + Balances + the real Evaluation pallet (panels drawn by lot from
//! deterministic test randomness) + Contributions, with a reputation table that records every
//! change.

use crate::{self as pallet_contributions, ContributionParams, PerPool};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
	weights::Weight,
	PalletId,
};
use pallet_evaluation::EvaluationParams;
use perspective_primitives::{
	evaluation::{Score, TaskId},
};
use sp_arithmetic::Perbill;
use sp_runtime::BuildStorage;

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
	pub type Evaluation = pallet_evaluation;
	#[runtime::pallet_index(3)]
	pub type Contributions = pallet_contributions;
}

parameter_types! {
	pub MockBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::simple_max(Weight::from_parts(4_000_000_000_000, u64::MAX));
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type BlockWeights = MockBlockWeights;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
}

pub use perspective_test_utils::{RandomSeed, ReputationLog, TestRandomness, TestReputation};

/// Gives evaluators reputation in the evaluation pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct EvaluationBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_evaluation::BenchmarkHelper<u64> for EvaluationBenchmarkHelper {
	fn set_reputation(who: &u64, score: perspective_primitives::ReputationScore) {
		perspective_test_utils::ReputationTable::mutate(|t| t.insert(*who, score));
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for TestReputation {
	fn prepare_evaluation() -> u64 {
		pallet_evaluation::Params::<Test>::put(evaluation_params());
		FEE
	}
}

impl pallet_evaluation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = TestReputation;
	type OnSettled = Contributions;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type Randomness = TestRandomness<Test>;
	type MaxCriteria = ConstU32<4>;
	type MaxCriterionNameLen = ConstU32<16>;
	type MaxUriLen = ConstU32<64>;
	type MaxPanelSize = ConstU32<MAX_PANEL_SIZE>;
	type MaxEvaluators = ConstU32<64>;
	type MaxTasksPerBlock = ConstU32<8>;
	type MaxSettlementsPerBlock = ConstU32<8>;
	type TaskRetention = ConstU64<TASK_RETENTION>;
	type MaxMinBond = ConstU64<1_000>;
	type MaxMinReward = ConstU64<1_000>;
	type MinWindow = ConstU64<2>;
	type MaxWindow = ConstU64<100>;
	type MaxUnbondingDelay = ConstU64<100>;
	type MaxReputationReward = ConstU128<1_000>;
	type MaxReputationPenalty = ConstU128<1_000>;
	type DisputeOrigin = frame_system::EnsureRoot<u64>;
	type MaxAppealRounds = ConstU32<2>;
	type MaxAppealBackers = ConstU32<4>;
	type MaxGovernancePeriod = ConstU64<100>;
	type MaxAppealBondBase = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = EvaluationBenchmarkHelper;
}

parameter_types! {
	pub const ContributionsPalletId: PalletId = PalletId(*b"prsp/ctb");
	pub ScoringCriteria: Vec<Vec<u8>> = vec![b"quality".to_vec(), b"usefulness".to_vec()];
}

impl pallet_contributions::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Evaluation = Evaluation;
	type Reputation = TestReputation;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type PalletId = ContributionsPalletId;
	type ScoringCriteria = ScoringCriteria;
	type MaxUriLen = ConstU32<64>;
	type MaxMetadataLen = ConstU32<64>;
	type MaxParents = ConstU32<3>;
	type MaxRoyaltyDepth = ConstU32<2>;
	type MaxParticipants = ConstU32<MAX_PANEL_SIZE>;
	type RegistrationCommitDeposit = ConstU64<COMMIT_DEPOSIT>;
	type MaxCommitmentAge = ConstU64<MAX_COMMITMENT_AGE>;
	type MaxEpochEmission = ConstU64<MAX_EPOCH_EMISSION>;
	type MinEpochLength = ConstU64<MIN_EPOCH_LENGTH>;
	type MaxEpochLength = ConstU64<MAX_EPOCH_LENGTH>;
	type MaxDeposit = ConstU64<MAX_DEPOSIT>;
	type MaxEvaluationFee = ConstU64<MAX_EVALUATION_FEE>;
	type MinEvaluationFee = ConstU64<MIN_EVALUATION_FEE>;
	type MaxReputationReward = ConstU128<MAX_REPUTATION_REWARD>;
	type MaxReputationPenalty = ConstU128<MAX_REPUTATION_PENALTY>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestReputation;
}

/// Evaluators.
pub const EVALUATORS: [u64; 3] = [1, 2, 3];
/// Contributors.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CHARLIE: u64 = 12;
pub const BALANCE: u64 = 100_000;
pub const EPOCH: u64 = 100;
pub const EMISSION: u64 = 100_000;
pub const FEE: u64 = 60;
pub const DEPOSIT_BASE: u64 = 100;
/// Held for each registration commitment until it is used or cancelled.
pub const COMMIT_DEPOSIT: u64 = 10;
/// A registration commitment is usable for this many blocks after the one it was made in.
pub const MAX_COMMITMENT_AGE: u64 = 10;
/// The evaluation pallet's `MaxPanelSize` (and so this pallet's `MaxParticipants`).
pub const MAX_PANEL_SIZE: u32 = 5;
/// Finished evaluation tasks are pruned this many blocks after they fell due.
pub const TASK_RETENTION: u64 = 50;
/// Seats per panel, and the seats whose reveals a task needs.
pub const PANEL_SIZE: u32 = 3;
pub const QUORUM: u32 = 2;
/// The evaluation pallet's minimum bond.
pub const MIN_BOND: u64 = 100;
/// The salt of every registration commitment in the tests (unless a test says otherwise).
pub const SALT: [u8; 32] = [42u8; 32];

/// Parameter bounds. The scale test and the benchmarks mint 1,000,000,000 per epoch: the cap.
pub const MAX_EPOCH_EMISSION: u64 = 1_000_000_000;
pub const MIN_EPOCH_LENGTH: u64 = 10;
pub const MAX_EPOCH_LENGTH: u64 = 1_000;
pub const MAX_DEPOSIT: u64 = 10_000;
pub const MAX_EVALUATION_FEE: u64 = 1_000;
pub const MIN_EVALUATION_FEE: u64 = 50;
pub const MAX_REPUTATION_REWARD: u128 = 1_000;
pub const MAX_REPUTATION_PENALTY: u128 = 1_000;

pub fn evaluation_params() -> EvaluationParams<u64, u64> {
	EvaluationParams {
		min_bond: MIN_BOND,
		unbonding_delay: 10,
		min_reward: 50,
		min_period: 2,
		max_period: 20,
		default_period: 5,
		panel_size: PANEL_SIZE,
		quorum: QUORUM,
		tolerance: 10,
		no_show_slash: Perbill::from_percent(10),
		outlier_slash: Perbill::from_percent(5),
		no_show_penalty: 50,
		outlier_penalty: 20,
		accuracy_reward: 10,
		appeal_period: 0,
		appeal_bond_base: 100,
		max_appeal_rounds: 2,
		governance_period: 10,
	}
}

pub fn params() -> ContributionParams<u64, u64> {
	ContributionParams {
		epoch_length: EPOCH,
		epoch_emission: EMISSION,
		pool_weights: PerPool { dataset: 30, model: 30, code: 10, documentation: 5, other: 5, participation: 20 },
		royalty: Perbill::from_percent(10),
		royalty_depth: 2,
		acceptance_threshold: 60,
		deposit_base: DEPOSIT_BASE,
		deposit_per_byte: 1,
		evaluation_fee: FEE,
		rejection_slash: Perbill::from_percent(50),
		acceptance_reputation: 1_000,
		rejection_penalty: 500,
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: EVALUATORS.into_iter().chain([4, ALICE, BOB, CHARLIE]).map(|who| (who, BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_evaluation::GenesisConfig::<Test> { params: Some(evaluation_params()) }
		.assimilate_storage(&mut t)
		.unwrap();
	pallet_contributions::GenesisConfig::<Test> { params: Some(params()) }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		RandomSeed::set(0);
		TestReputation::reset(EVALUATORS.into_iter().map(|who| (who, 100)));
		for who in EVALUATORS {
			Evaluation::register(RuntimeOrigin::signed(who), 1_000).unwrap();
		}
	});
	ext
}

pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Contributions::do_try_state().expect("invariants hold");
	});
}

/// Runs the hooks of every block up to `n`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Evaluation::on_initialize(next);
		Contributions::on_initialize(next);
	}
}

/// `task`'s panel: each drawn member with its seats (empty until drawn). Drawing happens in
/// the hook of the block after the task was opened.
pub fn panel_of(task: TaskId) -> Vec<(u64, u32)> {
	pallet_evaluation::Panels::<Test>::get(task).map(|p| p.into_inner()).unwrap_or_default()
}

/// Advances block by block (at most `DRAW_DELAY`) until `task`'s panel is drawn; returns it.
pub fn draw_panel(task: TaskId) -> Vec<(u64, u32)> {
	for _ in 0..pallet_evaluation::DRAW_DELAY {
		if pallet_evaluation::Panels::<Test>::get(task).is_some() {
			break;
		}
		run_to(System::block_number() + 1);
	}
	panel_of(task)
}

/// The salt of every evaluation commitment in the tests.
pub const EVAL_SALT: [u8; 32] = [7u8; 32];

/// Every panel member of `task` for which `scores_for` gives scores commits them (the panel is
/// drawn first if need be). Returns the panel.
pub fn commit_panel(task: TaskId, scores_for: &impl Fn(u64) -> Option<Vec<Score>>) -> Vec<(u64, u32)> {
	let panel = draw_panel(task);
	for (who, _) in &panel {
		if let Some(scores) = scores_for(*who) {
			let commitment = pallet_evaluation::commitment_of(task, who, &scores, &EVAL_SALT);
			Evaluation::commit(RuntimeOrigin::signed(*who), task, commitment).unwrap();
		}
	}
	panel
}

/// Moves to `task`'s reveal window and reveals what `commit_panel` committed.
pub fn reveal_panel(task: TaskId, panel: &[(u64, u32)], scores_for: &impl Fn(u64) -> Option<Vec<Score>>) {
	let record = pallet_evaluation::Tasks::<Test>::get(task).unwrap();
	run_to(record.commit_end);
	for (who, _) in panel {
		if let Some(scores) = scores_for(*who) {
			Evaluation::reveal(RuntimeOrigin::signed(*who), task, scores, EVAL_SALT).unwrap();
		}
	}
}

/// Runs to the block `task` falls due in: the hook settles it there.
pub fn run_to_due(task: TaskId) {
	let record = pallet_evaluation::Tasks::<Test>::get(task).unwrap();
	run_to(record.reveal_end);
}

/// Panel members for which `scores_for` gives scores commit and reveal them on `task`; the
/// others miss it. Runs until the task settles (at the end of its reveal window). Returns the
/// panel.
pub fn evaluate_some(task: TaskId, scores_for: impl Fn(u64) -> Option<Vec<Score>>) -> Vec<(u64, u32)> {
	let panel = commit_panel(task, &scores_for);
	reveal_panel(task, &panel, &scores_for);
	run_to_due(task);
	panel
}

/// Every member of `task`'s drawn panel commits then reveals `scores_for(member)`; the task
/// settles at the end of its reveal window (commit then reveal window, `default_period` blocks
/// each for a task opened by this pallet). Returns the panel: (member, seats).
pub fn evaluate_with_panel(task: TaskId, scores_for: impl Fn(u64) -> Vec<Score>) -> Vec<(u64, u32)> {
	evaluate_some(task, |who| Some(scores_for(who)))
}

/// The whole panel gives `score` on both criteria.
pub fn score_all(task: TaskId, score: Score) -> Vec<(u64, u32)> {
	evaluate_with_panel(task, |_| vec![score, score])
}

pub fn events() -> Vec<pallet_contributions::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Contributions(e) => Some(e),
			_ => None,
		})
		.collect()
}

extern crate alloc;
