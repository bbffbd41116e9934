//! Turning a settled evaluation task into a verdict on the contribution it scored: points and
//! royalties for accepted contributions, a partly burnt deposit for rejected ones, and
//! participation points for the accurate evaluators: `PARTICIPATION_POINTS` per panel seat,
//! so N accounts holding `s` seats between them earn exactly what one account with `s` seats
//! earns (splitting a stake into Sybils gains nothing).

use crate::{
	pallet::*,
	rewards::{self, PARTICIPATION_POINTS, POINTS_PER_QUALITY},
	ContributionId, ContributionStatus, OnTaskSettled, Points, RewardPool, SettledTask, WeightInfo,
};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision},
	},
};
use perspective_primitives::{ReputationReason, ReputationUpdater};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Upper bound of scoring one contribution (what the evaluation pallet reserves for us).
	pub(crate) fn max_settlement_weight() -> Weight {
		let participants = T::MaxParticipants::get();
		T::WeightInfo::on_task_settled_accepted(participants)
			.max(T::WeightInfo::on_task_settled_rejected(participants))
			.saturating_add(T::Reputation::update_weight())
	}

	/// Credits `points` earned by a contribution (owned by `owner`, deriving from `parents`):
	/// a `royalty` share goes to each accepted, live parent, which passes the same share on to
	/// its own parents for `depth` more generations; the owner keeps the rest. Returns the
	/// owner's part.
	fn credit_with_royalties(
		from: ContributionId,
		owner: &T::AccountId,
		parents: &[ContributionId],
		points: Points,
		pool: RewardPool,
		params: &ParamsOf<T>,
		depth: u32,
		epoch: &mut EpochStateOf<T>,
	) -> Points {
		let eligible: Vec<(ContributionId, T::AccountId, Vec<ContributionId>)> =
			if depth.is_zero() || params.royalty.is_zero() {
				Vec::new()
			} else {
				parents
					.iter()
					.filter_map(|id| {
						let c = Registry::<T>::get(id)?;
						let live = !c.retired && matches!(c.status, ContributionStatus::Accepted { .. });
						live.then(|| (*id, c.owner, c.parents.into_inner()))
					})
					.collect()
			};
		let (kept, share) = rewards::royalty_split(points, params.royalty, eligible.len() as u32);
		Self::credit(owner, pool, kept, epoch);
		if !share.is_zero() {
			for (parent, parent_owner, grandparents) in eligible {
				Self::deposit_event(Event::RoyaltyCredited { from, to: parent, points: share });
				Self::credit_with_royalties(
					parent,
					&parent_owner,
					&grandparents,
					share,
					pool,
					params,
					depth - 1,
					epoch,
				);
			}
		}
		kept
	}

	fn score(id: ContributionId, settled: &SettledTask<T::AccountId>, epoch: &mut EpochStateOf<T>) -> Weight {
		// At most `MaxParticipants` accounts (a panel has at most `MaxPanelSize` members, so in
		// practice all of them), each credited per seat.
		let credited: Vec<&(T::AccountId, u32)> = settled
			.accurate
			.iter()
			.filter(|(_, seats)| *seats > 0)
			.take(T::MaxParticipants::get() as usize)
			.collect();
		let participants = credited.len() as u32;
		let seats = credited.iter().fold(0u32, |total, (_, s)| total.saturating_add(*s));
		let (Some(mut record), Some(params)) = (Registry::<T>::get(id), Params::<T>::get()) else {
			return T::DbWeight::get().reads(3);
		};
		let mut hook_weight = Weight::zero();
		let weight = match &settled.consensus {
			None => {
				record.status = ContributionStatus::Unscored { task: Some(settled.task) };
				Self::deposit_event(Event::ContributionUnscored { id, task: settled.task });
				T::WeightInfo::on_task_settled_rejected(participants)
			},
			Some(consensus) => {
				let quality = rewards::quality(consensus);
				if quality >= params.acceptance_threshold {
					let points = Points::from(quality).saturating_mul(POINTS_PER_QUALITY);
					let kept = Self::credit_with_royalties(
						id,
						&record.owner,
						&record.parents,
						points,
						record.kind.into(),
						&params,
						params.royalty_depth,
						epoch,
					);
					record.status = ContributionStatus::Accepted {
						task: settled.task,
						quality,
						points,
						epoch: epoch.index,
					};
					T::Reputation::reward(
						&record.owner,
						params.acceptance_reputation,
						ReputationReason::AcceptedContribution,
					);
					Self::deposit_event(Event::ContributionAccepted { id, quality, points, kept });
					T::WeightInfo::on_task_settled_accepted(participants)
				} else {
					let (slashed, refunded) = Self::slash_deposit(&record.owner, record.deposit, &params);
					record.deposit = Zero::zero();
					record.status = ContributionStatus::Rejected { task: settled.task, quality };
					let (_, used) = T::Reputation::penalize(
						&record.owner,
						params.rejection_penalty,
						ReputationReason::RejectedContribution,
					);
					hook_weight = used;
					Self::deposit_event(Event::ContributionRejected { id, quality, slashed, refunded });
					T::WeightInfo::on_task_settled_rejected(participants)
				}
			},
		};
		Registry::<T>::insert(id, record);

		if participants > 0 {
			for (evaluator, held) in credited {
				let points = PARTICIPATION_POINTS.saturating_mul(*held as Points);
				Self::credit(evaluator, RewardPool::Participation, points, epoch);
			}
			Self::deposit_event(Event::ParticipationCredited {
				task: settled.task,
				evaluators: participants,
				seats,
				points_per_seat: PARTICIPATION_POINTS,
			});
		}
		weight.saturating_add(hook_weight)
	}

	/// Burns `rejection_slash` of `deposit` and releases the rest; returns (burnt, released).
	fn slash_deposit(
		owner: &T::AccountId,
		deposit: BalanceOf<T>,
		params: &ParamsOf<T>,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let reason = HoldReason::ContributionDeposit.into();
		let slash = params.rejection_slash.mul_floor(deposit);
		let slashed = T::Currency::burn_held(&reason, owner, slash, Precision::BestEffort, Fortitude::Force)
			.unwrap_or_default();
		let refunded = T::Currency::release(&reason, owner, deposit.saturating_sub(slashed), Precision::BestEffort)
			.unwrap_or_default();
		(slashed, refunded)
	}
}

impl<T: Config> OnTaskSettled<T::AccountId> for Pallet<T> {
	fn on_task_settled(settled: &SettledTask<T::AccountId>) -> Weight {
		let Some(id) = ScoringTasks::<T>::take(settled.task) else {
			// Not a contribution's task (anyone can open tasks): no points for it.
			return T::DbWeight::get().reads(1);
		};
		let Some(mut epoch) = CurrentEpoch::<T>::get() else {
			return T::DbWeight::get().reads_writes(2, 1);
		};
		let weight = Self::score(id, settled, &mut epoch);
		CurrentEpoch::<T>::put(epoch);
		weight
	}

	fn max_weight() -> Weight {
		Self::max_settlement_weight()
	}
}
