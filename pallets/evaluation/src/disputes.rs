//! Appeals: a settled round's verdict is provisional for `appeal_period` blocks. Anyone may
//! fund an appeal (alone or with others); a funded appeal draws a new, larger panel from
//! evaluators who sat on no earlier round (`2n + 1` seats), with the same commit-reveal and
//! consensus; after `max_appeal_rounds` a final appeal goes to governance. The task settles
//! once, on the final verdict: every round's members are judged against it, and each appeal's
//! bond is refunded with a reward if the verdict moved beyond tolerance of the one it
//! contested, or pays the panels if not. Nothing is paid, slashed or scored before the end, so
//! nothing ever has to be reversed and a claim stays O(1).

use crate::{consensus, settlement::reputation_gain, *};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, BalancedHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		Imbalance,
	},
};
use perspective_primitives::{ReputationReason, ReputationUpdater};
use sp_runtime::{
	traits::{Saturating, Zero},
	SaturatedConversion,
};

/// Bond of the appeal opening round `round`: `base · 2^round` (saturating).
pub fn appeal_bond(base: u128, round: u32) -> u128 {
	base.saturating_mul(1u128.checked_shl(round).unwrap_or(u128::MAX))
}

/// The smallest pledge accepted when `raised` of `required` is pledged: `⌈required /
/// max_backers⌉`, or the whole remainder when that is less. With every pledge that large, the
/// bond is raised before `max_backers` pledges fill the list, so dust cannot lock anyone out.
pub fn min_pledge(required: u128, raised: u128, max_backers: u32) -> u128 {
	let remaining = required.saturating_sub(raised);
	let per_backer = required.div_ceil((max_backers as u128).max(1));
	per_backer.min(remaining)
}

/// How a dispute's penalties are shared: half to the backers of upheld appeals (pro rata to
/// what each pledged), half to the appeal rounds' members within tolerance of the final verdict
/// (pro rata to seats × closeness); all to one side if the other is empty. Returns each
/// backer's and each member's part and what is left (burnt): rounding dust, or everything if
/// both sides are empty. Linear in pledges and in seats, so splitting an account gains nothing
/// (rounding never favours the split).
pub fn share_penalties(pool: u128, pledges: &[u128], shares: &[u128]) -> (Vec<u128>, Vec<u128>, u128) {
	let has = |v: &[u128]| v.iter().any(|x| *x > 0);
	let (for_backers, for_members) = match (has(pledges), has(shares)) {
		(true, true) => (pool / 2, pool - pool / 2),
		(true, false) => (pool, 0),
		(false, true) => (0, pool),
		(false, false) => (0, 0),
	};
	let (to_backers, dust_b) = consensus::split_pot(for_backers, pledges);
	let (to_members, dust_m) = consensus::split_pot(for_members, shares);
	let paid = to_backers.iter().chain(&to_members).fold(0u128, |a, p| a.saturating_add(*p));
	let _ = (dust_b, dust_m);
	(to_backers, to_members, pool.saturating_sub(paid))
}

/// Whether a final verdict overturns `contested`: beyond tolerance of it, by the rule that
/// makes an evaluator an outlier (total deviation above `tolerance × criteria`).
pub fn overturns(contested: &[Score], final_verdict: &[Score], tolerance: Score) -> bool {
	consensus::closeness(consensus::deviation(contested, final_verdict), tolerance, final_verdict.len()) == 0
}

/// The consensus of one round's reveals: `None` if the revealed seats are short of `quorum`.
pub fn round_consensus(
	reveals: &[(&[Score], u32)],
	quorum: u32,
	criteria: usize,
) -> Option<Vec<Score>> {
	let seats: u32 = reveals.iter().map(|(_, s)| *s).fold(0, u32::saturating_add);
	if seats < quorum || reveals.is_empty() {
		return None;
	}
	let scores: Vec<&[Score]> = reveals.iter().map(|(s, _)| *s).collect();
	let weights = consensus::normalize_weights(&reveals.iter().map(|(_, s)| *s as u128).collect::<Vec<_>>());
	Some(consensus::consensus(&scores, &weights, criteria, KAPPA))
}

pub(crate) type CreditOf<T> =
	frame_support::traits::fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

