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
//!   when the vote is cast. At most `MaxVoters` per term.
//! - **Election** (in `on_initialize` at each term boundary, O(`MaxCandidates`)): each candidate's
//!   score is the sum of the weights approving them, maintained as votes arrive, so no voter is
//!   iterated. The `desired_members` best-scoring candidates that still meet the reputation
//!   minimum become the council (ties broken by account id); if none qualifies, the council
//!   stays as it is. Candidacies end with the term; votes of past terms no longer count and
//!   their stakes are released with `remove_voter`.
//!
//! Parameters (`candidacy_bond`, `min_candidate_reputation`, `desired_members`) are set by
//! `ParamsOrigin` (a council motion or a referendum in the runtime).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

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
	/// Seats to fill (1..=MaxMembers).
	pub desired_members: u32,
}

impl<Balance: Default> Default for ElectionParams<Balance> {
	/// No bond, no reputation minimum, one seat.
	fn default() -> Self {
		Self { candidacy_bond: Balance::default(), min_candidate_reputation: 0, desired_members: 1 }
	}
}

/// A candidate of the current term.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Candidate<AccountId, Balance> {
	pub who: AccountId,
	pub bond: Balance,
	/// Sum of the weights of this term's voters approving this candidate.
	pub score: u128,
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
	}

	#[pallet::pallet]
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
		/// Maximum voters per term.
		#[pallet::constant]
		type MaxVoters: Get<u32>;
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

	/// Number of ballots cast in the current term.
	#[pallet::storage]
	pub type VoterCount<T: Config<I>, I: 'static = ()> = StorageValue<_, u32, ValueQuery>;

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
			assert!(
				self.params.desired_members >= 1 &&
					self.params.desired_members <= T::MaxMembers::get(),
				"desired_members must be within 1..=MaxMembers"
			);
			let mut members = self.members.clone();
			members.sort();
			members.dedup();
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
		/// `who` approved `votes` with `stake` frozen, carrying `weight`.
		Voted { who: T::AccountId, votes: Vec<T::AccountId>, stake: BalanceOf<T, I>, weight: u128 },
		/// `who`'s ballot was removed and their stake released.
		VoterRemoved { who: T::AccountId },
		/// A term ended and `members` form the new council.
		NewTerm { round: u32, members: Vec<T::AccountId> },
		/// A term ended without any qualified candidate; the council stays.
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
		/// The voter list of this term is full (`MaxVoters`).
		TooManyVoters,
		/// The account has no ballot.
		NotVoter,
		/// `desired_members` must be within 1..=MaxMembers.
		InvalidParams,
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
			candidates
				.try_push(Candidate { who: who.clone(), bond: params.candidacy_bond, score: 0 })
				.map_err(|_| Error::<T, I>::TooManyCandidates)?;
			T::Currency::hold(&HoldReason::Candidacy.into(), &who, params.candidacy_bond)
				.map_err(|_| Error::<T, I>::InsufficientBondBalance)?;
			Candidates::<T, I>::put(candidates);
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
			match Voters::<T, I>::get(&who) {
				Some(old) if old.round == round => Self::unscore(&mut candidates, &old),
				_ => {
					let count = VoterCount::<T, I>::get();
					ensure!(count < T::MaxVoters::get(), Error::<T, I>::TooManyVoters);
					VoterCount::<T, I>::put(count + 1);
				},
			}
			for candidate in candidates.iter_mut().filter(|c| votes.contains(&c.who)) {
				candidate.score.saturating_accrue(weight);
			}
			Self::set_stake(&who, stake)?;
			Candidates::<T, I>::put(candidates);
			Voters::<T, I>::insert(&who, Ballot { round, stake, weight, votes: votes.clone() });
			Self::deposit_event(Event::Voted { who, votes: votes.into_inner(), stake, weight });
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
			}
			Self::set_stake(&who, Zero::zero())?;
			Self::deposit_event(Event::VoterRemoved { who });
			Ok(())
		}

		/// Change the election parameters (they apply from the next candidacy / election).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			params: ElectionParams<BalanceOf<T, I>>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(
				params.desired_members >= 1 && params.desired_members <= T::MaxMembers::get(),
				Error::<T, I>::InvalidParams
			);
			Params::<T, I>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}

	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		fn unscore(
			candidates: &mut BoundedVec<CandidateOf<T, I>, T::MaxCandidates>,
			ballot: &Ballot<T, I>,
		) {
			for candidate in candidates.iter_mut().filter(|c| ballot.votes.contains(&c.who)) {
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

		/// Ends the term: elects the best-scoring qualified candidates, releases every bond and
		/// opens the next term. O(MaxCandidates · log MaxCandidates).
		pub(crate) fn run_election() {
			let params = Params::<T, I>::get();
			let candidates = Candidates::<T, I>::take();
			let round = Round::<T, I>::get();
			let mut ranked: Vec<&CandidateOf<T, I>> = candidates
				.iter()
				.filter(|c| {
					c.score > 0 &&
						T::Reputation::reputation_of(&c.who) >= params.min_candidate_reputation
				})
				.collect();
			ranked.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.who.cmp(&b.who)));
			let mut elected: Vec<T::AccountId> = ranked
				.into_iter()
				.take(params.desired_members.min(T::MaxMembers::get()) as usize)
				.map(|c| c.who.clone())
				.collect();
			for candidate in candidates.iter() {
				if Self::release_bond(candidate).is_err() {
					log::error!(target: "runtime::council-elections", "bond release failed");
				}
			}
			if elected.is_empty() {
				Self::deposit_event(Event::EmptyTerm { round });
			} else {
				elected.sort();
				let old = Members::<T, I>::get();
				T::ChangeMembers::set_members_sorted(&elected, &old);
				Members::<T, I>::put(BoundedVec::truncate_from(elected.clone()));
				Self::deposit_event(Event::NewTerm { round, members: elected });
			}
			Round::<T, I>::put(round.saturating_add(1));
			VoterCount::<T, I>::kill();
		}

		/// Invariants: members sorted and within bounds; each candidate's bond is held; each
		/// candidate's score is the sum of this term's ballots approving them; `VoterCount`
		/// counts this term's ballots; each voter's freeze equals their stake.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::{InspectFreeze, InspectHold};
			let members = Members::<T, I>::get();
			ensure!(members.windows(2).all(|w| w[0] < w[1]), "members not sorted");
			let candidates = Candidates::<T, I>::get();
			let round = Round::<T, I>::get();
			let mut scores: Vec<u128> = alloc::vec![0; candidates.len()];
			let mut count = 0u32;
			for (who, ballot) in Voters::<T, I>::iter() {
				ensure!(
					T::Currency::balance_frozen(&FreezeReason::<I>::Voting.into(), &who) ==
						ballot.stake,
					"a voter's freeze differs from their stake"
				);
				if ballot.round == round {
					count += 1;
					for (i, c) in candidates.iter().enumerate() {
						if ballot.votes.contains(&c.who) {
							scores[i] = scores[i].saturating_add(ballot.weight);
						}
					}
				}
			}
			ensure!(count == VoterCount::<T, I>::get(), "VoterCount is wrong");
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
