//! # Referenda admin
//!
//! Perspective's extensions around `pallet-referenda`:
//!
//! - **Governance-set tracks.** The track table (periods, deposits, curves of the token house)
//!   and each track's reputation-house thresholds live in storage, so governance can tune them
//!   with a call instead of a runtime upgrade. The runtime's `TracksInfo` reads them from here.
//! - **Council veto with cool-off.** `veto` cancels an ongoing referendum (both deposits are
//!   refunded at once) and bars the same proposal from being submitted again for
//!   `VetoCoolOff` blocks (the runtime's call filter asks [`Pallet::is_cooling_off`]).
//! - **No stranded deposits.** `pallet-referenda` keeps the submission deposit of a rejected or
//!   timed-out referendum reserved forever (polkadot-sdk #1690). `settle_submission_deposit`
//!   refunds it after a rejection or after a time-out of a referendum whose decision deposit was
//!   placed (it was serious but never got a decision slot), and slashes it after a time-out
//!   without a decision deposit (nobody backed it).
//! - **No stranded referenda.** A referendum waiting for a full track's queue keeps
//!   `in_queue = true` without being in the queue and is exempt from the undeciding time-out
//!   forever (polkadot-sdk #12451). `time_out_stranded` ends such a referendum as `TimedOut`
//!   once `UndecidingTimeout` has passed since its submission, like any undecided referendum.
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

pub mod weights;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

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
		BalanceOf, BlockNumberFor, ReferendumIndex, ReferendumInfo, ReferendumInfoFor, Track,
		TrackIdOf, TrackInfoOf,
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
		/// Blocks during which a vetoed proposal cannot be submitted again.
		#[pallet::constant]
		type VetoCoolOff: Get<SystemBlockNumberFor<Self>>;
		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The track table, sorted by id. Empty means `DefaultTracks`.
	#[pallet::storage]
	pub type Tracks<T: Config> =
		StorageValue<_, BoundedVec<TrackRecordOf<T>, T::MaxTracks>, ValueQuery>;

	/// Vetoed proposals (by call hash) and the block their cool-off ends.
	#[pallet::storage]
	pub type CoolOffs<T: Config> =
		StorageMap<_, Identity, T::Hash, SystemBlockNumberFor<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance changed the parameters of track `id`.
		TrackUpdated { id: TrackIdOf<T, ()> },
		/// Referendum `index` was vetoed; `proposal` cannot be submitted again until `until`.
		Vetoed { index: ReferendumIndex, proposal: T::Hash, until: SystemBlockNumberFor<T> },
		/// The cool-off of `proposal` ended and was cleared.
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
		/// A track needs `max_deciding` and `decision_period` greater than zero.
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
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: SystemBlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Replace the parameters of track `id` (the name stays). Applies to ongoing referenda
		/// of the track from their next service.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_track())]
		pub fn set_track(
			origin: OriginFor<T>,
			id: TrackIdOf<T, ()>,
			info: TrackInfoOf<T>,
			reputation: HouseThresholds,
		) -> DispatchResult {
			T::TrackOrigin::ensure_origin(origin)?;
			ensure!(
				info.max_deciding > 0 && !info.decision_period.is_zero(),
				Error::<T>::InvalidTrack
			);
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

		/// Veto an ongoing referendum: cancel it, refund both deposits and bar its proposal for
		/// `VetoCoolOff` blocks.
		#[pallet::call_index(1)]
		#[pallet::weight(
			<T as Config>::WeightInfo::veto()
				.saturating_add(<<T as pallet_referenda::Config>::WeightInfo as pallet_referenda::WeightInfo>::cancel())
		)]
		pub fn veto(origin: OriginFor<T>, index: ReferendumIndex) -> DispatchResult {
			T::VetoOrigin::ensure_origin(origin.clone())?;
			let Some(ReferendumInfo::Ongoing(status)) = ReferendumInfoFor::<T>::get(index) else {
				return Err(Error::<T>::NotOngoing.into());
			};
			let proposal = status.proposal.hash();
			pallet_referenda::Pallet::<T>::cancel(origin, index)?;
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
			Self::deposit_event(Event::Vetoed { index, proposal, until });
			Ok(())
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

		/// Whether a proposal with this call hash is barred after a veto.
		pub fn is_cooling_off(proposal: &T::Hash) -> bool {
			CoolOffs::<T>::get(proposal)
				.is_some_and(|until| frame_system::Pallet::<T>::block_number() < until)
		}

		/// Invariants, including the `pallet-referenda` queue bugs polkadot-sdk #12451 and
		/// #13236: every queued referendum is ongoing, on that track, marked `in_queue` and
		/// queued once; every referendum marked `in_queue` is really queued; `DecidingCount`
		/// matches the deciding referenda; tracks are sorted and valid.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let tracks = Self::track_records();
			ensure!(tracks.windows(2).all(|w| w[0].track.id < w[1].track.id), "tracks unsorted");
			ensure!(
				tracks
					.iter()
					.all(|r| r.track.info.max_deciding > 0 && !r.track.info.decision_period.is_zero()),
				"invalid track"
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
				ensure!(
					pallet_referenda::DecidingCount::<T>::get(id) ==
						deciding.get(&id).copied().unwrap_or(0),
					"DecidingCount differs from the deciding referenda"
				);
				let queue = pallet_referenda::TrackQueue::<T>::get(id);
				let mut seen = alloc::collections::btree_set::BTreeSet::new();
				for (index, _) in queue.iter() {
					ensure!(seen.insert(*index), "a referendum is queued twice");
					ensure!(
						queued_flags.remove(index) == Some(id),
						"a queued referendum is not ongoing, not on this track or not in_queue"
					);
				}
			}
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
