//! Settlement: turns a finished task's reveals into a consensus, payouts, slashes and
//! reputation changes, and the hook that settles due tasks a bounded number per block.

use crate::{consensus, disputes::CreditOf, *};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, InspectHold, MutateHold},
		tokens::Precision,
		Imbalance,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use perspective_primitives::{ReputationReason, ReputationUpdater};
use sp_arithmetic::Perbill;
use sp_runtime::{
	traits::{Saturating, Zero},
	SaturatedConversion,
};

/// Reputation an accurate evaluator gains: `accuracy_reward × seats × closeness / best`,
/// rounded down. Linear in seats: N accounts holding `s` seats between them gain what one
/// account with `s` seats gains (up to rounding, which never favours the split).
pub fn reputation_gain(accuracy_reward: u128, seats: u32, closeness: u32, best: u32) -> u128 {
	sp_arithmetic::helpers_128bit::multiply_by_rational_with_rounding(
		accuracy_reward.saturating_mul(seats as u128),
		closeness as u128,
		(best as u128).max(1),
		sp_arithmetic::Rounding::Down,
	)
	.unwrap_or(0)
}

impl<T: Config> Pallet<T> {
	/// Worst-case weight of settling a task with `evaluators` participants, whatever they did:
	/// the worse of the all-revealed and the all-missed benchmarks, plus the worst case of a
	/// reputation update per evaluator (a penalty may re-tally the evaluator's votes, which
	/// the benchmarks cannot see) and of the `OnSettled` hook.
	pub fn settlement_weight(evaluators: u32) -> Weight {
		let pledges = T::MaxAppealBackers::get() as u64;
		Self::measured_settlement_weight(evaluators, Weight::zero())
			// Releasing the pledges of an appeal never funded.
			.saturating_add(T::DbWeight::get().reads_writes(1 + 2 * pledges, 1 + 2 * pledges))
			.saturating_add(T::Reputation::update_weight().saturating_mul(evaluators as u64))
			.saturating_add(T::OnSettled::max_weight())
	}

	/// Weight of a settlement with `evaluators` participants whose hooks reported `hooks`.
	fn measured_settlement_weight(evaluators: u32, hooks: Weight) -> Weight {
		T::WeightInfo::settle_revealed(evaluators)
			.max(T::WeightInfo::settle_missed(evaluators))
			.saturating_add(hooks)
	}

	/// Most lists of due tasks the hook looks at per block: one more than the tasks it may
	/// settle, so it catches up over empty blocks after falling behind.
	pub(crate) fn max_visits() -> u32 {
		T::MaxSettlementsPerBlock::get().saturating_add(1)
	}

	/// The hook never uses more than a quarter of a block.
	pub fn hook_budget() -> Weight {
		<T as frame_system::Config>::BlockWeights::get().max_block / 4
	}

