//! Epochs, points and claims: the reward-per-point accumulator.
//!
//! Points are only earned in the open epoch, and an epoch's reward per point is fixed when it
//! closes, so an account's unclaimed rewards are `unclaimed + Σ_pools points × rate(epoch)`:
//! one closed-epoch read, whatever the number of epochs or accounts. Whenever an account earns
//! points in a later epoch, or claims, its old points are valued first (the "settle before the
//! shares change" rule of reward-per-share schemes).

use crate::{pallet::*, rewards, EpochIndex, PendingRewards, PerPool, Points, RewardPool};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// Opens epoch 0 at `now` and gives the pot its existential deposit, so that claims can
	/// empty it to the last planck of rewards without reaping it.
	pub(crate) fn start_rewards(now: BlockNumberFor<T>, params: &ParamsOf<T>) {
		let pot = Self::pot_account();
		let ed = T::Currency::minimum_balance();
		if T::Currency::balance(&pot) < ed {
			if let Err(e) = T::Currency::mint_into(&pot, ed) {
				log::error!(target: "runtime::contributions", "cannot endow the reward pot: {e:?}");
			}
		}
		CurrentEpoch::<T>::put(EpochStateOf::<T> {
			index: 0,
			started_at: now,
			ends_at: now.saturating_add(params.epoch_length),
			points: PerPool::default(),
		});
	}

	/// Closes `epoch`: mints each pool's share of the emission (pools without points get
	/// nothing) and fixes its reward per point. O(pools); never touches accounts.
	pub(crate) fn close_epoch(now: BlockNumberFor<T>, epoch: EpochStateOf<T>) {
		let Some(params) = Params::<T>::get() else { return };
		let planned = rewards::pool_rewards(
			params.epoch_emission.saturated_into(),
			&params.pool_weights,
			&epoch.points,
		);
		let pot = Self::pot_account();
		let minted = PerPool::<BalanceOf<T>>::from_fn(|pool| {
			let amount: BalanceOf<T> = (*planned.get(pool)).saturated_into();
			if amount.is_zero() {
				return amount;
			}
			T::Currency::mint_into(&pot, amount).unwrap_or_else(|e| {
				log::error!(target: "runtime::contributions", "cannot mint {pool:?} rewards: {e:?}");
				Zero::zero()
			})
		});
		ClosedEpochs::<T>::insert(
			epoch.index,
			ClosedEpochOf::<T> { closed_at: now, points: epoch.points, rewards: minted },
		);
		CurrentEpoch::<T>::put(EpochStateOf::<T> {
			index: epoch.index.saturating_add(1),
			started_at: now,
			ends_at: now.saturating_add(params.epoch_length),
			points: PerPool::default(),
		});
		Self::deposit_event(Event::EpochClosed { epoch: epoch.index, points: epoch.points, rewards: minted });
	}

	/// Values `earnings`' points if their epoch has closed (moving them into `unclaimed`) and
	/// moves the record to the open epoch `current`.
	pub(crate) fn accrue(earnings: &mut EarningsOf<T>, current: EpochIndex) {
		if earnings.epoch >= current {
			return;
		}
		if let Some(closed) = ClosedEpochs::<T>::get(earnings.epoch) {
			let value = Self::value_of_points(&earnings.points, &closed);
			earnings.unclaimed = earnings.unclaimed.saturating_add(value);
		}
		earnings.points = PerPool::default();
		earnings.epoch = current;
	}

	fn value_of_points(points: &PerPool<Points>, closed: &ClosedEpochOf<T>) -> BalanceOf<T> {
		RewardPool::ALL
			.iter()
			.map(|pool| {
				let reward: u128 = (*closed.rewards.get(*pool)).saturated_into();
				rewards::share_of(*points.get(*pool), reward, *closed.points.get(*pool))
			})
			.fold(0u128, |acc, v| acc.saturating_add(v))
			.saturated_into()
	}

	/// Credits `points` in `pool` to `who` in the open `epoch` (the caller writes `epoch` back).
	pub(crate) fn credit(who: &T::AccountId, pool: RewardPool, points: Points, epoch: &mut EpochStateOf<T>) {
		if points.is_zero() {
			return;
		}
		let mut earnings = AccountEarnings::<T>::get(who).unwrap_or(EarningsOf::<T> {
			epoch: epoch.index,
			..Default::default()
		});
		Self::accrue(&mut earnings, epoch.index);
		let earned = earnings.points.get_mut(pool);
		*earned = earned.saturating_add(points);
		let total = epoch.points.get_mut(pool);
		*total = total.saturating_add(points);
		AccountEarnings::<T>::insert(who, earnings);
	}

	/// Index of the open epoch (0 before rewards start: no account has earnings then).
	fn open_epoch_index() -> EpochIndex {
		CurrentEpoch::<T>::get().map(|e| e.index).unwrap_or_default()
	}

	/// Pays `who` everything valued so far. A record worth nothing once valued (its points were
	/// earned in epochs that minted nothing for their pools, or rounded down to nothing) and
	/// holding no points of the open epoch is removed by a claim of 0; one still holding points
	/// of the open epoch fails with `NothingToClaim`.
	pub(crate) fn do_claim(who: &T::AccountId) -> DispatchResult {
		let mut earnings = AccountEarnings::<T>::get(who).ok_or(Error::<T>::NothingToClaim)?;
		let current = Self::open_epoch_index();
		Self::accrue(&mut earnings, current);
		let amount = earnings.unclaimed;
		let open_points = earnings.points != PerPool::default();
		// Nothing valued: fail while points of the open epoch remain (they become claimable
		// when it closes); otherwise the record is worthless and the claim of 0 removes it.
		ensure!(!amount.is_zero() || !open_points, Error::<T>::NothingToClaim);
		if !amount.is_zero() {
			T::Currency::transfer(&Self::pot_account(), who, amount, Preservation::Preserve)?;
		}
		earnings.unclaimed = Zero::zero();
		if open_points {
			AccountEarnings::<T>::insert(who, earnings);
		} else {
			AccountEarnings::<T>::remove(who);
		}
		Self::deposit_event(Event::RewardsClaimed { who: who.clone(), amount });
		Ok(())
	}

	/// `who`'s claimable rewards and points in the open epoch (runtime API).
	pub fn pending_rewards(who: &T::AccountId) -> PendingRewards<BalanceOf<T>> {
		let current = Self::open_epoch_index();
		let mut earnings = AccountEarnings::<T>::get(who).unwrap_or_default();
		Self::accrue(&mut earnings, current);
		PendingRewards {
			claimable: earnings.unclaimed,
			epoch: current,
			points_this_epoch: earnings.points,
		}
	}

	/// Invariants:
	/// - no earnings record is stored empty (no unclaimed rewards and no points); one may be
	///   worth nothing once valued, if its epoch minted nothing for its pools;
	/// - the pot holds at least everything claimable plus its existential deposit;
	/// - the open epoch's points are the sum of the accounts' points in it;
	/// - deposits held equal the deposits recorded, per owner;
	/// - registration commitment deposits held equal the commitments' deposits, per maker, and
	///   no commitment is from a future block;
	/// - retired contributions keep no URI or metadata;
	/// - content hashes and scoring tasks index exactly the contributions they name (an unscored
	///   contribution, with or without a past task, has no scoring task);
	/// - a contribution never evaluated (unscored without a task) is not retired;
	/// - every accepted or rejected contribution's task settled with the recorded quality (as
	///   long as the evaluation pallet keeps the task: it prunes finished tasks after
	///   `TaskRetention` blocks).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use crate::{rewards::quality, ContributionStatus, EvaluationTasks, HoldReason};
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let current = CurrentEpoch::<T>::get();
		let mut owed = BalanceOf::<T>::zero();
		let mut open_points = PerPool::<Points>::default();
		for earnings in AccountEarnings::<T>::iter_values() {
			let mut valued = earnings;
			if let Some(epoch) = &current {
				ensure!(earnings.epoch <= epoch.index, "earnings from a future epoch");
				if earnings.epoch == epoch.index {
					for pool in RewardPool::ALL {
						let total = open_points.get_mut(pool);
						*total = total.saturating_add(*earnings.points.get(pool));
					}
				}
				Self::accrue(&mut valued, epoch.index);
			}
			// A record is created with points and removed by the claim that empties it, so it is
			// never empty as stored. It may be worth nothing once valued (`valued` empty): an
			// epoch that minted nothing for its pools (`epoch_emission` or a pool weight set to
			// 0) or rounded its share down to 0. Such a record stays until its owner claims
			// (a claim of 0 removes it), so it is not checked after valuation.
			ensure!(
				!earnings.unclaimed.is_zero() || earnings.points != PerPool::default(),
				"empty earnings record kept"
			);
			owed = owed.saturating_add(valued.unclaimed);
		}
		if let Some(epoch) = &current {
			ensure!(open_points == epoch.points, "open epoch points differ from the accounts' sum");
			let pot = T::Currency::balance(&Self::pot_account());
			ensure!(
				pot >= owed.saturating_add(T::Currency::minimum_balance()),
				"the pot cannot pay what is claimable"
			);
		}

		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, c) in Registry::<T>::iter() {
			ensure!(ByContentHash::<T>::get(c.content_hash) == Some(id), "content hash index broken");
			let held = deposits.entry(c.owner.clone()).or_default();
			*held = held.saturating_add(c.deposit);
			match c.status {
				ContributionStatus::Evaluating { task } => {
					ensure!(ScoringTasks::<T>::get(task) == Some(id), "evaluating without a scoring task");
					ensure!(!c.retired, "a retired contribution is being evaluated");
				},
				ContributionStatus::Accepted { task, quality: q, .. } |
				ContributionStatus::Rejected { task, quality: q } => {
					// `None` once the evaluation pallet pruned the finished task.
					if let Some(consensus) = T::Evaluation::consensus_of(task) {
						ensure!(quality(&consensus) == q, "recorded quality differs from the consensus");
					}
				},
				// No scoring task names it (checked below). `None`: registered when no task
				// could be opened, and never evaluated since, so `retire` refused it.
				ContributionStatus::Unscored { task } => {
					ensure!(task.is_some() || !c.retired, "a never-evaluated contribution was retired");
				},
			}
			if matches!(c.status, ContributionStatus::Rejected { .. }) {
				ensure!(c.deposit.is_zero(), "a rejected contribution still holds a deposit");
			}
			if c.retired {
				ensure!(c.deposit.is_zero(), "a retired contribution still holds a deposit");
				ensure!(
					c.uri.is_empty() && c.metadata.is_empty(),
					"a retired contribution keeps its URI or metadata"
				);
			}
		}
		for (task, id) in ScoringTasks::<T>::iter() {
			let c = Registry::<T>::get(id).ok_or("scoring task for an unknown contribution")?;
			ensure!(
				c.status == ContributionStatus::Evaluating { task },
				"scoring task of a contribution not being evaluated"
			);
		}
		for (owner, total) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ContributionDeposit.into(), &owner) == total,
				"held deposits differ from the recorded ones"
			);
		}
		let now = frame_system::Pallet::<T>::block_number();
		let mut commitment_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (maker, _, committed) in RegistrationCommitments::<T>::iter() {
			ensure!(committed.made_at <= now, "a registration commitment from a future block");
			let held = commitment_deposits.entry(maker).or_default();
			*held = held.saturating_add(committed.deposit);
		}
		for (maker, total) in commitment_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RegistrationCommitment.into(), &maker) == total,
				"held commitment deposits differ from the recorded ones"
			);
		}
		ensure!(
			ByContentHash::<T>::iter().count() == Registry::<T>::iter().count(),
			"content hash index has extra entries"
		);
		Ok(())
	}
}