impl<T: Config> Pallet<T> {
	/// The current round of `task` as a round record: its panel, each member's reveal and its
	/// consensus. `None` if its panel is not drawn (or the task waits for governance).
	pub(crate) fn current_round(task: TaskId, record: &TaskRecord<T>) -> Option<RoundOf<T>> {
		let panel = Panels::<T>::get(task)?;
		let evaluations = Evaluations::<T>::get(task);
		let mut members: RoundMembersOf<T> = BoundedVec::new();
		for (who, seats) in panel {
			let scores = evaluations.iter().find(|e| e.who == who).and_then(|e| e.scores.clone());
			// A panel has at most `MaxRoundPanel` members.
			let _ = members.try_push((who, seats, scores));
		}
		let reveals: Vec<(&[Score], u32)> =
			members.iter().filter_map(|(_, seats, s)| s.as_ref().map(|s| (s.as_slice(), *seats))).collect();
		let consensus = round_consensus(&reveals, record.quorum, record.criteria.len())
			.and_then(|c| ScoresOf::<T>::try_from(c).ok());
		Some(RoundRecord { panel_size: record.panel_size, quorum: record.quorum, members, consensus })
	}

	/// The verdict as it stands, given the current round: this round's, or, if an appeal round
	/// reached none (too few reveals, nobody left to draw), the latest earlier one. Appealing
	/// again is then allowed, so bribing an appeal panel to stay away only costs the absentees.
	/// `None` if no round reached a verdict (the first round failed).
	pub(crate) fn standing_verdict(task: TaskId, current: &RoundOf<T>) -> Option<ScoresOf<T>> {
		current.consensus.clone().or_else(|| {
			let round = Tasks::<T>::get(task)?.round;
			(0..round).rev().find_map(|r| Rounds::<T>::get(task, r).and_then(|earlier| earlier.consensus))
		})
	}

	/// `appeal`: pledges towards the next appeal and starts it once the bond is raised.
	pub(crate) fn do_appeal(who: T::AccountId, task: TaskId, amount: BalanceOf<T>) -> DispatchResult {
		let params = Self::params()?;
		let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
		ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
		let now = frame_system::Pallet::<T>::block_number();
		let dispute = Disputes::<T>::get(task).unwrap_or_default();
		ensure!(dispute.governance_until.is_none(), Error::<T>::AppealsExhausted);
		ensure!(record.round <= params.max_appeal_rounds, Error::<T>::AppealsExhausted);
		ensure!(now >= record.reveal_end, Error::<T>::AppealTooEarly);
		ensure!(now < record.due, Error::<T>::AppealWindowClosed);
		let current = Self::current_round(task, &record).ok_or(Error::<T>::NoVerdictToAppeal)?;
		let contested = Self::standing_verdict(task, &current).ok_or(Error::<T>::NoVerdictToAppeal)?;
		let next_round = record.round.saturating_add(1);
		let required: BalanceOf<T> =
			appeal_bond(params.appeal_bond_base.saturated_into(), next_round).saturated_into();
		let mut pledges = Pledges::<T>::get(task);
		let raised = pledges.iter().fold(BalanceOf::<T>::zero(), |a, (_, p)| a.saturating_add(*p));
		let remaining = required.saturating_sub(raised);
		let min: BalanceOf<T> =
			min_pledge(required.saturated_into(), raised.saturated_into(), T::MaxAppealBackers::get())
				.saturated_into();
		let amount = amount.min(remaining);
		// (`remaining` is zero only if governance lowered `appeal_bond_base` after these
		// pledges: any pledge, even 0, then starts the appeal with what was raised.)
		ensure!(remaining.is_zero() || (!amount.is_zero() && amount >= min), Error::<T>::PledgeTooSmall);
		let completes = amount == remaining;
		let bond = raised.saturating_add(amount);
		match pledges.iter_mut().find(|(backer, _)| *backer == who) {
			Some((_, pledged)) => *pledged = pledged.saturating_add(amount),
			None if amount.is_zero() => {},
			// Every earlier pledge was at least `required / MaxAppealBackers`, so the list has
			// room until the bond is raised.
			None => pledges.try_push((who.clone(), amount)).map_err(|_| Error::<T>::PledgeTooSmall)?,
		}
		if !amount.is_zero() {
			Self::hold(HoldReason::AppealBond, &who, amount)?;
		}
		let raised = raised.saturating_add(amount);
		Self::deposit_event(Event::AppealPledged { task, who, amount, raised, required });
		if completes {
			Pledges::<T>::remove(task);
			Self::start_appeal(task, record, dispute, current, contested, pledges, bond, &params)
		} else {
			Pledges::<T>::insert(task, pledges);
			Ok(())
		}
	}