	/// Settles due tasks in the order they became due: at most `MaxSettlementsPerBlock`, and
	/// only while the next task's worst case fits in what is left of [`Self::hook_budget`]
	/// after `spent` (the draws and pruning of this block). Each settled task is then charged
	/// what it actually used (benchmarked settlement + the hooks' reported weight), so cheap
	/// tasks leave room for more. The integrity test checks that a block's worst case fits, so
	/// every task is settled in the block it falls due.
	pub(crate) fn settle_due(now: BlockNumberFor<T>, spent: Weight) -> Weight {
		let budget = Self::hook_budget()
			.saturating_sub(spent)
			.saturating_sub(T::WeightInfo::on_initialize_visits(Self::max_visits()));
		let mut cursor = SettlementCursor::<T>::get().unwrap_or(now);
		let (mut visits, mut settled) = (0u32, 0u32);
		let mut used = Weight::zero();
		while cursor <= now && visits < Self::max_visits() {
			visits += 1;
			let mut due = DueAt::<T>::take(cursor);
			DirectDueAt::<T>::remove(cursor);
			while let Some(&task) = due.last() {
				if settled >= T::MaxSettlementsPerBlock::get() {
					break;
				}
				let record = match Tasks::<T>::get(task) {
					Some(record) if record.status == TaskStatus::Open => record,
					// Pruned, or failed at its draw (it keeps its due slot until then).
					_ => {
						due.pop();
						continue;
					},
				};
				// Every member is settled (and may be penalized), whether it committed or not.
				let members = Panels::<T>::decode_len(task).unwrap_or(0) as u32;
				let worst = Self::settlement_weight(members.max(record.committed));
				if used.saturating_add(worst).any_gt(budget) {
					break;
				}
				due.pop();
				settled += 1;
				let result = frame_support::storage::with_storage_layer(|| Self::do_settle(task, record));
				match result {
					Ok(actual) => used.saturating_accrue(actual),
					Err(e) => {
						// Only possible if storage is inconsistent; the task stays open and
						// anyone's `settle` can retry it.
						log::error!(target: "runtime::evaluation", "settling task {task} failed: {e:?}");
						used.saturating_accrue(worst);
					},
				}
			}
			if !due.is_empty() {
				Self::deposit_event(Event::SettlementDeferred {
					due: cursor,
					remaining: due.len() as u32,
				});
				DueAt::<T>::insert(cursor, due);
				break;
			}
			cursor.saturating_inc();
		}
		SettlementCursor::<T>::put(cursor);
		used.saturating_add(T::WeightInfo::on_initialize_visits(visits))
	}

	/// Settles `task` (open and due). Returns the weight it used.
	pub(crate) fn do_settle(task: TaskId, mut record: TaskRecord<T>) -> Result<Weight, DispatchError> {
		// Slashes change the tree: this block's draws must have read it first.
		Self::ensure_drawn();
		let params = Self::params()?;
		let now = frame_system::Pallet::<T>::block_number();
		// Pledges towards an appeal that was never funded go back.
		let mut hooks = Self::return_pledges(task);
		let evaluations = Evaluations::<T>::take(task);
		let panel = Panels::<T>::get(task).unwrap_or_default();
		let members = panel.len() as u32;
		let mut verdicts: VerdictsOf<T> = BoundedVec::new();

		// No-shows first (drawn, but never committed or never revealed): they are penalized
		// whether or not the task reaches a consensus.
		let mut revealed: Vec<(&T::AccountId, &[Score], u32)> = Vec::new();
		for (who, seats) in panel.iter() {
			let scores = evaluations.iter().find(|e| &e.who == who).and_then(|e| e.scores.as_ref());
			match scores {
				Some(scores) => revealed.push((who, scores.as_slice(), *seats)),
				None => {
					// Burnt (the credit is dropped).
					let (slashed, _, hook) = Self::punish_no_show(task, who, *seats, &params);
					hooks.saturating_accrue(hook);
					let _ = verdicts.try_push((who.clone(), Verdict::Missed { slashed }));
				},
			}
		}

		let revealed_seats: u32 = revealed.iter().map(|(_, _, s)| *s).fold(0, u32::saturating_add);
		let reward = record.reward;
		let mut accurate = Vec::new();
		let consensus = if revealed_seats < record.quorum {
			for (who, _, _) in &revealed {
				let _ = verdicts.try_push(((*who).clone(), Verdict::Unscored));
			}
			let refunded = Self::release_pot(&record.opener, reward);
			record.status = TaskStatus::Failed { at: now };
			Self::deposit_event(Event::TaskFailed {
				task,
				revealed: revealed_seats,
				required: record.quorum,
				refunded,
			});
			None
		} else {
			let scores: Vec<&[Score]> = revealed.iter().map(|(_, s, _)| *s).collect();
			let weights: Vec<u128> = revealed.iter().map(|(_, _, seats)| *seats as u128).collect();
			let criteria = record.criteria.len();
			let (consensus, assessments, _) = consensus::settle(
				&scores,
				&weights,
				criteria,
				params.tolerance,
				reward.saturated_into::<u128>(),
				KAPPA,
			);
			let best = consensus::max_closeness(params.tolerance, criteria);
			let mut paid: BalanceOf<T> = Zero::zero();
			for ((who, _, seats), a) in revealed.iter().zip(assessments) {
				let who = (*who).clone();
				let seats = *seats;
				if a.closeness == 0 {
					// Burnt (the credit is dropped).
					let (slashed, _, hook) = Self::punish_outlier(task, &who, seats, a.deviation, &params);
					hooks.saturating_accrue(hook);
					let _ = verdicts.try_push((who, Verdict::Outlier { deviation: a.deviation, slashed }));
					continue;
				}
				// Best effort: a payout the member's account cannot take (it would not reach the
				// existential deposit) goes back to the opener with the dust instead of leaving
				// the task unsettleable.
				let payout = Self::pay_from_pot(&record.opener, &who, a.payout.saturated_into());
				paid = paid.saturating_add(payout);
				let gained = reputation_gain(params.accuracy_reward, seats, a.closeness, best);
				T::Reputation::reward(&who, gained, ReputationReason::AccurateEvaluation);
				Self::update_evaluator(&who, |i| {
					i.accurate.saturating_inc();
					i.earned = i.earned.saturating_add(payout);
				});
				Self::deposit_event(Event::EvaluatorRewarded {
					task,
					who: who.clone(),
					deviation: a.deviation,
					payout,
					reputation: gained,
				});
				accurate.push((who.clone(), seats));
				let _ = verdicts.try_push((
					who,
					Verdict::Accurate { deviation: a.deviation, payout, reputation: gained },
				));
			}
			// Whatever rounding (or a task without accurate evaluators) left goes back to the
			// opener: the pot is always fully accounted for.
			let dust = Self::release_pot(&record.opener, reward.saturating_sub(paid));
			let consensus: ScoresOf<T> = consensus.try_into().map_err(|_| Error::<T>::WrongNumberOfScores)?;
			record.status = TaskStatus::Settled { consensus: consensus.clone(), at: now };
			Self::deposit_event(Event::TaskSettled {
				task,
				consensus: consensus.clone(),
				rewarded: accurate.len() as u32,
				paid,
				dust,
			});
			Some(consensus.into_inner())
		};

		for (who, _) in panel.iter() {
			Drawn::<T>::remove(who, task);
			Self::update_evaluator(who, |i| i.pending_tasks.saturating_dec());
		}
		Tasks::<T>::insert(task, record);
		Verdicts::<T>::insert(task, verdicts);
		hooks.saturating_accrue(T::OnSettled::on_task_settled(&SettledTask { task, consensus, accurate }));
		Ok(Self::measured_settlement_weight(members, hooks))
	}

