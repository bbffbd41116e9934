//! # Council elections
//!
//! Elects the members of a council (a `pallet-collective` instance) every `TermDuration` blocks.
//! Instantiable: a second council (e.g. an evaluation council) is a second instance in the
//! runtime, nothing more.
//!
//! - **Candidates** need at least `min_candidate_reputation` and hold `candidacy_bond` until the
//!   election (refunded then, or on renouncing). At most `MaxCandidates`.
//! - **Voters** approve up to `MaxVotesPerVoter` candidates with a frozen stake. Their weight is
//!   hybrid: `stake / active issuance + reputation / total reputation` (see [`weight`]), taken
//!   when the vote is cast. Each ballot holds `BallotDeposit` until it is removed, which pays for
//!   its storage; there is no first-come cap on voters that dust ballots could fill.
//! - **Election** (in `on_initialize` at each term boundary, O(`MaxCandidates`)): each candidate's
//!   score is the sum of the weights approving them, maintained as votes arrive, so no voter is
//!   iterated. See [`election::select`]: the `desired_members` best-scoring candidates that still
//!   meet the reputation minimum and reach the seat quota ([`election::seat_quota`]), topped up
//!   to `min_members` with incumbents (then runners-up); if none qualifies, the council stays. Candidacies end with the term; votes of past
//!   terms no longer count and their stakes and deposits are released with `remove_voter`.
//!
//! Parameters (`candidacy_bond`, `min_candidate_reputation`, `desired_members`, `min_members`)
//! are set by `ParamsOrigin` (a council motion or a referendum in the runtime), within the
//! ranges [`Pallet::check_params`] enforces.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod election;
pub mod weight;
pub mod weights;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use perspective_primitives::ReputationScore;
use scale_info::TypeInfo;

/// Election parameters governance can change.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElectionParams<Balance> {
	/// Held from each candidate until the election.
	pub candidacy_bond: Balance,
	/// Reputation a candidate needs to stand and to be elected.
	pub min_candidate_reputation: ReputationScore,
	/// Seats to fill (`min_members..=MaxMembers`).
	pub desired_members: u32,
	/// The council never shrinks below this many members (`MinMembersFloor..=desired_members`).
	pub min_members: u32,
}

impl<Balance: Default> Default for ElectionParams<Balance> {
	/// No bond, no reputation minimum, three seats, at least three members.
	fn default() -> Self {
		Self {
			candidacy_bond: Balance::default(),
			min_candidate_reputation: 0,
			desired_members: 3,
			min_members: 3,
		}
	}
}

/// A candidate of the current term.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Candidate<AccountId, Balance> {
	pub who: AccountId,
	pub bond: Balance,
	/// Sum of the weights of this term's voters approving this candidacy.
	pub score: u128,
	/// Unique per candidacy: a candidate who renounces and stands again gets a new one, so
	/// ballots cast for the earlier candidacy no longer touch this score.
	pub candidacy: u64,
}