	/// Archives the current round and opens the next: a panel of `2n + 1` seats (excluding the
	/// opener, every earlier member and every backer), or governance's decision after
	/// `max_appeal_rounds`. The panel is drawn as if the task were opened in the block the
	/// appeal window closes (`due`): two blocks later, from that block's tree. So whoever
	/// completes the bond does not choose the blocks whose randomness draws the panel (only
	/// the authors of two consecutive blocks fixed in advance could bias it, as for any task).
	/// If appeal draws are booked up to that block or beyond, the first block after them takes
	/// it (one appeal draw per block, in order of funding).
	#[allow(clippy::too_many_arguments)]
	fn start_appeal(
		task: TaskId,
		mut record: TaskRecord<T>,
		mut dispute: DisputeRecord<T>,
		current: RoundOf<T>,
		contested: ScoresOf<T>,
		backers: BackersOf<T>,
		bond: BalanceOf<T>,
		params: &ParamsOf<T>,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let next_round = record.round.saturating_add(1);
		let window_end = record.due;
		dispute
			.appeals
			.try_push(AppealRecord { round: next_round, bond, backers, contested })
			.map_err(|_| Error::<T>::AppealsExhausted)?;
		Rounds::<T>::insert(task, record.round, current);
		Evaluations::<T>::remove(task);
		Panels::<T>::remove(task);
		// The hook settles and prunes only unappealed tasks: `settle` settles this one and
		// books its pruning.
		if record.round == 0 {
			Self::forget_due(task, record.due);
			PruneAt::<T>::mutate(record.due.saturating_add(T::TaskRetention::get()), |list| {
				list.retain(|id| *id != task)
			});
		}
		record.round = next_round;
		record.committed = 0;
		record.revealed = 0;
		if next_round <= params.max_appeal_rounds {
			let panel_size = record.panel_size.saturating_mul(2).saturating_add(1).min(MaxRoundPanel::<T>::get());
			let quorum = round_quorum(record.quorum).min(panel_size);
			let queued_at = Self::queue_appeal_draw(task, window_end.max(now.saturating_add(1u32.into())))?;
			let commit_end = queued_at.saturating_add(DRAW_DELAY.into()).saturating_add(params.default_period);
			let reveal_end = commit_end.saturating_add(params.default_period);
			record.panel_size = panel_size;
			record.quorum = quorum;
			record.commit_end = commit_end;
			record.reveal_end = reveal_end;
			record.due = reveal_end.saturating_add(params.appeal_period);
			Self::deposit_event(Event::AppealStarted {
				task,
				round: next_round,
				bond,
				panel_size,
				commit_end,
				reveal_end,
			});
		} else {
			let decide_by = now.saturating_add(params.governance_period);
			record.due = decide_by;
			dispute.governance_until = Some(decide_by);
			Self::deposit_event(Event::AppealedToGovernance { task, bond, decide_by });
		}
		Disputes::<T>::insert(task, dispute);
		Tasks::<T>::insert(task, record);
		Ok(())
	}

	/// Queues `task`'s appeal round to enter the draw queue at block `at`, or, if appeal draws
	/// are booked up to `at` or beyond, at the first block after them (`NextAppealDraw`: appeal
	/// draws are handed out in order, one per block). Never refuses an appeal: a backlog only
	/// delays the draw, and every place in it was paid for with a bond. Returns that block.
	fn queue_appeal_draw(task: TaskId, at: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
		let block = at.max(NextAppealDraw::<T>::get().unwrap_or_default());
		// Empty: the cursor only ever moves past booked blocks.
		AppealDrawAt::<T>::try_mutate(block, |list| list.try_push(task))
			.map_err(|_| Error::<T>::AppealQueueInconsistent)?;
		NextAppealDraw::<T>::put(block.saturating_add(1u32.into()));
		Ok(block)
	}

	/// `decide_dispute`: governance's verdict on a final appeal; the task may settle at once.
	pub(crate) fn do_decide(task: TaskId, consensus: Vec<Score>) -> DispatchResult {
		let mut record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
		ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
		let mut dispute = Disputes::<T>::get(task).ok_or(Error::<T>::NotAwaitingGovernance)?;
		let until = dispute.governance_until.ok_or(Error::<T>::NotAwaitingGovernance)?;
		// After the deadline the last panel's verdict stands (anyone may settle).
		ensure!(frame_system::Pallet::<T>::block_number() < until, Error::<T>::GovernanceDeadlinePassed);
		ensure!(dispute.decision.is_none(), Error::<T>::AlreadyDecided);
		ensure!(consensus.len() == record.criteria.len(), Error::<T>::WrongNumberOfScores);
		ensure!(consensus.iter().all(|s| *s <= MAX_SCORE), Error::<T>::ScoreOutOfRange);
		let consensus: ScoresOf<T> = consensus.try_into().map_err(|_| Error::<T>::WrongNumberOfScores)?;
		dispute.decision = Some(consensus.clone());
		record.due = record.due.min(frame_system::Pallet::<T>::block_number());
		Disputes::<T>::insert(task, dispute);
		Tasks::<T>::insert(task, record);
		Self::deposit_event(Event::DisputeDecided { task, consensus });
		Ok(())
	}