	/// Fails a task nobody could be drawn for (no eligible evaluator but its opener): the
	/// opener is refunded. Returns the weight of the `OnSettled` hook.
	pub(crate) fn fail_unstaffed(task: TaskId, mut record: TaskRecord<T>) -> Weight {
		let now = frame_system::Pallet::<T>::block_number();
		let refunded = Self::release_pot(&record.opener, record.reward);
		// The task keeps its due slot (the hook skips it) so that the due list and the pruning
		// list stay one-to-one.
		record.status = TaskStatus::Failed { at: now };
		Panels::<T>::insert(task, PanelOf::<T>::new());
		Tasks::<T>::insert(task, record.clone());
		Verdicts::<T>::insert(task, VerdictsOf::<T>::new());
		Self::deposit_event(Event::TaskFailed { task, revealed: 0, required: record.quorum, refunded });
		T::OnSettled::on_task_settled(&SettledTask { task, consensus: None, accurate: Vec::new() })
	}

	/// Slashes `per_seat × min_bond × seats` from `who`'s bond (at most the bond), applies
	/// `count` to its record and takes it out of the draw if the bond fell below `min_bond`.
	/// Linear in seats, so splitting an account changes nothing. Returns the amount and its
	/// credit: dropping it burns the amount, a dispute pays it out.
	fn slash_seats(
		who: &T::AccountId,
		per_seat: Perbill,
		seats: u32,
		params: &ParamsOf<T>,
		count: impl FnOnce(&mut EvaluatorOf<T>),
	) -> (BalanceOf<T>, CreditOf<T>) {
		let Some(mut info) = Evaluators::<T>::get(who) else { return (Zero::zero(), CreditOf::<T>::zero()) };
		let amount = per_seat.mul_floor(params.min_bond).saturating_mul(seats.into()).min(info.bond);
		let credit = if amount.is_zero() {
			CreditOf::<T>::zero()
		} else {
			<T::Currency as BalancedHold<T::AccountId>>::slash(&HoldReason::EvaluatorBond.into(), who, amount).0
		};
		let slashed = credit.peek();
		info.bond = info.bond.saturating_sub(slashed);
		count(&mut info);
		Self::sync_slot(who, &mut info, params);
		Evaluators::<T>::insert(who, info);
		(slashed, credit)
	}

