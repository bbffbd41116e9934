//! # Referenda admin
//!
//! Perspective's extensions around `pallet-referenda`:
//!
//! - **Governance-set tracks.** The track table (periods, deposits, curves of the token house)
//!   and each track's reputation-house thresholds live in storage, so governance can tune them
//!   with a call instead of a runtime upgrade. The runtime's `TracksInfo` reads them from here.
//!   Every field has a bounded range ([`Pallet::validate_track`], review L-5), so no setting can
//!   brick a track (an unaffordable deposit, an unreachable curve or threshold, a zero period).
//! - **Council veto with cool-off.** `veto` cancels an ongoing referendum (both deposits are
//!   refunded at once) and bars, for `VetoCoolOff` blocks, the proposal's hash **and** the hash
//!   of every leaf call it dispatches through known wrappers ([`calls`], review L-2). The
//!   runtime's call filter asks [`Pallet::is_proposal_cooling_off`] on `referenda.submit`.
//! - **No stranded deposits.** `pallet-referenda` keeps the submission deposit of a rejected or
//!   timed-out referendum reserved forever (polkadot-sdk #1690). `settle_submission_deposit`
//!   refunds it after a rejection or after a time-out of a referendum whose decision deposit was
//!   placed (it was serious but never got a decision slot), and slashes it after a time-out
//!   without a decision deposit (nobody backed it).
//! - **No stranded referenda.** A referendum waiting for a full track's queue keeps
//!   `in_queue = true` without being in the queue and is exempt from the undeciding time-out
//!   forever (polkadot-sdk #12451). `time_out_stranded` ends such a referendum as `TimedOut`
//!   once `UndecidingTimeout` has passed since its submission, like any undecided referendum.
//!   `pallet-referenda`'s `cancel` and `kill` leave a queued referendum's entry in its track's
//!   queue, holding one of the `MaxQueued` places until it reaches the head (polkadot-sdk
//!   #13236); `veto` removes the entry of the referendum it cancels.
//!
//! End states and deposits (S = submission deposit, D = decision deposit):
//!
//! | end state | S | D |
//! |---|---|---|
//! | Approved | refund (`referenda.refund_submission_deposit`) | refund (`referenda.refund_decision_deposit`) |
//! | Rejected | refund (`settle_submission_deposit`) | refund (`referenda.refund_decision_deposit`) |
//! | TimedOut, decision deposit placed (incl. `time_out_stranded`) | refund (`settle_submission_deposit`) | refund (`referenda.refund_decision_deposit`) |
//! | TimedOut, no decision deposit | slashed (`settle_submission_deposit`) | — |
//! | Cancelled | refund (referenda) | refund (referenda) |
//! | Vetoed (cancelled by `veto`) | refunded by `veto` | refunded by `veto` |
//! | Killed | slashed by referenda | slashed by referenda |

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use perspective_primitives::{HouseThresholds, ReputationHouse};

pub mod calls;
pub mod weights;
pub use calls::{CallWrappers, ProposalCalls, Uninspectable, UnwrapCalls, Wrapped};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pallet_referenda::Curve;
use scale_info::TypeInfo;
use sp_runtime::{FixedI64, Perbill};

/// The shortest period of a track (prepare, decision, confirm, minimum enactment): one block.
/// A zero decision period ends every referendum before anyone can vote.
pub const MIN_PERIOD: u32 = 1;
/// Every point of a track's approval curve (token house) and the reputation house's approval
/// threshold must be at least this: no proposal passes against a majority.
pub const MIN_APPROVAL: Perbill = Perbill::from_percent(50);
/// A track's approval curve must fall to at most this by the end of the decision period, and the
/// reputation house's approval threshold may not exceed it: at 100% a single dust nay blocks
/// every referendum (approval is `ayes / (ayes + nays)`).
pub const MAX_APPROVAL: Perbill = Perbill::from_percent(90);
/// A track's support curve must start (its highest point) at most this high, and the reputation
/// house's support threshold may not exceed it: support counts the ayes and abstentions of the
/// whole electorate (token: active issuance; reputation: all reputation), so a threshold near
/// 100% is never reached (the total rounds up).
pub const MAX_SUPPORT: Perbill = Perbill::from_percent(50);
/// The largest `factor`, `x_offset` and `|y_offset|` of a reciprocal curve, so its arithmetic
/// cannot overflow.
pub const RECIPROCAL_LIMIT: FixedI64 = FixedI64::from_u32(1_000);
/// The smallest `x_offset` of a reciprocal curve (10⁻⁶), so `factor / (x + x_offset)` stays
/// finite at the start of the decision period.
pub const RECIPROCAL_MIN_X_OFFSET: FixedI64 = FixedI64::from_inner(1_000);