	/// Books a settled dispute's deletion at `at`, or at the first of the next `MAX_SPILL` blocks
	/// with room in their dispute lists (kept apart from the tasks' lists, whose room the task
	/// limits reserve).
	fn schedule_dispute_pruning(task: TaskId, at: BlockNumberFor<T>) -> DispatchResult {
		let mut block = at;
		for _ in 0..=MAX_SPILL {
			if DisputePruneAt::<T>::try_mutate(block, |list| list.try_push(task)).is_ok() {
				return Ok(());
			}
			block.saturating_inc();
		}
		Err(Error::<T>::PruningQueueFull.into())
	}

	/// Releases the pledges of an appeal whose bond was never raised. Returns the weight.
	pub(crate) fn return_pledges(task: TaskId) -> Weight {
		let pledges = Pledges::<T>::take(task);
		if pledges.is_empty() {
			return T::DbWeight::get().reads_writes(1, 1);
		}
		let count = pledges.len() as u64;
		let mut returned = BalanceOf::<T>::zero();
		for (backer, amount) in pledges {
			let released = T::Currency::release(&HoldReason::AppealBond.into(), &backer, amount, Precision::BestEffort)
				.unwrap_or_else(|_| Zero::zero());
			returned = returned.saturating_add(released);
		}
		Self::deposit_event(Event::PledgesReturned { task, returned });
		T::DbWeight::get().reads_writes(1 + count * 2, 1 + count * 2)
	}

	/// Worst-case weight of settling a dispute with `members` members over all its rounds:
	/// the settlement of that many evaluators, plus every appeal's backers (released or
	/// slashed, then paid) and the unfinished pledges.
	pub fn dispute_settlement_weight(members: u32) -> Weight {
		let backers = (T::MaxAppealBackers::get() as u64)
			.saturating_mul(MaxAppeals::<T>::get().saturating_add(1) as u64);
		let measured = T::WeightInfo::settle_dispute(members)
			.saturating_add(T::Reputation::update_weight().saturating_mul(members as u64))
			.saturating_add(T::OnSettled::max_weight());
		Self::settlement_weight(members)
			.max(measured)
			// Finding room in the dispute deletion lists.
			.saturating_add(T::DbWeight::get().reads_writes(MAX_SPILL as u64 + 1, 1))
			.saturating_add(T::DbWeight::get().reads_writes(backers.saturating_mul(3), backers.saturating_mul(3)))
			// Rounds, dispute, pledges and each member's extra payout.
			.saturating_add(T::DbWeight::get().reads_writes(
				4u64.saturating_add(MaxAppeals::<T>::get() as u64),
				(members as u64).saturating_add(4),
			))
	}