	/// Slashes `no_show_slash × min_bond` per seat and takes `no_show_penalty` reputation per
	/// seat. Returns the amount slashed, its credit and the weight of the reputation hook.
	pub(crate) fn punish_no_show(
		task: TaskId,
		who: &T::AccountId,
		seats: u32,
		params: &ParamsOf<T>,
	) -> (BalanceOf<T>, CreditOf<T>, Weight) {
		let (slashed, credit) =
			Self::slash_seats(who, params.no_show_slash, seats, params, |i| i.missed.saturating_inc());
		let (_, hook) = T::Reputation::penalize(
			who,
			params.no_show_penalty.saturating_mul(seats as u128),
			ReputationReason::MissedReveal,
		);
		Self::deposit_event(Event::RevealMissed { task, who: who.clone(), slashed });
		(slashed, credit, hook)
	}

	/// Slashes `outlier_slash × min_bond` per seat and takes `outlier_penalty` reputation per
	/// seat. Returns the amount slashed, its credit and the weight of the reputation hook.
	pub(crate) fn punish_outlier(
		task: TaskId,
		who: &T::AccountId,
		seats: u32,
		deviation: u32,
		params: &ParamsOf<T>,
	) -> (BalanceOf<T>, CreditOf<T>, Weight) {
		let (slashed, credit) =
			Self::slash_seats(who, params.outlier_slash, seats, params, |i| i.outliers.saturating_inc());
		let (_, hook) = T::Reputation::penalize(
			who,
			params.outlier_penalty.saturating_mul(seats as u128),
			ReputationReason::InaccurateEvaluation,
		);
		Self::deposit_event(Event::EvaluatorOutlier { task, who: who.clone(), deviation, slashed });
		(slashed, credit, hook)
	}

	/// Applies `update` to `who`'s record (a verdict's counters); registered evaluators only.
	pub(crate) fn update_evaluator(who: &T::AccountId, update: impl FnOnce(&mut EvaluatorOf<T>)) {
		Evaluators::<T>::mutate(who, |info| {
			if let Some(info) = info {
				update(info);
			}
		});
	}

	pub(crate) fn release_pot(opener: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::release(&HoldReason::TaskReward.into(), opener, amount, Precision::BestEffort)
			.unwrap_or_else(|_| Zero::zero())
	}