/// For a well-formed curve (non-increasing over the decision period), its value at the start
/// (`x = 0`, its highest point) and at the end (`x = 1`, its lowest); `None` for a malformed
/// curve:
/// - linear: `floor ≤ ceil`;
/// - stepped: `end ≤ begin`, `step > 0` and `period > 0` (a zero step or period makes
///   `pallet-referenda` divide by zero);
/// - reciprocal: `0 < factor ≤ 1000`, `10⁻⁶ ≤ x_offset ≤ 1000`, `-1000 ≤ y_offset ≤ 1000`.
pub fn curve_range(curve: &Curve) -> Option<(Perbill, Perbill)> {
	let well_formed = match curve {
		Curve::LinearDecreasing { floor, ceil, .. } => floor <= ceil,
		Curve::SteppedDecreasing { begin, end, step, period } =>
			end <= begin && *step > Perbill::zero() && *period > Perbill::zero(),
		Curve::Reciprocal { factor, x_offset, y_offset } =>
			*factor > FixedI64::from_inner(0) &&
				*factor <= RECIPROCAL_LIMIT &&
				*x_offset >= RECIPROCAL_MIN_X_OFFSET &&
				*x_offset <= RECIPROCAL_LIMIT &&
				*y_offset >= RECIPROCAL_LIMIT.neg() &&
				*y_offset <= RECIPROCAL_LIMIT,
	};
	well_formed.then(|| (curve.threshold(Perbill::zero()), curve.threshold(Perbill::one())))
}