	/// Settles an appealed task on its final verdict (governance's decision, or the latest
	/// round's consensus). Every member of every round is judged against it: within tolerance
	/// it gains reputation (round 0 shares the opener's pot, appeal rounds share the
	/// penalties); beyond it, or a no-show, it loses what outliers and no-shows lose, into the
	/// penalties. Upheld appeals are refunded, rejected appeals' bonds join the penalties, which
	/// [`share_penalties`] splits. Contributions hear the final verdict.
	pub(crate) fn do_settle_dispute(task: TaskId, mut record: TaskRecord<T>) -> Result<Weight, DispatchError> {
		// Slashes change the tree: this block's draws must have read it first.
		Self::ensure_drawn();
		let params = Self::params()?;
		let now = frame_system::Pallet::<T>::block_number();
		// Book the record's deletion first: if every list in reach is full, nothing changes and
		// the call can be retried in the next block.
		Self::schedule_dispute_pruning(task, now.saturating_add(T::TaskRetention::get()))?;
		let dispute = Disputes::<T>::take(task).unwrap_or_default();
		let mut rounds: Vec<RoundOf<T>> = (0..record.round).filter_map(|r| Rounds::<T>::take(task, r)).collect();
		if dispute.governance_until.is_none() {
			if let Some(current) = Self::current_round(task, &record) {
				rounds.push(current);
			}
		}
		Evaluations::<T>::remove(task);
		let final_verdict: ScoresOf<T> = match dispute.decision.clone() {
			Some(decided) => decided,
			None => rounds
				.iter()
				.rev()
				.find_map(|r| r.consensus.clone())
				.ok_or(Error::<T>::NoVerdictToAppeal)?,
		};
		let criteria = record.criteria.len();
		let best = consensus::max_closeness(params.tolerance, criteria);
		let mut pool = CreditOf::<T>::zero();
		let mut verdicts: VerdictsOf<T> = BoundedVec::new();
		let mut hooks = Weight::zero();
		let mut members = 0u32;
		// Slashes of no-shows on rounds without a verdict: burnt, outside the penalties.
		let mut unpooled = BalanceOf::<T>::zero();
		// Round 0: (who, seats, share, deviation, reputation); appeal rounds: the same.
		let mut first: Vec<(T::AccountId, u32, u128, u32, u128)> = Vec::new();
		let mut later: Vec<(T::AccountId, u32, u128, u32, u128)> = Vec::new();
		for (r, round) in rounds.iter().enumerate() {
			// A round that reached no verdict judged nothing: its revealers are unscored (not
			// measured against a verdict they never saw contested), and its no-shows' slashes
			// are burnt rather than paid to anyone, so staying away cannot fund the standing
			// verdict's side.
			let heard = round.consensus.is_some();
			for (who, seats, scores) in round.members.iter() {
				members.saturating_inc();
				let seats = *seats;
				let Some(scores) = scores else {
					let (slashed, credit, hook) = Self::punish_no_show(task, who, seats, &params);
					if heard {
						pool.subsume(credit);
					} else {
						unpooled = unpooled.saturating_add(credit.peek());
						drop(credit);
					}
					hooks.saturating_accrue(hook);
					let _ = verdicts.try_push((who.clone(), Verdict::Missed { slashed }));
					continue;
				};
				if !heard {
					let _ = verdicts.try_push((who.clone(), Verdict::Unscored));
					continue;
				}
				let deviation = consensus::deviation(scores, &final_verdict);
				let closeness = consensus::closeness(deviation, params.tolerance, criteria);
				if closeness == 0 {
					let (slashed, credit, hook) = Self::punish_outlier(task, who, seats, deviation, &params);
					pool.subsume(credit);
					hooks.saturating_accrue(hook);
					let _ = verdicts.try_push((who.clone(), Verdict::Outlier { deviation, slashed }));
					continue;
				}
				let gained = reputation_gain(params.accuracy_reward, seats, closeness, best);
				T::Reputation::reward(who, gained, ReputationReason::AccurateEvaluation);
				let share = (seats as u128).saturating_mul(closeness as u128);
				let entry = (who.clone(), seats, share, deviation, gained);
				if r == 0 {
					first.push(entry);
				} else {
					later.push(entry);
				}
			}
		}

		// Round 0 shares the opener's pot, by seats × closeness to the final verdict.
		let shares: Vec<u128> = first.iter().map(|e| e.2).collect();
		let (payouts, _) = consensus::split_pot(record.reward.saturated_into(), &shares);
		let mut paid = BalanceOf::<T>::zero();
		let mut accurate = Vec::new();
		for ((who, seats, _, deviation, gained), payout) in first.into_iter().zip(payouts) {
			let payout = Self::pay_from_pot(&record.opener, &who, payout.saturated_into());
			paid = paid.saturating_add(payout);
			Self::credit_accurate(task, &who, deviation, payout, gained, &mut verdicts);
			accurate.push((who, seats));
		}
		Self::release_pot(&record.opener, record.reward.saturating_sub(paid));

		// Appeals: upheld ones are refunded, rejected bonds join the penalties.
		let mut outcomes: Vec<(u32, AppealOutcome, BalanceOf<T>)> = Vec::new();
		let mut upheld: Vec<(usize, T::AccountId, BalanceOf<T>)> = Vec::new();
		for (i, appeal) in dispute.appeals.iter().enumerate() {
			// The round this appeal opened reached no verdict (its panel stayed away, nobody was
			// left to draw, or governance did not decide in time): the appellant is not to blame.
			let unheard = rounds.get(appeal.round as usize).map(|round| round.consensus.is_none()).unwrap_or(false);
			// The final appeal, and governance let its deadline pass.
			let lapsed = appeal.round as usize >= rounds.len() && dispute.decision.is_none();
			let outcome = if lapsed {
				// Burnt: a stall must neither enrich the (possibly captured) last panel nor
				// delay the task for free.
				let credit = Self::slash_backers(appeal);
				unpooled = unpooled.saturating_add(credit.peek());
				drop(credit);
				AppealOutcome::Lapsed
			} else if overturns(&appeal.contested, &final_verdict, params.tolerance) {
				Self::release_backers(appeal);
				upheld.extend(appeal.backers.iter().map(|(backer, amount)| (i, backer.clone(), *amount)));
				AppealOutcome::Upheld
			} else if unheard {
				Self::release_backers(appeal);
				AppealOutcome::Unheard
			} else {
				pool.subsume(Self::slash_backers(appeal));
				AppealOutcome::Rejected
			};
			outcomes.push((appeal.round, outcome, appeal.bond));
		}
		hooks.saturating_accrue(Self::return_pledges(task));

		// The penalties: half to upheld backers, half to the appeal panels' coherent members.
		let penalties: BalanceOf<T> = pool.peek();
		let pledged: Vec<u128> = upheld.iter().map(|(_, _, a)| (*a).saturated_into()).collect();
		let shares: Vec<u128> = later.iter().map(|e| e.2).collect();
		let (to_backers, to_members, _) = share_penalties(penalties.saturated_into(), &pledged, &shares);
		let mut rewards: Vec<BalanceOf<T>> = dispute.appeals.iter().map(|_| Zero::zero()).collect();
		let (mut backers_paid, mut panels_paid) = (BalanceOf::<T>::zero(), BalanceOf::<T>::zero());
		for ((i, backer, _), part) in upheld.iter().zip(to_backers) {
			let got = Self::pay_from_pool(&mut pool, backer, part.saturated_into());
			backers_paid = backers_paid.saturating_add(got);
			if let Some(r) = rewards.get_mut(*i) {
				*r = r.saturating_add(got);
			}
		}
		for ((who, _, _, deviation, gained), part) in later.into_iter().zip(to_members) {
			let got = Self::pay_from_pool(&mut pool, &who, part.saturated_into());
			panels_paid = panels_paid.saturating_add(got);
			Self::credit_accurate(task, &who, deviation, got, gained, &mut verdicts);
		}
		let burnt = pool.peek().saturating_add(unpooled);
		drop(pool);
		for ((round, outcome, bond), reward) in outcomes.into_iter().zip(rewards) {
			let refunded = match outcome {
				AppealOutcome::Upheld | AppealOutcome::Unheard => bond,
				AppealOutcome::Rejected | AppealOutcome::Lapsed => Zero::zero(),
			};
			Self::deposit_event(Event::AppealSettled { task, round, outcome, bond, refunded, reward });
		}

		for round in rounds.iter() {
			for (who, _, _) in round.members.iter() {
				Drawn::<T>::remove(who, task);
				Self::update_evaluator(who, |i| i.pending_tasks.saturating_dec());
			}
		}
		let overturned = rounds
			.first()
			.and_then(|r| r.consensus.as_ref())
			.map(|c| overturns(c, &final_verdict, params.tolerance))
			.unwrap_or(false);
		let settled_rounds = record.round.saturating_add(1);
		record.status = TaskStatus::Settled { consensus: final_verdict.clone(), at: now };
		record.due = now;
		Tasks::<T>::insert(task, record);
		Verdicts::<T>::insert(task, verdicts);
		Self::deposit_event(Event::DisputeSettled {
			task,
			consensus: final_verdict.clone(),
			rounds: settled_rounds,
			overturned,
			penalties,
			to_backers: backers_paid,
			to_panels: panels_paid,
			burnt,
		});
		hooks.saturating_accrue(T::OnSettled::on_task_settled(&SettledTask {
			task,
			consensus: Some(final_verdict.into_inner()),
			accurate,
		}));
		Ok(Self::dispute_settlement_weight(members).saturating_add(hooks))
	}