	/// Invariants: every evaluator's held bond equals its record; every opener's held reward
	/// equals the pots of its open tasks; each open task is due exactly once, with consistent
	/// counters and a panel of bonded evaluators once drawn; each evaluator's pending count
	/// equals the open panels it sits on; the sortition tree holds exactly the eligible
	/// evaluators' bonds.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut pending: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut pots: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut appeal_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let queued = ToDraw::<T>::get();
		for (id, task) in Tasks::<T>::iter() {
			ensure!(id < NextTaskId::<T>::get(), "a task id is beyond the counter");
			let evaluations = Evaluations::<T>::get(id);
			if task.status != TaskStatus::Open {
				ensure!(evaluations.is_empty(), "a finished task keeps commitments");
				ensure!(Verdicts::<T>::contains_key(id), "a finished task has no verdicts");
				continue;
			}
			let dispute = Disputes::<T>::get(id);
			// Appealed tasks leave the hook's due lists (`settle` settles them).
			let listed = if dispute.is_some() { 0 } else { 1 };
			ensure!(
				DueAt::<T>::get(task.due).iter().filter(|t| **t == id).count() == listed,
				"an open task is not due exactly once"
			);
			ensure!(task.reveal_end <= task.due, "a task settles before its reveal window ends");
			for round in 0..task.round {
				// A round is archived once appealed; the governance stage has no panel.
				if let Some(earlier) = Rounds::<T>::get(id, round) {
					for (who, seats, _) in earlier.members.iter() {
						ensure!(Drawn::<T>::get(who, id) == Some(*seats), "an earlier round's member is not recorded as drawn");
						*pending.entry(who.clone()).or_default() += 1;
					}
				} else {
					ensure!(false, "an appealed round is not archived");
				}
			}
			for appeal in dispute.iter().flat_map(|d| d.appeals.iter()) {
				let raised = appeal.backers.iter().fold(BalanceOf::<T>::zero(), |a, (_, p)| a.saturating_add(*p));
				ensure!(raised == appeal.bond, "an appeal's backers did not raise its bond");
				for (who, amount) in appeal.backers.iter() {
					let held = appeal_holds.entry(who.clone()).or_insert_with(Zero::zero);
					*held = held.saturating_add(*amount);
				}
			}
			for (who, amount) in Pledges::<T>::get(id).iter() {
				let held = appeal_holds.entry(who.clone()).or_insert_with(Zero::zero);
				*held = held.saturating_add(*amount);
			}
			let awaiting_governance = dispute.as_ref().map(|d| d.governance_until.is_some()).unwrap_or(false);
			// Appealed tasks are scheduled when they settle.
			ensure!(
				PruneAt::<T>::iter().filter(|(_, list)| list.contains(&id)).count() == listed,
				"an open task is not scheduled for pruning exactly once"
			);
			ensure!(evaluations.len() as u32 == task.committed, "commitment count mismatch");
			ensure!(
				evaluations.iter().filter(|e| e.scores.is_some()).count() as u32 == task.revealed,
				"reveal count mismatch"
			);
			match Panels::<T>::get(id) {
				Some(panel) => {
					let seats: u32 = panel.iter().map(|(_, s)| *s).sum();
					// Seats of holders who left before the draw stay empty.
					ensure!(seats <= task.panel_size, "a panel has more seats than its size");
					for (who, s) in panel.iter() {
						ensure!(Drawn::<T>::get(who, id) == Some(*s), "a panel member is not recorded as drawn");
						ensure!(Evaluators::<T>::contains_key(who), "a panel member is not a bonded evaluator");
						*pending.entry(who.clone()).or_default() += 1;
					}
					for e in evaluations.iter() {
						ensure!(
							panel.iter().any(|(who, s)| *who == e.who && *s as u128 == e.weight),
							"a commitment from outside the panel"
						);
					}
				},
				None if awaiting_governance => {
					ensure!(evaluations.is_empty(), "a commitment while governance decides");
				},
				None => {
					let drawing = Drawing::<T>::get().map(|(tasks, _)| tasks.contains(&id)).unwrap_or(false) ||
						AppealDrawAt::<T>::iter_values().any(|list| list.contains(&id));
					ensure!(queued.contains(&id) || drawing, "an undrawn open task is not queued for its draw");
					ensure!(evaluations.is_empty(), "a commitment before the draw");
				},
			}
			let pot = pots.entry(task.opener.clone()).or_insert_with(Zero::zero);
			*pot = pot.saturating_add(task.reward);
		}
		for (id, _) in Pledges::<T>::iter() {
			ensure!(
				Tasks::<T>::get(id).map(|t| t.status == TaskStatus::Open).unwrap_or(false),
				"pledges for a task that is not open"
			);
		}
		for (id, _) in Disputes::<T>::iter() {
			ensure!(
				Tasks::<T>::get(id).map(|t| t.status == TaskStatus::Open).unwrap_or(false),
				"a dispute of a task that is not open"
			);
		}
		for (id, round, _) in Rounds::<T>::iter() {
			ensure!(
				Tasks::<T>::get(id).map(|t| t.status == TaskStatus::Open && round < t.round).unwrap_or(false),
				"an archived round of a task that is not open, or of a round not yet appealed"
			);
		}
		let drawn_up_to = LastDrawn::<T>::get();
		let mut booked: alloc::vec::Vec<TaskId> = alloc::vec::Vec::new();
		for (block, list) in AppealDrawAt::<T>::iter() {
			ensure!(drawn_up_to.map(|d| block > d).unwrap_or(true), "an appeal draw booked at a block whose draws have run");
			ensure!(
				NextAppealDraw::<T>::get().map(|next| block < next).unwrap_or(false),
				"an appeal draw booked at or past the next free block"
			);
			for id in list {
				let waiting = Tasks::<T>::get(id)
					.map(|t| t.status == TaskStatus::Open && t.round >= 1 && !Panels::<T>::contains_key(id))
					.unwrap_or(false);
				ensure!(waiting, "an appeal draw booked for a task that is not waiting for one");
				ensure!(!booked.contains(&id), "an appeal round booked twice");
				booked.push(id);
			}
		}
		for (_, list) in DisputePruneAt::<T>::iter() {
			for id in list {
				ensure!(
					Tasks::<T>::get(id).map(|t| t.status != TaskStatus::Open).unwrap_or(false),
					"a dispute scheduled for deletion is not settled"
				);
			}
		}
		for (who, held) in appeal_holds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AppealBond.into(), &who) == held,
				"held appeal bonds differ from the pledges and backers"
			);
		}
		for (who, pot) in pots {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::TaskReward.into(), &who) == pot,
				"held rewards differ from the open tasks' pots"
			);
		}
		let mut tree_total = 0u128;
		for (who, info) in Evaluators::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who) == info.bond,
				"held bond differs from the evaluator's record"
			);
			ensure!(
				pending.remove(&who).unwrap_or(0) == info.pending_tasks,
				"pending task count mismatch"
			);
			ensure!(
				Drawn::<T>::iter_prefix(&who).count() as u32 == info.pending_tasks,
				"drawn index differs from the pending count"
			);
			// Eligibility is judged against `min_bond` when the bond last changed: a new
			// `min_bond` applies to each evaluator at its next bond change.
			match info.slot {
				Some(slot) => {
					ensure!(info.unbonding_at.is_none(), "an unbonding evaluator can be drawn");
					let (owner, weight) = SlotOwners::<T>::get(slot).ok_or("an evaluator's slot is empty")?;
					ensure!(owner == who, "an evaluator's slot belongs to another");
					ensure!(weight == info.bond.saturated_into::<u128>(), "draw weight differs from the bond");
					tree_total = tree_total.saturating_add(weight);
				},
				None => {},
			}
		}
		ensure!(pending.is_empty(), "a panel member that is not registered");
		ensure!(
			SlotOwners::<T>::iter().count() as u32 == SlotCount::<T>::get(),
			"occupied slots differ from the slot count"
		);
		ensure!(tree_total == TotalDrawWeight::<T>::get(), "tree total differs from the bonds");
		let nodes = crate::panels::StoredNodes::<T>(core::marker::PhantomData);
		for slot in 1..=SlotCount::<T>::get() {
			let weight = SlotOwners::<T>::get(slot).map(|(_, w)| w).unwrap_or(0);
			ensure!(
				crate::sortition::prefix(&nodes, slot).saturating_sub(crate::sortition::prefix(&nodes, slot - 1)) ==
					weight,
				"a tree node disagrees with its slot's weight"
			);
		}
		for (block, due) in DueAt::<T>::iter() {
			for id in due {
				let fine = Tasks::<T>::get(id)
					.map(|t| {
						t.due == block &&
							((t.status == TaskStatus::Open && !Disputes::<T>::contains_key(id)) ||
								Panels::<T>::get(id).map(|p| p.is_empty()).unwrap_or(false))
					})
					.unwrap_or(false);
				ensure!(fine, "a due entry for a task that is not open (or failed at its draw) or not due then");
			}
		}
		Ok(())
	}
}