/// The periods of a track, in blocks (what genesis presets override).
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
pub struct TrackTimings<BlockNumber> {
	pub prepare_period: BlockNumber,
	pub decision_period: BlockNumber,
	pub confirm_period: BlockNumber,
	pub min_enactment_period: BlockNumber,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{schedule::v3::Anon as _, OnUnbalanced, ReservableCurrency},
	};
	use frame_system::pallet_prelude::{BlockNumberFor as SystemBlockNumberFor, *};
	use pallet_referenda::{
		BalanceOf, BlockNumberFor, BoundedCallOf, ReferendumIndex, ReferendumInfo,
		ReferendumInfoFor, Track, TrackIdOf, TrackInfoOf,
	};
	use sp_runtime::traits::{BlockNumberProvider as _, Saturating, Zero};

	/// A track as stored here: the referenda track plus the reputation house's thresholds.
	#[derive(
		Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
	)]
	pub struct TrackRecord<Id, Balance, Moment> {
		pub track: Track<Id, Balance, Moment>,
		pub reputation: HouseThresholds,
	}

	pub type TrackRecordOf<T> = TrackRecord<TrackIdOf<T, ()>, BalanceOf<T>, BlockNumberFor<T, ()>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>> + pallet_referenda::Config
	{
		/// The tracks (with thresholds) used until governance or genesis stores others.
		type DefaultTracks: Get<Vec<TrackRecordOf<Self>>>;
		/// Maximum number of tracks.
		#[pallet::constant]
		type MaxTracks: Get<u32>;
		/// Origin that may change a track's parameters.
		type TrackOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Origin that may veto a referendum. `pallet_referenda::Config::CancelOrigin` must
		/// accept it too, since a veto is a cancellation.
		type VetoOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks during which a vetoed proposal, and every leaf call it dispatches, cannot be
		/// submitted again.
		#[pallet::constant]
		type VetoCoolOff: Get<SystemBlockNumberFor<Self>>;
		/// Lists the leaf calls a proposal dispatches through wrapper calls (batches, dispatch
		/// as, scheduling, whitelisting...); the runtime implements it on its `RuntimeCall`,
		/// usually with [`crate::UnwrapCalls`].
		type ProposalCalls: ProposalCalls<BoundedCallOf<Self, ()>, Self::Hash>;
		/// The most leaf calls a veto bars besides the proposal itself; while a cool-off is
		/// active, a proposal with more distinct leaf calls cannot be submitted.
		#[pallet::constant]
		type MaxLeafCalls: Get<u32>;
		/// The largest `max_deciding` of a track (the smallest is 1).
		#[pallet::constant]
		type MaxDeciding: Get<u32>;
		/// The smallest `decision_deposit` of a track: a free decision slot lets anyone fill a
		/// track's deciding slots and queue with spam.
		#[pallet::constant]
		type MinDecisionDeposit: Get<BalanceOf<Self>>;
		/// The largest `decision_deposit` of a track: a deposit nobody can place bricks it.
		#[pallet::constant]
		type MaxDecisionDeposit: Get<BalanceOf<Self>>;
		/// The longest period (prepare, decision, confirm, minimum enactment) of a track.
		#[pallet::constant]
		type MaxPeriod: Get<BlockNumberFor<Self, ()>>;
		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The track table, sorted by id. Empty means `DefaultTracks`.
	#[pallet::storage]
	pub type Tracks<T: Config> =
		StorageValue<_, BoundedVec<TrackRecordOf<T>, T::MaxTracks>, ValueQuery>;

	/// Vetoed proposals and the leaf calls they dispatch (by call hash), and the block their
	/// cool-off ends.
	#[pallet::storage]
	pub type CoolOffs<T: Config> =
		StorageMap<_, Identity, T::Hash, SystemBlockNumberFor<T>, OptionQuery>;

	/// The block the latest cool-off ends. Until then, `referenda.submit` is checked leaf by
	/// leaf and refused for a proposal that cannot be inspected ([`Pallet::is_proposal_cooling_off`]).
	#[pallet::storage]
	pub type CoolOffsEnd<T: Config> = StorageValue<_, SystemBlockNumberFor<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance changed the parameters of track `id`.
		TrackUpdated { id: TrackIdOf<T, ()> },
		/// Referendum `index` was vetoed; `proposal`, and any proposal dispatching one of `calls`
		/// (the hashes of the leaf calls of `proposal`), cannot be submitted until `until`.
		Vetoed {
			index: ReferendumIndex,
			proposal: T::Hash,
			calls: BoundedVec<T::Hash, T::MaxLeafCalls>,
			until: SystemBlockNumberFor<T>,
		},
		/// The cool-off of `proposal` (a proposal or a leaf call hash) ended and was cleared.
		CoolOffCleared { proposal: T::Hash },
		/// The submission deposit of rejected referendum `index` was refunded to `who`.
		SubmissionDepositRefunded { index: ReferendumIndex, who: T::AccountId, amount: BalanceOf<T> },
		/// The submission deposit of timed-out referendum `index` was slashed from `who`.
		SubmissionDepositSlashed { index: ReferendumIndex, who: T::AccountId, amount: BalanceOf<T> },
		/// Referendum `index` waited outside a full track queue past the undeciding time-out
		/// and was ended as timed out.
		StrandedTimedOut { index: ReferendumIndex },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No track has this id.
		UnknownTrack,
		/// The track table would exceed `MaxTracks` (cannot happen: `set_track` only replaces).
		InvalidTrack,
		/// The referendum does not exist or is not ongoing.
		NotOngoing,
		/// The referendum was neither rejected nor timed out, or its submission deposit was
		/// already settled.
		NothingToSettle,
		/// This proposal is not cooling off.
		NoCoolOff,
		/// The cool-off has not ended yet.
		CoolOffActive,
		/// The referendum is not waiting outside its track queue, or its undeciding time-out
		/// has not passed yet.
		NotStranded,
		/// `max_deciding` must be in `1..=MaxDeciding` (runtime: 1 to 16).
		MaxDecidingOutOfRange,
		/// `decision_deposit` must be in `MinDecisionDeposit..=MaxDecisionDeposit` (runtime:
		/// 10 to 10,000 PRSP).
		DecisionDepositOutOfRange,
		/// `prepare_period` must be in `1..=MaxPeriod` blocks (runtime: 1 block to 90 days).
		PreparePeriodOutOfRange,
		/// `decision_period` must be in `1..=MaxPeriod` blocks (runtime: 1 block to 90 days).
		DecisionPeriodOutOfRange,
		/// `confirm_period` must be in `1..=MaxPeriod` blocks (runtime: 1 block to 90 days).
		ConfirmPeriodOutOfRange,
		/// `min_enactment_period` must be in `1..=MaxPeriod` blocks (runtime: 1 block to 90
		/// days).
		EnactmentPeriodOutOfRange,
		/// `confirm_period` must not exceed `decision_period`.
		ConfirmPeriodTooLong,
		/// `min_approval` must be a non-increasing curve: linear with `floor ≤ ceil`; stepped
		/// with `end ≤ begin`, `step > 0`, `period > 0`; reciprocal with `0 < factor ≤ 1000`,
		/// `10⁻⁶ ≤ x_offset ≤ 1000`, `|y_offset| ≤ 1000`.
		ApprovalCurveMalformed,
		/// `min_approval` must stay at or above 50% at every point (its end included).
		ApprovalCurveBelowMajority,
		/// `min_approval` must fall to at most 90% by the end of the decision period.
		ApprovalCurveTooHigh,
		/// `min_support` must be a non-increasing curve (same rules as `min_approval`).
		SupportCurveMalformed,
		/// `min_support` must start (its highest point) at or below 50%.
		SupportCurveTooHigh,
		/// The reputation house's `min_approval` must be in 50%..=90%.
		ReputationApprovalOutOfRange,
		/// The reputation house's `min_support` must be at most 50%.
		ReputationSupportTooHigh,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Period overrides per track id (e.g. short periods for development chains).
		pub timings: Vec<(u16, TrackTimings<SystemBlockNumberFor<T>>)>,
		/// Reputation-house threshold overrides per track id.
		pub reputation: Vec<(u16, HouseThresholds)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T>
	where
		TrackIdOf<T, ()>: From<u16>,
		SystemBlockNumberFor<T>: Into<BlockNumberFor<T, ()>>,
	{
		fn build(&self) {
			let mut tracks = T::DefaultTracks::get();
			for (id, timings) in &self.timings {
				let record = tracks
					.iter_mut()
					.find(|r| r.track.id == (*id).into())
					.expect("genesis timings name an unknown track");
				record.track.info.prepare_period = timings.prepare_period.into();
				record.track.info.decision_period = timings.decision_period.into();
				record.track.info.confirm_period = timings.confirm_period.into();
				record.track.info.min_enactment_period = timings.min_enactment_period.into();
			}
			for (id, thresholds) in &self.reputation {
				tracks
					.iter_mut()
					.find(|r| r.track.id == (*id).into())
					.expect("genesis thresholds name an unknown track")
					.reputation = *thresholds;
			}
			tracks.sort_by_key(|r| r.track.id);
			for record in &tracks {
				assert!(
					Pallet::<T>::validate_track(&record.track.info, &record.reputation).is_ok(),
					"a genesis track is outside the set_track bounds"
				);
			}
			Tracks::<T>::put(BoundedVec::try_from(tracks).expect("at most MaxTracks tracks"));
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<SystemBlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let defaults = T::DefaultTracks::get();
			assert!(defaults.len() as u32 <= T::MaxTracks::get(), "too many default tracks");
			assert!(
				defaults.windows(2).all(|w| w[0].track.id < w[1].track.id),
				"default tracks must be sorted by id"
			);
			for record in &defaults {
				assert!(
					Pallet::<T>::validate_track(&record.track.info, &record.reputation).is_ok(),
					"a default track is outside the set_track bounds"
				);
			}
			assert!(
				T::MinDecisionDeposit::get() <= T::MaxDecisionDeposit::get(),
				"MinDecisionDeposit exceeds MaxDecisionDeposit"
			);
			assert!(T::MaxDeciding::get() >= 1, "MaxDeciding must be at least 1");
			assert!(
				T::MaxLeafCalls::get() >= 1,
				"MaxLeafCalls must be at least 1, or every proposal is refused during a cool-off"
			);
			assert!(!T::MaxPeriod::get().is_zero(), "MaxPeriod must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: SystemBlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Replace the parameters of track `id` (the name stays). Applies to ongoing referenda
		/// of the track from their next service. Every field must lie within its bounds
		/// ([`Pallet::validate_track`]; each violation has its own error).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_track())]
		pub fn set_track(
			origin: OriginFor<T>,
			id: TrackIdOf<T, ()>,
			info: TrackInfoOf<T>,
			reputation: HouseThresholds,
		) -> DispatchResult {
			T::TrackOrigin::ensure_origin(origin)?;
			Self::validate_track(&info, &reputation)?;
			let mut tracks = Self::track_records();
			let record =
				tracks.iter_mut().find(|r| r.track.id == id).ok_or(Error::<T>::UnknownTrack)?;
			let name = record.track.info.name;
			record.track.info = info;
			record.track.info.name = name;
			record.reputation = reputation;
			Tracks::<T>::put(
				BoundedVec::try_from(tracks).map_err(|_| Error::<T>::InvalidTrack)?,
			);
			Self::deposit_event(Event::TrackUpdated { id });
			Ok(())
		}

		/// Veto an ongoing referendum: cancel it, refund both deposits and bar, for
		/// `VetoCoolOff` blocks, its proposal and every leaf call the proposal dispatches (at
		/// most `MaxLeafCalls`, found through `ProposalCalls`; a proposal that cannot be inspected
		/// bars its own hash and the leaves found before the obstacle). A referendum waiting in
		/// its track's queue leaves it (`pallet-referenda`'s own `cancel` would leave a dead
		/// entry holding a queue place, polkadot-sdk #13236).
		#[pallet::call_index(1)]
		#[pallet::weight(
			<T as Config>::WeightInfo::veto(T::MaxLeafCalls::get())
				.saturating_add(<<T as pallet_referenda::Config>::WeightInfo as pallet_referenda::WeightInfo>::cancel())
				.saturating_add(<T as frame_system::Config>::DbWeight::get().reads_writes(1, 1))
		)]
		pub fn veto(origin: OriginFor<T>, index: ReferendumIndex) -> DispatchResultWithPostInfo {
			T::VetoOrigin::ensure_origin(origin.clone())?;
			let Some(ReferendumInfo::Ongoing(status)) = ReferendumInfoFor::<T>::get(index) else {
				return Err(Error::<T>::NotOngoing.into());
			};
			let proposal = status.proposal.hash();
			// Inspect the proposal before cancelling it (its preimage is still requested).
			let (mut leaves, _) = Self::proposal_calls(&status.proposal);
			leaves.retain(|leaf| *leaf != proposal);
			let calls = BoundedVec::<T::Hash, T::MaxLeafCalls>::truncate_from(leaves);
			pallet_referenda::Pallet::<T>::cancel(origin, index)?;
			// `cancel` leaves a queued referendum in `TrackQueue` (polkadot-sdk #13236): the dead
			// entry would hold one of the `MaxQueued` places until it reached the head. Remove it.
			if status.in_queue {
				pallet_referenda::TrackQueue::<T>::mutate(status.track, |queue| {
					queue.retain(|(i, _)| *i != index)
				});
			}
			// Cancelled referenda refund both deposits; hand them back now through referenda's
			// own refund calls (root may call them), so its `*DepositRefunded` events say so.
			if let Some(ReferendumInfo::Cancelled(_, submission, decision)) =
				ReferendumInfoFor::<T>::get(index)
			{
				if decision.is_some() {
					pallet_referenda::Pallet::<T>::refund_decision_deposit(
						frame_system::RawOrigin::Root.into(),
						index,
					)?;
				}
				if submission.is_some() {
					pallet_referenda::Pallet::<T>::refund_submission_deposit(
						frame_system::RawOrigin::Root.into(),
						index,
					)?;
				}
			}
			let until =
				frame_system::Pallet::<T>::block_number().saturating_add(T::VetoCoolOff::get());
			CoolOffs::<T>::insert(proposal, until);
			for call in calls.iter() {
				CoolOffs::<T>::insert(call, until);
			}
			CoolOffsEnd::<T>::mutate(|end| *end = (*end).max(until));
			let barred = calls.len() as u32;
			Self::deposit_event(Event::Vetoed { index, proposal, calls, until });
			Ok(Some(
				<T as Config>::WeightInfo::veto(barred)
					.saturating_add(<<T as pallet_referenda::Config>::WeightInfo as pallet_referenda::WeightInfo>::cancel())
					.saturating_add(<T as frame_system::Config>::DbWeight::get().reads_writes(1, 1)),
			)
			.into())
		}

		/// Settle the submission deposit `pallet-referenda` leaves reserved after a rejection
		/// (refunded) or a time-out (slashed). Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::settle_submission_deposit())]
		pub fn settle_submission_deposit(
			origin: OriginFor<T>,
			index: ReferendumIndex,
		) -> DispatchResult {
			ensure_signed(origin)?;
			match ReferendumInfoFor::<T>::get(index) {
				Some(ReferendumInfo::Rejected(when, Some(deposit), decision)) => {
					T::Currency::unreserve(&deposit.who, deposit.amount);
					ReferendumInfoFor::<T>::insert(
						index,
						ReferendumInfo::Rejected(when, None, decision),
					);
					Self::deposit_event(Event::SubmissionDepositRefunded {
						index,
						who: deposit.who,
						amount: deposit.amount,
					});
				},
				Some(ReferendumInfo::TimedOut(when, Some(deposit), Some(decision))) => {
					T::Currency::unreserve(&deposit.who, deposit.amount);
					ReferendumInfoFor::<T>::insert(
						index,
						ReferendumInfo::TimedOut(when, None, Some(decision)),
					);
					Self::deposit_event(Event::SubmissionDepositRefunded {
						index,
						who: deposit.who,
						amount: deposit.amount,
					});
				},
				Some(ReferendumInfo::TimedOut(when, Some(deposit), decision)) => {
					let (slashed, _) = T::Currency::slash_reserved(&deposit.who, deposit.amount);
					T::Slash::on_unbalanced(slashed);
					ReferendumInfoFor::<T>::insert(
						index,
						ReferendumInfo::TimedOut(when, None, decision),
					);
					Self::deposit_event(Event::SubmissionDepositSlashed {
						index,
						who: deposit.who,
						amount: deposit.amount,
					});
				},
				_ => return Err(Error::<T>::NothingToSettle.into()),
			}
			Ok(())
		}

		/// End a referendum that has waited outside its full track queue (`in_queue` set, not
		/// queued, not deciding) for longer than `UndecidingTimeout` since submission. Anyone may
		/// call it; the referendum becomes `TimedOut` and its deposits are refundable.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::time_out_stranded())]
		pub fn time_out_stranded(origin: OriginFor<T>, index: ReferendumIndex) -> DispatchResult {
			ensure_signed(origin)?;
			let Some(ReferendumInfo::Ongoing(mut status)) = ReferendumInfoFor::<T>::get(index) else {
				return Err(Error::<T>::NotOngoing.into());
			};
			let queued = pallet_referenda::TrackQueue::<T>::get(status.track)
				.iter()
				.any(|(i, _)| *i == index);
			let now = <T as pallet_referenda::Config>::BlockNumberProvider::current_block_number();
			let timeout = status
				.submitted
				.saturating_add(<T as pallet_referenda::Config>::UndecidingTimeout::get());
			ensure!(
				status.in_queue && !queued && status.deciding.is_none() && now >= timeout,
				Error::<T>::NotStranded
			);
			if let Some((_, alarm)) = status.alarm.take() {
				let _ = <T as pallet_referenda::Config>::Scheduler::cancel(alarm);
			}
			ReferendumInfoFor::<T>::insert(
				index,
				ReferendumInfo::TimedOut(
					now,
					Some(status.submission_deposit),
					status.decision_deposit,
				),
			);
			Self::deposit_event(Event::StrandedTimedOut { index });
			Ok(())
		}

		/// Remove an ended cool-off from storage. Anyone may call it.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::clear_cool_off())]
		pub fn clear_cool_off(origin: OriginFor<T>, proposal: T::Hash) -> DispatchResult {
			ensure_signed(origin)?;
			let until = CoolOffs::<T>::get(proposal).ok_or(Error::<T>::NoCoolOff)?;
			ensure!(
				frame_system::Pallet::<T>::block_number() >= until,
				Error::<T>::CoolOffActive
			);
			CoolOffs::<T>::remove(proposal);
			Self::deposit_event(Event::CoolOffCleared { proposal });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The track table in force (stored, or the defaults).
		pub fn track_records() -> Vec<TrackRecordOf<T>> {
			let stored = Tracks::<T>::get();
			if stored.is_empty() {
				T::DefaultTracks::get()
			} else {
				stored.into_inner()
			}
		}

		/// Whether a proposal or call with this hash is barred after a veto.
		pub fn is_cooling_off(proposal: &T::Hash) -> bool {
			CoolOffs::<T>::get(proposal)
				.is_some_and(|until| frame_system::Pallet::<T>::block_number() < until)
		}

		/// Whether a cool-off is active (some veto's cool-off has not ended yet).
		pub fn any_cool_off_active() -> bool {
			frame_system::Pallet::<T>::block_number() < CoolOffsEnd::<T>::get()
		}

		/// The hashes of the distinct leaf calls `proposal` dispatches (at most `MaxLeafCalls`)
		/// and whether the list is complete.
		pub fn proposal_calls(
			proposal: &BoundedCallOf<T, ()>,
		) -> (Vec<T::Hash>, Result<(), Uninspectable>) {
			let mut leaves = Vec::new();
			let complete =
				T::ProposalCalls::leaf_hashes(proposal, T::MaxLeafCalls::get(), &mut leaves);
			(leaves, complete)
		}

		/// Whether `referenda.refund_decision_deposit(index)` may run now: not while `index`
		/// timed out with both deposits still held. `settle_submission_deposit` refunds a
		/// timed-out referendum's submission deposit only while its decision deposit is still
		/// recorded (someone backed it), so a decision-deposit refund run first would turn that
		/// refund into a slash, and anyone may call it. **A runtime must refuse
		/// `refund_decision_deposit` in its call filter while this is false**; settling the
		/// submission deposit (anyone may) makes it true. One read.
		pub fn decision_refund_allowed(index: ReferendumIndex) -> bool {
			!matches!(
				ReferendumInfoFor::<T>::get(index),
				Some(ReferendumInfo::TimedOut(_, Some(_), Some(_)))
			)
		}

		/// Whether `referenda.submit` of `proposal` must be refused (the runtime's call filter
		/// asks this):
		/// - its hash is cooling off; or
		/// - it cannot be inspected ([`Uninspectable`]: its preimage is not noted yet, it is too
		///   large, nests too deep, or dispatches more distinct calls than a veto can bar), since
		///   it could hide a vetoed call now, or pad a vetoed call past what a later veto bars;
		///   or, while any cool-off is active,
		/// - the hash of one of its leaf calls is cooling off (a vetoed call wrapped in a batch,
		///   a schedule, a whitelisted dispatch... or a call of a vetoed batch on its own).
		///
		/// Bounded: the `ProposalCalls` walk (bounded by its own limits) and at most
		/// `MaxLeafCalls + 2` reads of this pallet. The runtime charges it to `referenda.submit`.
		pub fn is_proposal_cooling_off(proposal: &BoundedCallOf<T, ()>) -> bool {
			if Self::is_cooling_off(&proposal.hash()) {
				return true;
			}
			let (leaves, complete) = Self::proposal_calls(proposal);
			if complete.is_err() {
				return true;
			}
			Self::any_cool_off_active() && leaves.iter().any(|leaf| Self::is_cooling_off(leaf))
		}

		/// Checks every field of a track against its bounds; each violation has its own error.
		///
		/// | field | range |
		/// |---|---|
		/// | `max_deciding` | `1..=MaxDeciding` |
		/// | `decision_deposit` | `MinDecisionDeposit..=MaxDecisionDeposit` |
		/// | `prepare_period`, `decision_period`, `confirm_period`, `min_enactment_period` | `MIN_PERIOD..=MaxPeriod` |
		/// | `confirm_period` | `≤ decision_period` |
		/// | `min_approval` | well-formed ([`curve_range`]), every point `≥ MIN_APPROVAL`, end `≤ MAX_APPROVAL` |
		/// | `min_support` | well-formed, start `≤ MAX_SUPPORT` |
		/// | reputation `min_approval` | `MIN_APPROVAL..=MAX_APPROVAL` |
		/// | reputation `min_support` | `≤ MAX_SUPPORT` |
		pub fn validate_track(
			info: &TrackInfoOf<T>,
			reputation: &HouseThresholds,
		) -> Result<(), Error<T>> {
			ensure!(
				info.max_deciding >= 1 && info.max_deciding <= T::MaxDeciding::get(),
				Error::<T>::MaxDecidingOutOfRange
			);
			ensure!(
				info.decision_deposit >= T::MinDecisionDeposit::get() &&
					info.decision_deposit <= T::MaxDecisionDeposit::get(),
				Error::<T>::DecisionDepositOutOfRange
			);
			let min_period: BlockNumberFor<T, ()> = MIN_PERIOD.into();
			let max_period = T::MaxPeriod::get();
			let period_ok =
				|period: BlockNumberFor<T, ()>| period >= min_period && period <= max_period;
			ensure!(period_ok(info.prepare_period), Error::<T>::PreparePeriodOutOfRange);
			ensure!(period_ok(info.decision_period), Error::<T>::DecisionPeriodOutOfRange);
			ensure!(period_ok(info.confirm_period), Error::<T>::ConfirmPeriodOutOfRange);
			ensure!(period_ok(info.min_enactment_period), Error::<T>::EnactmentPeriodOutOfRange);
			ensure!(info.confirm_period <= info.decision_period, Error::<T>::ConfirmPeriodTooLong);
			let (_, approval_end) =
				curve_range(&info.min_approval).ok_or(Error::<T>::ApprovalCurveMalformed)?;
			// The curve is non-increasing: its end is its lowest point.
			ensure!(approval_end >= MIN_APPROVAL, Error::<T>::ApprovalCurveBelowMajority);
			ensure!(approval_end <= MAX_APPROVAL, Error::<T>::ApprovalCurveTooHigh);
			let (support_start, _) =
				curve_range(&info.min_support).ok_or(Error::<T>::SupportCurveMalformed)?;
			ensure!(support_start <= MAX_SUPPORT, Error::<T>::SupportCurveTooHigh);
			ensure!(
				reputation.min_approval >= MIN_APPROVAL && reputation.min_approval <= MAX_APPROVAL,
				Error::<T>::ReputationApprovalOutOfRange
			);
			ensure!(reputation.min_support <= MAX_SUPPORT, Error::<T>::ReputationSupportTooHigh);
			Ok(())
		}

		/// Invariants, including the `pallet-referenda` queue bugs polkadot-sdk #12451 and
		/// #13236: every queued referendum is queued once and is either ongoing, on that track
		/// and marked `in_queue`, or a dead entry of a referendum `Cancelled` or `Killed` while
		/// queued; `DecidingCount` matches the deciding referenda; tracks are sorted and valid.
		///
		/// Dead entries: `pallet-referenda`'s own `cancel` and `kill` leave a queued referendum
		/// in `TrackQueue` (#13236) until it reaches the head, where `next_for_deciding` skips
		/// it. `veto` removes its entry, but governance's direct `referenda.cancel` /
		/// `referenda.kill` (only reachable by the cancel and kill origins) still leave one, so
		/// such entries are tolerated; any other ended referendum in a queue is a bug.
		///
		/// A referendum marked `in_queue` but not queued waits outside a full queue (#12451);
		/// `time_out_stranded` ends it after the undeciding time-out.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let tracks = Self::track_records();
			ensure!(tracks.windows(2).all(|w| w[0].track.id < w[1].track.id), "tracks unsorted");
			ensure!(
				tracks.iter().all(|r| Self::validate_track(&r.track.info, &r.reputation).is_ok()),
				"a track is outside the set_track bounds"
			);
			let end = CoolOffsEnd::<T>::get();
			ensure!(
				CoolOffs::<T>::iter_values().all(|until| until <= end),
				"a cool-off ends after CoolOffsEnd"
			);
			let mut deciding: BTreeMap<TrackIdOf<T, ()>, u32> = BTreeMap::new();
			let mut queued_flags: BTreeMap<ReferendumIndex, TrackIdOf<T, ()>> = BTreeMap::new();
			for (index, info) in ReferendumInfoFor::<T>::iter() {
				if let ReferendumInfo::Ongoing(status) = info {
					if status.deciding.is_some() {
						*deciding.entry(status.track).or_default() += 1;
					}
					if status.in_queue {
						queued_flags.insert(index, status.track);
					}
				}
			}
			for record in &tracks {
				let id = record.track.id;
				// Never below the deciding referenda. It may be above: a referendum that stops
				// deciding lowers the count only through the `one_fewer_deciding` alarm it
				// schedules for the next block (the fuzzer checks the exact count, alarms included).
				ensure!(
					pallet_referenda::DecidingCount::<T>::get(id) >=
						deciding.get(&id).copied().unwrap_or(0),
					"DecidingCount is below the deciding referenda"
				);
				let queue = pallet_referenda::TrackQueue::<T>::get(id);
				let mut seen = alloc::collections::btree_set::BTreeSet::new();
				for (index, _) in queue.iter() {
					ensure!(seen.insert(*index), "a referendum is queued twice");
					// A dead entry left by governance's `referenda.cancel` / `referenda.kill`
					// (polkadot-sdk #13236): skipped once it reaches the head.
					if matches!(
						ReferendumInfoFor::<T>::get(index),
						Some(ReferendumInfo::Cancelled(..) | ReferendumInfo::Killed(..))
					) {
						continue;
					}
					ensure!(
						queued_flags.remove(index) == Some(id),
						"a queued referendum is not ongoing, not on this track or not in_queue"
					);
				}
			}
			// No queue under a track the runtime does not know.
			ensure!(
				pallet_referenda::TrackQueue::<T>::iter_keys()
					.all(|id| tracks.iter().any(|r| r.track.id == id)),
				"a track queue exists for an unknown track"
			);
			// What remains in `queued_flags` waits outside a full queue; `time_out_stranded`
			// ends it after the undeciding time-out.
			Ok(())
		}
	}

	impl<T: Config> ReputationHouse<TrackIdOf<T, ()>> for Pallet<T> {
		fn thresholds(class: &TrackIdOf<T, ()>) -> HouseThresholds {
			Self::track_records()
				.into_iter()
				.find(|r| r.track.id == *class)
				.map(|r| r.reputation)
				// An unknown class cannot pass: require everything.
				.unwrap_or(HouseThresholds {
					min_approval: sp_runtime::Perbill::one(),
					min_support: sp_runtime::Perbill::one(),
				})
		}
	}
}
