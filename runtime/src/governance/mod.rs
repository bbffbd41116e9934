//! Governance: reputation, hybrid (token + reputation) referenda, the council and its
//! elections, and the origins they dispatch from.
//!
//! Who can do what:
//! - a **referendum on the root track** dispatches as `Root` (e.g. `system.setCode` upgrades the
//!   runtime; `referendaAdmin.setTrack` changes the tracks);
//! - a **referendum on the general-admin track** or a **council motion (≥ 1/2)** changes
//!   Perspective's parameters (reputation half-life and grants, election parameters);
//! - a **council motion (≥ 1/2)** whitelists a call for the fast track, or vetoes a referendum
//!   (cancel + refund + cool-off); **≥ 2/3** kills one (deposits slashed);
//! - `sudo` exists for development and local chains only.

pub mod origins;
#[cfg(test)]
mod tests;
pub mod tracks;
pub mod veto;
#[cfg(test)]
mod veto_tests;

use crate::{
	currency::UNIT,
	time::DAYS,
	AccountId, Balance, Balances, BlockNumber, Preimage, Reputation, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, Scheduler,
	System,
};
use frame_support::{
	parameter_types,
	traits::{fungible, ConstU32, Contains, EitherOf, Get},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

/// The general council's collective instance.
pub type CouncilCollective = pallet_collective::Instance1;

/// At least half of the council agreed in a motion.
pub type CouncilHalf = EnsureCouncilProportion<1, 2>;
/// At least two thirds of the council agreed in a motion.
pub type CouncilTwoThirds = EnsureCouncilProportion<2, 3>;

/// A council motion approved by at least `N/D` of a council of at least `min_members` (an
/// election parameter) members. Like `pallet_collective::EnsureProportionAtLeast`, plus the size
/// floor: a council that somehow shrank (e.g. root's `council.setMembers`) cannot rubber-stamp
/// with one member's vote (`Members(1, 1)` passes every plain proportion).
pub struct EnsureCouncilProportion<const N: u32, const D: u32>;
impl<const N: u32, const D: u32> frame_support::traits::EnsureOrigin<RuntimeOrigin>
	for EnsureCouncilProportion<N, D>
{
	type Success = ();
	fn try_origin(o: RuntimeOrigin) -> Result<Self::Success, RuntimeOrigin> {
		use frame_support::traits::OriginTrait;
		let (ayes, members) = match o.caller() {
			crate::OriginCaller::Council(pallet_collective::RawOrigin::Members(n, m)) => (*n, *m),
			_ => return Err(o),
		};
		let min_members = crate::CouncilElections::params().min_members;
		if members >= min_members && (ayes as u64) * (D as u64) >= (N as u64) * (members as u64) {
			Ok(())
		} else {
			Err(o)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		let all = CouncilMaxMembers::get();
		Ok(pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(all, all).into())
	}
}

/// Root, a general-admin referendum, or a council majority: may change Perspective's parameters.
pub type ParameterOrigin =
	EitherOf<EitherOf<EnsureRoot<AccountId>, origins::GeneralAdmin>, CouncilHalf>;

/// The balance that could vote: active issuance.
pub struct ActiveIssuance;
impl Get<Balance> for ActiveIssuance {
	fn get() -> Balance {
		<Balances as fungible::Inspect<AccountId>>::active_issuance()
	}
}

impl origins::Config for Runtime {}

// --- Reputation ---

parameter_types! {
	/// Governance cannot make reputation decay faster than one half-life per day.
	pub const MinHalfLife: BlockNumber = DAYS;
	/// Governance grants at most 100,000 reputation per 30 days, in one motion or many: about 3%
	/// of the development genesis total (3.51M), one council candidacy's worth
	/// (`min_candidate_reputation`). A captured council cannot mint itself the reputation house.
	pub const MaxReputationGrant: u128 = 100_000;
	pub const ReputationGrantPeriod: BlockNumber = 30 * DAYS;
}

impl pallet_reputation::Config for Runtime {
	type GovernanceOrigin = ParameterOrigin;
	/// Penalties lower the reputation counted in the account's ongoing referendum votes.
	type OnReduced = crate::HybridVoting;
	type MinHalfLife = MinHalfLife;
	type MaxGrant = MaxReputationGrant;
	type GrantPeriod = ReputationGrantPeriod;
	type WeightInfo = pallet_reputation::weights::SubstrateWeight<Runtime>;
}

// --- Referenda with hybrid voting ---

parameter_types! {
	pub const SubmissionDeposit: Balance = 10 * UNIT;
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
	/// A vote's conviction lock period (× 1, 2, 4, ... 32 by conviction).
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
	/// Vetoed proposals cannot be resubmitted for this long.
	pub const VetoCoolOff: BlockNumber = 28 * DAYS;
}

impl pallet_referenda::Config for Runtime {
	type WeightInfo = ReferendaWeights;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	/// Any signed account may submit; the track follows from the proposal's origin.
	type SubmitOrigin = frame_system::EnsureSigned<AccountId>;
	/// Cancelling keeps deposits refundable; the council vetoes through `referendaAdmin.veto`.
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, CouncilHalf>;
	/// Killing slashes both deposits: an emergency power.
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, CouncilTwoThirds>;
	/// Slashed deposits are burnt.
	type Slash = ();
	type Votes = Balance;
	type Tally = pallet_hybrid_voting::HybridTally<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	/// Small, as `pallet-referenda` advises: the queue is sorted on every change.
	type MaxQueued = ConstU32<16>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// `pallet_referenda`'s measured weights, with the cost of the runtime's `NotVetoed` filter
/// added to `submit`: the filter walks every submitted proposal (bounded by
/// [`veto::MAX_PREIMAGE_BYTES`], [`veto::MAX_CALLS`], [`veto::MAX_LEAF_CALLS`]), so a
/// submission, filtered or not, pays for that walk in fees.
pub struct ReferendaWeights;
type Measured = crate::weights::pallet_referenda::WeightInfo<Runtime>;
impl pallet_referenda::WeightInfo for ReferendaWeights {
	fn submit() -> Weight {
		use pallet_referenda_admin::WeightInfo as _;
		// `veto`'s benchmark walks the worst-case proposal (a noted preimage of the full byte
		// budget, nested to the full depth, with every leaf); a proposal of many
		// `dispatchWhitelistedCall`s also reads up to `MAX_CALLS` preimages.
		let walk = pallet_referenda_admin::weights::SubstrateWeight::<Runtime>::veto(veto::MAX_LEAF_CALLS);
		let preimage_reads = <Runtime as frame_system::Config>::DbWeight::get()
			.reads(veto::MAX_CALLS as u64)
			.saturating_add(Weight::from_parts(0, veto::MAX_PREIMAGE_BYTES as u64));
		Measured::submit().saturating_add(walk).saturating_add(preimage_reads)
	}
	fn place_decision_deposit_preparing() -> Weight {
		Measured::place_decision_deposit_preparing()
	}
	fn place_decision_deposit_queued() -> Weight {
		Measured::place_decision_deposit_queued()
	}
	fn place_decision_deposit_not_queued() -> Weight {
		Measured::place_decision_deposit_not_queued()
	}
	fn place_decision_deposit_passing() -> Weight {
		Measured::place_decision_deposit_passing()
	}
	fn place_decision_deposit_failing() -> Weight {
		Measured::place_decision_deposit_failing()
	}
	fn refund_decision_deposit() -> Weight {
		Measured::refund_decision_deposit()
	}
	fn refund_submission_deposit() -> Weight {
		Measured::refund_submission_deposit()
	}
	fn cancel() -> Weight {
		Measured::cancel()
	}
	fn kill() -> Weight {
		Measured::kill()
	}
	fn one_fewer_deciding_queue_empty() -> Weight {
		Measured::one_fewer_deciding_queue_empty()
	}
	fn one_fewer_deciding_failing() -> Weight {
		Measured::one_fewer_deciding_failing()
	}
	fn one_fewer_deciding_passing() -> Weight {
		Measured::one_fewer_deciding_passing()
	}
	fn nudge_referendum_requeued_insertion() -> Weight {
		Measured::nudge_referendum_requeued_insertion()
	}
	fn nudge_referendum_requeued_slide() -> Weight {
		Measured::nudge_referendum_requeued_slide()
	}
	fn nudge_referendum_queued() -> Weight {
		Measured::nudge_referendum_queued()
	}
	fn nudge_referendum_not_queued() -> Weight {
		Measured::nudge_referendum_not_queued()
	}
	fn nudge_referendum_no_deposit() -> Weight {
		Measured::nudge_referendum_no_deposit()
	}
	fn nudge_referendum_preparing() -> Weight {
		Measured::nudge_referendum_preparing()
	}
	fn nudge_referendum_timed_out() -> Weight {
		Measured::nudge_referendum_timed_out()
	}
	fn nudge_referendum_begin_deciding_failing() -> Weight {
		Measured::nudge_referendum_begin_deciding_failing()
	}
	fn nudge_referendum_begin_deciding_passing() -> Weight {
		Measured::nudge_referendum_begin_deciding_passing()
	}
	fn nudge_referendum_begin_confirming() -> Weight {
		Measured::nudge_referendum_begin_confirming()
	}
	fn nudge_referendum_end_confirming() -> Weight {
		Measured::nudge_referendum_end_confirming()
	}
	fn nudge_referendum_continue_not_confirming() -> Weight {
		Measured::nudge_referendum_continue_not_confirming()
	}
	fn nudge_referendum_continue_confirming() -> Weight {
		Measured::nudge_referendum_continue_confirming()
	}
	fn nudge_referendum_approved() -> Weight {
		Measured::nudge_referendum_approved()
	}
	fn nudge_referendum_rejected() -> Weight {
		Measured::nudge_referendum_rejected()
	}
	fn set_some_metadata() -> Weight {
		Measured::set_some_metadata()
	}
	fn clear_metadata() -> Weight {
		Measured::clear_metadata()
	}
}

impl pallet_hybrid_voting::Config for Runtime {
	type Currency = Balances;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Polls = crate::Referenda;
	type Reputation = Reputation;
	type Houses = crate::ReferendaAdmin;
	/// Linear: the reputation house is split-neutral (N accounts never outweigh one account
	/// holding their summed reputation; √reputation gave N accounts √N times the say).
	type ReputationWeighting = pallet_hybrid_voting::tally::LinearReputation;
	type MaxTurnout = ActiveIssuance;
	/// Bounded by the scheduler's agenda too (benchmarks open this many referenda at once).
	type MaxVotes = ConstU32<32>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type WeightInfo = pallet_hybrid_voting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ReputationBenchmarkHelper;
}

impl pallet_referenda_admin::Config for Runtime {
	type DefaultTracks = tracks::DefaultTracks;
	type MaxTracks = ConstU32<16>;
	/// Changing the rules of governance itself needs a root referendum.
	type TrackOrigin = EnsureRoot<AccountId>;
	type VetoOrigin = EitherOf<EnsureRoot<AccountId>, CouncilHalf>;
	type VetoCoolOff = VetoCoolOff;
	/// Unwraps utility, scheduler, sudo, whitelist, council and referenda wrapper calls
	/// (at most 4 deep, 64 calls, 64 KiB of preimages).
	type ProposalCalls = veto::ProposalCalls;
	type MaxLeafCalls = ConstU32<{ veto::MAX_LEAF_CALLS }>;
	/// Track bounds (`setTrack`): 1..=16 deciding, 10..=10,000 PRSP decision deposit,
	/// periods of 1 block to 90 days.
	type MaxDeciding = tracks::MaxDeciding;
	type MinDecisionDeposit = tracks::MinDecisionDeposit;
	type MaxDecisionDeposit = tracks::MaxDecisionDeposit;
	type MaxPeriod = tracks::MaxPeriod;
	type WeightInfo = pallet_referenda_admin::weights::SubstrateWeight<Runtime>;
}

/// Refuses `referenda.submit` of a proposal that is cooling off after a council veto: its hash,
/// or the hash of any leaf call it dispatches through a wrapper (`utility.batchAll([vetoed])`,
/// `scheduler.schedule(.., vetoed)`...), is barred; or, while a cool-off is active, it cannot be
/// inspected (preimage not noted yet, over 64 KiB, over 16 leaf calls or nested over 4 deep).
/// See [`veto`] and `pallet_referenda_admin::Pallet::is_proposal_cooling_off`.
pub struct NotVetoed;
impl Contains<RuntimeCall> for NotVetoed {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Referenda(pallet_referenda::Call::submit { proposal, .. }) =>
				!crate::ReferendaAdmin::is_proposal_cooling_off(proposal),
			_ => true,
		}
	}
}

// --- Fast track ---

parameter_types! {
	pub const WhitelistExpiration: BlockNumber = 30 * DAYS;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = EitherOf<EnsureRoot<AccountId>, CouncilHalf>;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = WhitelistExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

// --- Council ---

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxMembers: u32 = 13;
	/// A motion's call may use at most half a block.
	pub CouncilMaxProposalWeight: Weight =
		Perbill::from_percent(50) * crate::configs::RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<32>;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	/// Membership comes from elections; root may reset it in an emergency.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = CouncilMaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// No motion deposit: only elected members (at most 13) can propose, at most 32 motions.
	type Consideration = ();
}

parameter_types! {
	pub const CouncilTermDuration: BlockNumber = 7 * DAYS;
	pub const BallotDeposit: Balance = crate::currency::deposit(1, 640);
	pub const MinElectedWeight: u128 = pallet_council_elections::weight::HOUSE / 1_000;
	/// Standing for the council stays affordable: at most 10,000 PRSP.
	pub const MaxCandidacyBond: Balance = 10_000 * UNIT;
	/// Candidacy cannot be closed to everyone: the minimum is at most 1,000,000 reputation
	/// (what each genesis councillor of the development chains holds).
	pub const MaxMinCandidateReputation: u128 = 1_000_000;
}

impl pallet_council_elections::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Reputation = Reputation;
	type MaxTurnout = ActiveIssuance;
	type ChangeMembers = crate::Council;
	type InitializeMembers = crate::Council;
	type ParamsOrigin = ParameterOrigin;
	type TermDuration = CouncilTermDuration;
	type MaxCandidates = ConstU32<64>;
	/// Pays for a ballot's storage (up to ~640 bytes): dust ballots cost real money, and there
	/// is no first-come voter cap for them to fill.
	type BallotDeposit = BallotDeposit;
	/// A council of 2 passes a half-majority motion with one vote: at least 3.
	type MinMembersFloor = ConstU32<3>;
	/// A seat needs at least 0.1% of a house (0.1% of active issuance in stake, or of total
	/// reputation): ballots of dust stake seat nobody.
	type MinElectedWeight = MinElectedWeight;
	type MaxCandidacyBond = MaxCandidacyBond;
	type MaxMinCandidateReputation = MaxMinCandidateReputation;
	type MaxVotesPerVoter = ConstU32<16>;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_council_elections::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ReputationBenchmarkHelper;
}

/// Gives benchmark accounts reputation through the reputation pallet's updater.
#[cfg(feature = "runtime-benchmarks")]
pub struct ReputationBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_hybrid_voting::BenchmarkHelper<AccountId> for ReputationBenchmarkHelper {
	fn set_reputation(who: &AccountId, score: u128) {
		use perspective_primitives::{ReputationReason, ReputationUpdater};
		Reputation::reward(who, score, ReputationReason::Governance);
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_council_elections::BenchmarkHelper<AccountId> for ReputationBenchmarkHelper {
	fn set_reputation(who: &AccountId, score: u128) {
		<Self as pallet_hybrid_voting::BenchmarkHelper<AccountId>>::set_reputation(who, score)
	}
}