/// Sets up state the benchmarks cannot reach through this pallet's `Config`.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` (at least) `score` reputation.
	fn set_reputation(who: &AccountId, score: ReputationScore);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateFreeze, MutateHold},
			tokens::Precision,
			ChangeMembers, InitializeMembers,
		},
	};
	use frame_system::pallet_prelude::*;
	use perspective_primitives::ReputationProvider;
	use sp_runtime::traits::{SaturatedConversion, Saturating, Zero};

	pub type BalanceOf<T, I = ()> =
		<<T as Config<I>>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type CandidateOf<T, I> = Candidate<<T as frame_system::Config>::AccountId, BalanceOf<T, I>>;

	/// A voter's ballot.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		TypeInfo,
		MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(T, I))]
	#[codec(mel_bound())]
	pub struct Ballot<T: Config<I>, I: 'static> {
		/// Term the ballot was cast in; ballots of past terms no longer count.
		pub round: u32,
		/// Balance frozen for the ballot.
		pub stake: BalanceOf<T, I>,
		/// Weight added to each approved candidate.
		pub weight: u128,
		/// Approved candidates.
		pub votes: BoundedVec<T::AccountId, T::MaxVotesPerVoter>,
		/// Held for the ballot's storage until it is removed.
		pub deposit: BalanceOf<T, I>,
		/// `NextCandidacy` when the ballot was cast: the ballot counts for candidacies numbered
		/// below it only (not for a later candidacy of the same account).
		pub candidacies_before: u64,
	}

	/// 1: ballot deposits, candidacy numbers and `min_members` (no migration: the chain is not
	/// live yet).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T, I = ()>(_);

	#[pallet::config]
	pub trait Config<I: 'static = ()>:
		frame_system::Config<RuntimeEvent: From<Event<Self, I>>>
	{
		/// The currency bonds are held from and stakes frozen in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason<I>>;
		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason<I>>;
		/// Reputation of candidates and voters.
		type Reputation: ReputationProvider<Self::AccountId>;
		/// The token house's size for voter weights (active issuance).
		type MaxTurnout: Get<BalanceOf<Self, I>>;
		/// Told about every new council.
		type ChangeMembers: ChangeMembers<Self::AccountId>;
		/// Told about the genesis council.
		type InitializeMembers: InitializeMembers<Self::AccountId>;
		/// Origin that may change the election parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks per term; an election runs at every multiple.
		#[pallet::constant]
		type TermDuration: Get<BlockNumberFor<Self>>;
		/// Maximum candidates per term.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// Held from every ballot until it is removed: pays for the ballot's storage, and makes
		/// dust ballots cost real money (there is no cap on voters).
		#[pallet::constant]
		type BallotDeposit: Get<BalanceOf<Self, I>>;
		/// Smallest `min_members` governance may set (3 in the runtime: a council of 2 passes a
		/// half-majority motion with one member's vote).
		#[pallet::constant]
		type MinMembersFloor: Get<u32>;
		/// The smallest score that wins a seat of its own (in weight units, 10¹⁸ = a whole house;
		/// see [`election::seat_quota`]): ballots of dust stake cannot seat anyone.
		#[pallet::constant]
		type MinElectedWeight: Get<u128>;
		/// Largest `candidacy_bond` governance may set, so standing stays affordable.
		#[pallet::constant]
		type MaxCandidacyBond: Get<BalanceOf<Self, I>>;
		/// Largest `min_candidate_reputation` governance may set, so that candidacy cannot be
		/// closed to everyone (which would keep the sitting council forever).
		#[pallet::constant]
		type MaxMinCandidateReputation: Get<ReputationScore>;
		/// Maximum candidates one ballot approves.
		#[pallet::constant]
		type MaxVotesPerVoter: Get<u32>;
		/// Maximum council size.
		#[pallet::constant]
		type MaxMembers: Get<u32>;
		/// Weight information for this pallet.
		type WeightInfo: WeightInfo;
		/// Gives accounts reputation in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason<I: 'static = ()> {
		/// A candidacy bond.
		#[codec(index = 0)]
		Candidacy,
		/// A ballot's storage deposit.
		#[codec(index = 1)]
		Ballot,
	}

	/// Why this pallet freezes balance.
	#[pallet::composite_enum]
	pub enum FreezeReason<I: 'static = ()> {
		/// A voter's stake.
		#[codec(index = 0)]
		Voting,
	}

	/// Election parameters.
	#[pallet::storage]
	pub type Params<T: Config<I>, I: 'static = ()> =
		StorageValue<_, ElectionParams<BalanceOf<T, I>>, ValueQuery>;


	/// The current council, sorted.
	#[pallet::storage]
	pub type Members<T: Config<I>, I: 'static = ()> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxMembers>, ValueQuery>;

	/// This term's candidates.
	#[pallet::storage]
	pub type Candidates<T: Config<I>, I: 'static = ()> =
		StorageValue<_, BoundedVec<CandidateOf<T, I>, T::MaxCandidates>, ValueQuery>;

	/// Ballots, current and past terms.
	#[pallet::storage]
	pub type Voters<T: Config<I>, I: 'static = ()> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Ballot<T, I>>;

	/// Number of ballots cast in the current term (informational: nothing caps it).
	#[pallet::storage]
	pub type VoterCount<T: Config<I>, I: 'static = ()> = StorageValue<_, u32, ValueQuery>;

	/// Sum of the weights of this term's ballots (each ballot once, whatever it approves): the
	/// base of the seat quota.
	#[pallet::storage]
	pub type CastWeight<T: Config<I>, I: 'static = ()> = StorageValue<_, u128, ValueQuery>;

	/// The number the next candidacy gets.
	#[pallet::storage]
	pub type NextCandidacy<T: Config<I>, I: 'static = ()> = StorageValue<_, u64, ValueQuery>;

	/// The current term's number.
	#[pallet::storage]
	pub type Round<T: Config<I>, I: 'static = ()> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config<I>, I: 'static = ()> {
		/// The initial council.
		pub members: Vec<T::AccountId>,
		/// The initial parameters.
		pub params: ElectionParams<BalanceOf<T, I>>,
	}

	#[pallet::genesis_build]
	impl<T: Config<I>, I: 'static> BuildGenesisConfig for GenesisConfig<T, I> {
		fn build(&self) {
			if let Err(e) = Pallet::<T, I>::check_params(&self.params) {
				panic!("invalid genesis election params: {:?}", e);
			}
			let mut members = self.members.clone();
			members.sort();
			members.dedup();
			// No council at all is allowed (the first election then needs `min_members`
			// qualified candidates); a council smaller than the floor is not.
			assert!(
				members.is_empty() || members.len() as u32 >= self.params.min_members,
				"the genesis council is smaller than min_members"
			);
			let members: BoundedVec<_, T::MaxMembers> =
				members.try_into().expect("genesis council larger than MaxMembers");
			T::InitializeMembers::initialize_members(&members);
			Members::<T, I>::put(members);
			Params::<T, I>::put(self.params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config<I>, I: 'static = ()> {
		/// `who` stands for election with `bond` held.
		CandidateSubmitted { who: T::AccountId, bond: BalanceOf<T, I> },
		/// `who` withdrew; the bond was released.
		CandidateRenounced { who: T::AccountId },
		/// `who` approved `votes` with `stake` frozen, carrying `weight`; `deposit` is held for
		/// the ballot.
		Voted {
			who: T::AccountId,
			votes: Vec<T::AccountId>,
			stake: BalanceOf<T, I>,
			weight: u128,
			deposit: BalanceOf<T, I>,
		},
		/// `who`'s ballot was removed; their stake and the ballot's `deposit` were released.
		VoterRemoved { who: T::AccountId, deposit: BalanceOf<T, I> },
		/// A term ended and `members` form the new council.
		NewTerm { round: u32, members: Vec<T::AccountId> },
		/// A term ended with no candidate reaching the seat quota (or too few people to fill
		/// `min_members` seats); the council stays.
		EmptyTerm { round: u32 },
		/// Governance changed the election parameters.
		ParamsSet { params: ElectionParams<BalanceOf<T, I>> },
	}

	#[pallet::error]
	pub enum Error<T, I = ()> {
		/// Already a candidate this term.
		AlreadyCandidate,
		/// Not a candidate this term.
		NotCandidate,
		/// Reputation is below `min_candidate_reputation`.
		InsufficientReputation,
		/// The candidate list is full (`MaxCandidates`).
		TooManyCandidates,
		/// The candidacy bond cannot be held (free balance too low).
		InsufficientBondBalance,
		/// A ballot must approve at least one candidate.
		NoVotes,
		/// A ballot approves the same candidate twice.
		DuplicateVote,
		/// The stake is more than the free balance.
		InsufficientFunds,
		/// The ballot carries neither stake nor reputation.
		NoVotingPower,
		/// The ballot deposit (`BallotDeposit`) cannot be held (free balance too low).
		InsufficientDepositBalance,
		/// The account has no ballot.
		NotVoter,
		/// `desired_members` must be within `min_members..=MaxMembers`.
		DesiredMembersOutOfRange,
		/// `min_members` must be within `MinMembersFloor..=desired_members`, and at most the
		/// sitting council's size.
		MinMembersOutOfRange,
		/// `candidacy_bond` must be at most `MaxCandidacyBond`.
		CandidacyBondTooHigh,
		/// `min_candidate_reputation` must be at most `MaxMinCandidateReputation`.
		MinCandidateReputationTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config<I>, I: 'static> Hooks<BlockNumberFor<T>> for Pallet<T, I> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let term = T::TermDuration::get();
			if term.is_zero() || now.is_zero() || !(now % term).is_zero() {
				return Weight::zero();
			}
			let candidates = Candidates::<T, I>::decode_len().unwrap_or(0) as u32;
			Self::run_election();
			T::WeightInfo::election(candidates)
		}

		fn integrity_test() {
			let max = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(
				!T::WeightInfo::election(T::MaxCandidates::get()).any_gt(max / 4),
				"the worst-case election must fit in a quarter block"
			);
			assert!(
				!T::WeightInfo::vote(T::MaxVotesPerVoter::get()).any_gt(max),
				"the worst-case ballot must fit in a block"
			);
			assert!(!T::TermDuration::get().is_zero(), "TermDuration must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		/// Stand for the next election. Needs `min_candidate_reputation`; holds `candidacy_bond`
		/// until the election (or until renouncing).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_candidacy(T::MaxCandidates::get()))]
		pub fn submit_candidacy(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T, I>::get();
			let mut candidates = Candidates::<T, I>::get();
			ensure!(!candidates.iter().any(|c| c.who == who), Error::<T, I>::AlreadyCandidate);
			ensure!(
				T::Reputation::reputation_of(&who) >= params.min_candidate_reputation,
				Error::<T, I>::InsufficientReputation
			);
			let candidacy = NextCandidacy::<T, I>::get();
			candidates
				.try_push(Candidate {
					who: who.clone(),
					bond: params.candidacy_bond,
					score: 0,
					candidacy,
				})
				.map_err(|_| Error::<T, I>::TooManyCandidates)?;
			T::Currency::hold(&HoldReason::Candidacy.into(), &who, params.candidacy_bond)
				.map_err(|_| Error::<T, I>::InsufficientBondBalance)?;
			Candidates::<T, I>::put(candidates);
			NextCandidacy::<T, I>::put(candidacy.saturating_add(1));
			Self::deposit_event(Event::CandidateSubmitted { who, bond: params.candidacy_bond });
			Ok(())
		}

		/// Withdraw this term's candidacy; the bond is released.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::renounce_candidacy(T::MaxCandidates::get()))]
		pub fn renounce_candidacy(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut candidates = Candidates::<T, I>::get();
			let position =
				candidates.iter().position(|c| c.who == who).ok_or(Error::<T, I>::NotCandidate)?;
			let candidate = candidates.remove(position);
			Self::release_bond(&candidate)?;
			Candidates::<T, I>::put(candidates);
			Self::deposit_event(Event::CandidateRenounced { who });
			Ok(())
		}

		/// Approve `votes` (this term's candidates) with `stake` frozen. Replaces any earlier
		/// ballot.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::vote(votes.len() as u32))]
		pub fn vote(
			origin: OriginFor<T>,
			votes: BoundedVec<T::AccountId, T::MaxVotesPerVoter>,
			stake: BalanceOf<T, I>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!votes.is_empty(), Error::<T, I>::NoVotes);
			ensure!(stake <= T::Currency::balance(&who), Error::<T, I>::InsufficientFunds);
			let mut sorted = votes.clone().into_inner();
			sorted.sort();
			ensure!(sorted.windows(2).all(|w| w[0] != w[1]), Error::<T, I>::DuplicateVote);
			let mut candidates = Candidates::<T, I>::get();
			ensure!(
				votes.iter().all(|v| candidates.iter().any(|c| c.who == *v)),
				Error::<T, I>::NotCandidate
			);
			let weight = weight::voter_weight(
				stake.saturated_into(),
				T::MaxTurnout::get().saturated_into(),
				T::Reputation::reputation_of(&who),
				T::Reputation::total_reputation(),
			);
			ensure!(weight > 0, Error::<T, I>::NoVotingPower);

			let round = Round::<T, I>::get();
			let deposit = match Voters::<T, I>::get(&who) {
				Some(old) => {
					if old.round == round {
						Self::unscore(&mut candidates, &old);
						CastWeight::<T, I>::mutate(|w| w.saturating_reduce(old.weight));
					} else {
						VoterCount::<T, I>::mutate(|c| c.saturating_inc());
					}
					// A ballot keeps the deposit it was cast with.
					old.deposit
				},
				None => {
					let deposit = T::BallotDeposit::get();
					T::Currency::hold(&HoldReason::<I>::Ballot.into(), &who, deposit)
						.map_err(|_| Error::<T, I>::InsufficientDepositBalance)?;
					VoterCount::<T, I>::mutate(|c| c.saturating_inc());
					deposit
				},
			};
			for candidate in candidates.iter_mut().filter(|c| votes.contains(&c.who)) {
				candidate.score.saturating_accrue(weight);
			}
			CastWeight::<T, I>::mutate(|w| w.saturating_accrue(weight));
			Self::set_stake(&who, stake)?;
			Candidates::<T, I>::put(candidates);
			let ballot = Ballot {
				round,
				stake,
				weight,
				votes: votes.clone(),
				deposit,
				candidacies_before: NextCandidacy::<T, I>::get(),
			};
			Voters::<T, I>::insert(&who, ballot);
			Self::deposit_event(Event::Voted {
				who,
				votes: votes.into_inner(),
				stake,
				weight,
				deposit,
			});
			Ok(())
		}

		/// Remove the caller's ballot (of this or a past term) and release its stake.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_voter(T::MaxVotesPerVoter::get()))]
		pub fn remove_voter(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let ballot = Voters::<T, I>::take(&who).ok_or(Error::<T, I>::NotVoter)?;
			if ballot.round == Round::<T, I>::get() {
				let mut candidates = Candidates::<T, I>::get();
				Self::unscore(&mut candidates, &ballot);
				Candidates::<T, I>::put(candidates);
				VoterCount::<T, I>::mutate(|c| *c = c.saturating_sub(1));
				CastWeight::<T, I>::mutate(|w| w.saturating_reduce(ballot.weight));
			}
			Self::set_stake(&who, Zero::zero())?;
			T::Currency::release(
				&HoldReason::<I>::Ballot.into(),
				&who,
				ballot.deposit,
				Precision::BestEffort,
			)?;
			Self::deposit_event(Event::VoterRemoved { who, deposit: ballot.deposit });
			Ok(())
		}

		/// Change the election parameters (they apply from the next candidacy / election), within
		/// the ranges of [`Pallet::check_params`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			params: ElectionParams<BalanceOf<T, I>>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			// Raising the floor above the sitting council would leave it unable to pass motions.
			ensure!(
				params.min_members as usize <= Members::<T, I>::decode_len().unwrap_or(0),
				Error::<T, I>::MinMembersOutOfRange
			);
			Params::<T, I>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}

	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		/// Every parameter within its documented range:
		/// - `MinMembersFloor ≤ min_members ≤ desired_members ≤ MaxMembers`;
		/// - `candidacy_bond ≤ MaxCandidacyBond`;
		/// - `min_candidate_reputation ≤ MaxMinCandidateReputation`.
		pub fn check_params(params: &ElectionParams<BalanceOf<T, I>>) -> Result<(), Error<T, I>> {
			ensure!(
				params.min_members >= T::MinMembersFloor::get() &&
					params.min_members <= params.desired_members,
				Error::<T, I>::MinMembersOutOfRange
			);
			ensure!(
				params.desired_members <= T::MaxMembers::get(),
				Error::<T, I>::DesiredMembersOutOfRange
			);
			ensure!(
				params.candidacy_bond <= T::MaxCandidacyBond::get(),
				Error::<T, I>::CandidacyBondTooHigh
			);
			ensure!(
				params.min_candidate_reputation <= T::MaxMinCandidateReputation::get(),
				Error::<T, I>::MinCandidateReputationTooHigh
			);
			Ok(())
		}

		/// The current election parameters.
		pub fn params() -> ElectionParams<BalanceOf<T, I>> {
			Params::<T, I>::get()
		}

		/// Whether `ballot` counts for `candidate`: it names the account, and was cast during this
		/// candidacy (not for an earlier, renounced one).
		fn counts_for(ballot: &Ballot<T, I>, candidate: &CandidateOf<T, I>) -> bool {
			candidate.candidacy < ballot.candidacies_before && ballot.votes.contains(&candidate.who)
		}

		fn unscore(
			candidates: &mut BoundedVec<CandidateOf<T, I>, T::MaxCandidates>,
			ballot: &Ballot<T, I>,
		) {
			for candidate in candidates.iter_mut().filter(|c| Self::counts_for(ballot, c)) {
				candidate.score.saturating_reduce(ballot.weight);
			}
		}

		fn set_stake(who: &T::AccountId, stake: BalanceOf<T, I>) -> DispatchResult {
			let id = FreezeReason::<I>::Voting.into();
			if stake.is_zero() {
				T::Currency::thaw(&id, who)
			} else {
				T::Currency::set_freeze(&id, who, stake)
			}
		}

		fn release_bond(candidate: &CandidateOf<T, I>) -> DispatchResult {
			T::Currency::release(
				&HoldReason::<I>::Candidacy.into(),
				&candidate.who,
				candidate.bond,
				Precision::BestEffort,
			)
			.map(|_| ())
		}

		/// Ends the term: seats the council [`election::select`] picks, releases every bond and
		/// opens the next term. O(MaxCandidates · log MaxCandidates + MaxMembers).
		pub(crate) fn run_election() {
			let params = Params::<T, I>::get();
			let candidates = Candidates::<T, I>::take();
			let round = Round::<T, I>::get();
			let old = Members::<T, I>::get();
			let contenders: Vec<_> = candidates
				.iter()
				.map(|c| election::Contender {
					who: c.who.clone(),
					score: c.score,
					reputation: T::Reputation::reputation_of(&c.who),
				})
				.collect();
			let incumbents: Vec<_> = old
				.iter()
				.map(|who| election::Contender {
					who: who.clone(),
					score: 0,
					reputation: T::Reputation::reputation_of(who),
				})
				.collect();
			let desired = params.desired_members.min(T::MaxMembers::get());
			let quota = election::seat_quota(
				CastWeight::<T, I>::get(),
				desired,
				T::MinElectedWeight::get(),
			);
			let elected = election::select(
				&contenders,
				&incumbents,
				desired,
				params.min_members,
				params.min_candidate_reputation,
				quota,
			);
			for candidate in candidates.iter() {
				if Self::release_bond(candidate).is_err() {
					log::error!(target: "runtime::council-elections", "bond release failed");
				}
			}
			match elected {
				None => Self::deposit_event(Event::EmptyTerm { round }),
				Some(elected) => {
					T::ChangeMembers::set_members_sorted(&elected, &old);
					Members::<T, I>::put(BoundedVec::truncate_from(elected.clone()));
					Self::deposit_event(Event::NewTerm { round, members: elected });
				},
			}
			Round::<T, I>::put(round.saturating_add(1));
			VoterCount::<T, I>::kill();
			CastWeight::<T, I>::kill();
		}

		/// Invariants: members sorted; each candidate's bond is held; each candidate's score is the sum of this term's
		/// ballots cast for this candidacy; candidacy numbers below `NextCandidacy`; `VoterCount`
		/// counts this term's ballots; each voter's freeze equals their stake and their ballot
		/// deposit is held.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::{InspectFreeze, InspectHold};
			let members = Members::<T, I>::get();
			ensure!(members.windows(2).all(|w| w[0] < w[1]), "members not sorted");
			let candidates = Candidates::<T, I>::get();
			let round = Round::<T, I>::get();
			let mut scores: Vec<u128> = alloc::vec![0; candidates.len()];
			let mut count = 0u32;
			let mut cast = 0u128;
			Self::check_params(&Params::<T, I>::get()).map_err(|_| "stored params out of range")?;
			let next = NextCandidacy::<T, I>::get();
			ensure!(candidates.iter().all(|c| c.candidacy < next), "candidacy number not issued");
			for (who, ballot) in Voters::<T, I>::iter() {
				ensure!(
					T::Currency::balance_frozen(&FreezeReason::<I>::Voting.into(), &who) ==
						ballot.stake,
					"a voter's freeze differs from their stake"
				);
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::<I>::Ballot.into(), &who) ==
						ballot.deposit,
					"a voter's held deposit differs from their ballot's"
				);
				if ballot.round == round {
					count += 1;
					cast = cast.saturating_add(ballot.weight);
					for (i, c) in candidates.iter().enumerate() {
						if Self::counts_for(&ballot, c) {
							scores[i] = scores[i].saturating_add(ballot.weight);
						}
					}
				}
			}
			ensure!(count == VoterCount::<T, I>::get(), "VoterCount is wrong");
			ensure!(cast == CastWeight::<T, I>::get(), "CastWeight is not the sum of this term's ballots");
			for (i, c) in candidates.iter().enumerate() {
				ensure!(c.score == scores[i], "a candidate's score differs from its ballots");
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::<I>::Candidacy.into(), &c.who) ==
						c.bond,
					"a candidate's bond is not held"
				);
			}
			Ok(())
		}
	}
}