	/// Releases every backer's pledge to `appeal` (upheld or unheard).
	fn release_backers(appeal: &AppealOf<T>) {
		for (backer, amount) in appeal.backers.iter() {
			let _ = T::Currency::release(&HoldReason::AppealBond.into(), backer, *amount, Precision::BestEffort);
		}
	}

	/// Slashes every backer's pledge to `appeal` (rejected or lapsed); the caller pools or burns
	/// the credit.
	fn slash_backers(appeal: &AppealOf<T>) -> CreditOf<T> {
		let mut credit = CreditOf::<T>::zero();
		for (backer, amount) in appeal.backers.iter() {
			let (slashed, _) =
				<T::Currency as BalancedHold<T::AccountId>>::slash(&HoldReason::AppealBond.into(), backer, *amount);
			credit.subsume(slashed);
		}
		credit
	}

	/// Moves `amount` of the opener's held pot to `who`; nothing if `who` cannot take it (it
	/// would not reach the existential deposit). Returns what moved.
	pub(crate) fn pay_from_pot(opener: &T::AccountId, who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::transfer_on_hold(
			&HoldReason::TaskReward.into(),
			opener,
			who,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)
		.map(|_| amount)
		.unwrap_or_else(|_| Zero::zero())
	}

	/// Pays `amount` out of the penalties to `who`; what it cannot take stays in the pool (and
	/// is burnt with the rest). Returns what was paid.
	fn pay_from_pool(pool: &mut CreditOf<T>, who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let taken = core::mem::replace(pool, CreditOf::<T>::zero());
		let (part, rest) = taken.split(amount);
		*pool = rest;
		let paid = part.peek();
		match T::Currency::resolve(who, part) {
			Ok(()) => paid,
			Err(back) => {
				pool.subsume(back);
				Zero::zero()
			},
		}
	}

	/// Records an accurate member's pay: counters, event and verdict.
	fn credit_accurate(
		task: TaskId,
		who: &T::AccountId,
		deviation: u32,
		payout: BalanceOf<T>,
		reputation: perspective_primitives::ReputationScore,
		verdicts: &mut VerdictsOf<T>,
	) {
		Self::update_evaluator(who, |i| {
			i.accurate.saturating_inc();
			i.earned = i.earned.saturating_add(payout);
		});
		Self::deposit_event(Event::EvaluatorRewarded { task, who: who.clone(), deviation, payout, reputation });
		let _ = verdicts.try_push((who.clone(), Verdict::Accurate { deviation, payout, reputation }));
	}

	/// The dispute state of `task`, for the runtime API.
	pub fn dispute_view(task: TaskId) -> Option<DisputeViewOf<T>> {
		let record = Tasks::<T>::get(task)?;
		let params = Params::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let dispute = Disputes::<T>::get(task).unwrap_or_default();
		let open = record.status == TaskStatus::Open;
		let current = if open && dispute.governance_until.is_none() {
			Self::current_round(task, &record)
		} else {
			None
		};
		let rounds: Vec<RoundOf<T>> = (0..record.round).filter_map(|r| Rounds::<T>::get(task, r)).collect();
		let verdict = match (&record.status, &dispute.decision) {
			(TaskStatus::Settled { consensus, .. }, _) => Some(consensus.clone().into_inner()),
			(_, Some(decided)) => Some(decided.clone().into_inner()),
			_ => current
				.as_ref()
				.filter(|_| now >= record.reveal_end)
				.and_then(|c| c.consensus.clone())
				.or_else(|| rounds.iter().rev().find_map(|r| r.consensus.clone()))
				.map(|c| c.into_inner()),
		};
		let pledges = Pledges::<T>::get(task);
		let raised = pledges.iter().fold(BalanceOf::<T>::zero(), |a, (_, p)| a.saturating_add(*p));
		let next_round = record.round.saturating_add(1);
		let next_bond: BalanceOf<T> = params
			.map(|p| appeal_bond(p.appeal_bond_base.saturated_into(), next_round).saturated_into())
			.unwrap_or_else(Zero::zero);
		let appealable = open &&
			dispute.governance_until.is_none() &&
			params.map(|p| record.round <= p.max_appeal_rounds).unwrap_or(false) &&
			now >= record.reveal_end &&
			now < record.due &&
			current.as_ref().and_then(|c| Self::standing_verdict(task, c)).is_some();
		let to_view = |r: RoundOf<T>| RoundRecord {
			panel_size: r.panel_size,
			quorum: r.quorum,
			members: r.members.into_iter().map(|(w, s, sc)| (w, s, sc.map(|x| x.into_inner()))).collect(),
			consensus: r.consensus.map(|c| c.into_inner()),
		};
		Some(DisputeView {
			round: record.round,
			verdict,
			commit_end: record.commit_end,
			reveal_end: record.reveal_end,
			settles_at: record.due,
			appealable,
			next_bond,
			raised,
			min_pledge: min_pledge(next_bond.saturated_into(), raised.saturated_into(), T::MaxAppealBackers::get())
				.saturated_into(),
			pledges: pledges.into_inner(),
			panel: Panels::<T>::get(task).map(|p| p.into_inner()).unwrap_or_default(),
			rounds: rounds.into_iter().map(to_view).collect(),
			appeals: dispute
				.appeals
				.into_iter()
				.map(|a| AppealRecord {
					round: a.round,
					bond: a.bond,
					backers: a.backers.into_inner(),
					contested: a.contested.into_inner(),
				})
				.collect(),
			decision: dispute.decision.map(|d| d.into_inner()),
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn bonds_double_each_round() {
		assert_eq!((1..=3).map(|r| appeal_bond(50, r)).collect::<Vec<_>>(), vec![100, 200, 400]);
		assert_eq!(appeal_bond(u128::MAX / 2, 5), u128::MAX);
	}

	#[test]
	fn panels_grow_to_two_n_plus_one() {
		assert_eq!((0..4).map(|r| round_seats(7, r)).collect::<Vec<_>>(), vec![7, 15, 31, 63]);
		assert_eq!(round_quorum(4), 9);
	}

	#[test]
	fn the_minimum_pledge_fills_the_bond_before_the_list() {
		// 16 backers of at least ⌈100/16⌉ = 7 each raise 100 with the 15th pledge (14·7 = 98,
		// then the remaining 2).
		assert_eq!(min_pledge(100, 0, 16), 7);
		assert_eq!(min_pledge(100, 98, 16), 2);
		assert_eq!(min_pledge(100, 100, 16), 0);
		let mut raised = 0;
		let mut pledges = 0;
		while raised < 100 {
			raised += min_pledge(100, raised, 16);
			pledges += 1;
		}
		assert!(pledges <= 16, "{pledges}");
	}

	#[test]
	fn penalties_go_half_to_upheld_backers_and_half_to_coherent_appeal_members() {
		let (b, m, burnt) = share_penalties(101, &[30, 10], &[2, 1, 1]);
		assert_eq!(b, vec![37, 12]); // 50 split 3 : 1, rounded down
		assert_eq!(m, vec![25, 12, 12]); // 51 split 2 : 1 : 1
		assert_eq!(burnt, 101 - 37 - 12 - 25 - 12 - 12);
		// One side only: it takes everything; neither: all burnt.
		assert_eq!(share_penalties(10, &[], &[1]), (vec![], vec![10], 0));
		assert_eq!(share_penalties(10, &[5], &[]), (vec![10], vec![], 0));
		assert_eq!(share_penalties(10, &[], &[]), (vec![], vec![], 10));
	}

	#[test]
	fn an_appeal_is_upheld_only_beyond_tolerance() {
		assert!(!overturns(&[40, 60], &[50, 60], 5)); // deviation 10 = 5 × 2 criteria
		assert!(overturns(&[40, 60], &[51, 60], 5));
	}

	#[test]
	fn a_round_short_of_quorum_has_no_verdict() {
		let a: &[Score] = &[10];
		let b: &[Score] = &[90];
		assert_eq!(round_consensus(&[(a, 1), (b, 2)], 4, 1), None);
		assert_eq!(round_consensus(&[(a, 1), (b, 3)], 4, 1), Some(vec![90]));
		assert_eq!(round_consensus(&[], 0, 1), None);
	}

	proptest! {
		/// Nothing is created or lost: the parts and the burnt rest add up to the pool.
		#[test]
		fn penalties_are_conserved(pool in 0u128..1u128 << 100, pledges in prop::collection::vec(0u128..1 << 40, 0..8), shares in prop::collection::vec(0u128..1 << 20, 0..40)) {
			let (b, m, burnt) = share_penalties(pool, &pledges, &shares);
			prop_assert_eq!(b.len(), pledges.len());
			prop_assert_eq!(m.len(), shares.len());
			let total: u128 = b.iter().chain(&m).sum::<u128>() + burnt;
			prop_assert_eq!(total, pool);
		}

		/// Splitting a backer's pledge (or a member's share) in two never gains: the two parts
		/// together get at most what the whole would, and at most one unit less.
		#[test]
		fn splitting_a_backer_or_member_gains_nothing(pool in 0u128..1u128 << 80, pledges in prop::collection::vec(1u128..1 << 40, 1..6), shares in prop::collection::vec(1u128..1 << 20, 1..6), cut in 1u128..1 << 20) {
			let (whole_b, whole_m, _) = share_penalties(pool, &pledges, &shares);
			let first = pledges[0];
			let cut = cut % first;
			if cut > 0 {
				let mut split = pledges.clone();
				split[0] = first - cut;
				split.push(cut);
				let (parts, _, _) = share_penalties(pool, &split, &shares);
				let together = parts[0] + parts[parts.len() - 1];
				prop_assert!(together <= whole_b[0]);
				prop_assert!(whole_b[0] - together <= 1);
			}
			let s0 = shares[0];
			if s0 > 1 {
				let mut split = shares.clone();
				split[0] = s0 / 2;
				split.push(s0 - s0 / 2);
				let (_, parts, _) = share_penalties(pool, &pledges, &split);
				let together = parts[0] + parts[parts.len() - 1];
				prop_assert!(together <= whole_m[0]);
				prop_assert!(whole_m[0] - together <= 1);
			}
		}
	}
}
