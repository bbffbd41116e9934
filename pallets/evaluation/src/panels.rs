//! Panels by lot and task capacity: the sortition tree in storage, the draw of each new task's
//! panel two blocks after it was opened, the per-block limits that keep direct tasks from
//! crowding out other pallets' tasks, and the pruning of finished tasks.
//!
//! **Who could steer a draw, and why they cannot.** BABE VRF outputs cannot be chosen, but an
//! author knows its own output for a slot in advance, and the output of the parent block is
//! public before the next block is built. A draw could be steered by whoever knows its seed
//! while it can still change what the draw reads (which tasks, which bonds): with the seed
//! known, one can try bond amounts offline until its own accounts hold the majority. So:
//! - a task opened in block n is drawn in block n + 2, with the seed
//!   `H(r(n), r(n+1), task)` mixing the VRF outputs of blocks n and n + 1 (`r(b)` is read in
//!   block b + 1 as the parent's randomness);
//! - the draw reads the tree as it was at the end of block n: every node, slot and the total
//!   keep their value from before the last block that changed them (`NodesBefore`,
//!   `SlotOwnersBefore`, `TotalBefore`), so changes made in block n + 1 are not seen.
//!
//! The author of block n knows `r(n)` but not `r(n+1)`; the author of block n + 1 knows both only
//! once block n is sealed, and nothing it does in block n + 1 reaches the draw. Steering therefore
//! needs the authors of two consecutive blocks (one validator with a share `s` of the slots:
//! about `s²` of the draws), and even then only picks among the bond changes it can afford.

use crate::{sortition, *};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, SaturatedConversion};

/// The sortition tree's nodes, read and written in storage.
pub(crate) struct StoredNodes<T>(pub(crate) core::marker::PhantomData<T>);

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

/// The versioning rule shared by every value a draw reads: each keeps, next to its current
/// value, `(value before the last block that changed it, that block)`.
///
/// Before a value changes in block `now`: the record to store, if this is its first change in
/// `now` (`current` is the value at the end of the previous block); `None` if it already
/// changed in `now` (the record kept then is still right).
fn record_before<V, B: PartialEq>(kept: &Option<(V, B)>, now: B, current: impl FnOnce() -> V) -> Option<(V, B)> {
	match kept {
		Some((_, changed)) if *changed == now => None,
		_ => Some((current(), now)),
	}
}

/// The value as it was at the end of block `at` (at most one block ago): the kept earlier value
/// if it changed after `at`, else `current`.
fn value_at<V, B: PartialOrd>(kept: Option<(V, B)>, at: B, current: impl FnOnce() -> V) -> V {
	match kept {
		Some((before, changed)) if changed > at => before,
		_ => current(),
	}
}

impl<T: Config> sortition::Nodes for StoredNodes<T> {
	fn node(&self, i: u32) -> u128 {
		SortitionNodes::<T>::get(i)
	}
	fn set_node(&mut self, i: u32, value: u128) {
		if let Some(kept) = record_before(&NodesBefore::<T>::get(i), now::<T>(), || SortitionNodes::<T>::get(i)) {
			NodesBefore::<T>::insert(i, kept);
		}
		if value == 0 {
			SortitionNodes::<T>::remove(i);
		} else {
			SortitionNodes::<T>::insert(i, value);
		}
	}
}

/// The tree's nodes as they were at the end of block `at` (at most one block ago).
pub(crate) struct NodesAt<T: Config> {
	pub(crate) at: BlockNumberFor<T>,
}

impl<T: Config> sortition::Nodes for NodesAt<T> {
	fn node(&self, i: u32) -> u128 {
		value_at(NodesBefore::<T>::get(i), self.at, || SortitionNodes::<T>::get(i))
	}
	fn set_node(&mut self, _: u32, _: u128) {}
}

impl<T: Config> Pallet<T> {
	fn nodes() -> StoredNodes<T> {
		StoredNodes(core::marker::PhantomData)
	}

	fn set_slot_owner(slot: u32, owner: Option<(T::AccountId, u128)>) {
		if let Some(kept) = record_before(&SlotOwnersBefore::<T>::get(slot), now::<T>(), || SlotOwners::<T>::get(slot)) {
			SlotOwnersBefore::<T>::insert(slot, kept);
		}
		match owner {
			Some(owner) => SlotOwners::<T>::insert(slot, owner),
			None => SlotOwners::<T>::remove(slot),
		}
	}

	/// Records that `who`'s slot becomes `slot` (the caller stores the record).
	fn note_slot_change(who: &T::AccountId, old: Option<u32>) {
		if let Some(kept) = record_before(&SlotOfBefore::<T>::get(who), now::<T>(), || old) {
			SlotOfBefore::<T>::insert(who, kept);
		}
	}

	/// `who`'s slot at the end of block `at` (at most one block ago).
	fn slot_of_at(who: &T::AccountId, at: BlockNumberFor<T>) -> Option<u32> {
		value_at(SlotOfBefore::<T>::get(who), at, || Evaluators::<T>::get(who).and_then(|info| info.slot))
	}

	fn set_total(total: u128) {
		if let Some(kept) = record_before(&TotalBefore::<T>::get(), now::<T>(), TotalDrawWeight::<T>::get) {
			TotalBefore::<T>::put(kept);
		}
		TotalDrawWeight::<T>::put(total);
	}

	/// Who held `slot`, with what weight, at the end of block `at` (at most one block ago).
	fn slot_owner_at(slot: u32, at: BlockNumberFor<T>) -> Option<(T::AccountId, u128)> {
		value_at(SlotOwnersBefore::<T>::get(slot), at, || SlotOwners::<T>::get(slot))
	}

	/// The total draw weight at the end of block `at` (at most one block ago).
	fn total_at(at: BlockNumberFor<T>) -> u128 {
		value_at(TotalBefore::<T>::get(), at, TotalDrawWeight::<T>::get)
	}

	/// Puts `who` into the sortition tree with its bond as weight if it can be drawn
	/// (registered, not unbonding, bond ≥ `min_bond`), updates its weight if it is there, or
	/// takes it out. Call after every change of `info.bond` or `info.unbonding_at`; the caller
	/// stores `info`. Taking a slot out moves the last slot into the gap, so occupied slots
	/// stay `1..=SlotCount`.
	pub(crate) fn sync_slot(who: &T::AccountId, info: &mut EvaluatorOf<T>, params: &ParamsOf<T>) {
		let capacity = T::MaxEvaluators::get();
		let eligible = info.unbonding_at.is_none() && info.bond >= params.min_bond;
		let weight: u128 = if eligible { info.bond.saturated_into() } else { 0 };
		let mut nodes = Self::nodes();
		match (info.slot, eligible) {
			(None, false) => {},
			(None, true) => {
				let count = SlotCount::<T>::get();
				if count >= capacity {
					return;
				}
				let slot = count.saturating_add(1);
				sortition::update(&mut nodes, capacity, slot, 0, weight);
				Self::set_slot_owner(slot, Some((who.clone(), weight)));
				SlotCount::<T>::put(slot);
				Self::set_total(TotalDrawWeight::<T>::get().saturating_add(weight));
				Self::note_slot_change(who, info.slot);
				info.slot = Some(slot);
			},
			(Some(slot), true) => {
				let old = SlotOwners::<T>::get(slot).map(|(_, w)| w).unwrap_or(0);
				if old != weight {
					sortition::update(&mut nodes, capacity, slot, old, weight);
					Self::set_slot_owner(slot, Some((who.clone(), weight)));
					Self::set_total(TotalDrawWeight::<T>::get().saturating_sub(old).saturating_add(weight));
				}
			},
			(Some(slot), false) => {
				let old = SlotOwners::<T>::get(slot).map(|(_, w)| w).unwrap_or(0);
				let last = SlotCount::<T>::get();
				sortition::update(&mut nodes, capacity, slot, old, 0);
				Self::set_total(TotalDrawWeight::<T>::get().saturating_sub(old));
				if last != slot {
					if let Some((moved, moved_weight)) = SlotOwners::<T>::get(last) {
						Self::set_slot_owner(last, None);
						sortition::update(&mut nodes, capacity, last, moved_weight, 0);
						sortition::update(&mut nodes, capacity, slot, 0, moved_weight);
						Self::set_slot_owner(slot, Some((moved.clone(), moved_weight)));
						Self::note_slot_change(&moved, Some(last));
						Evaluators::<T>::mutate(&moved, |m| {
							if let Some(m) = m {
								m.slot = Some(slot);
							}
						});
					} else {
						Self::set_slot_owner(slot, None);
					}
				} else {
					Self::set_slot_owner(slot, None);
				}
				SlotCount::<T>::put(last.saturating_sub(1));
				Self::note_slot_change(who, info.slot);
				info.slot = None;
			},
		}
	}

	/// Checks this block's and the due block's room for a new task and books it: the task is
	/// queued for its draw, listed as due and scheduled for pruning. Direct tasks get at most
	/// half of each limit; tasks from other pallets take any free room and, if their due block
	/// is full, move to the next block with room (at most [`MAX_SPILL`] blocks later). Returns
	/// the task's due block.
	pub(crate) fn reserve_capacity(
		task: TaskId,
		due: BlockNumberFor<T>,
		direct: bool,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let max = T::MaxTasksPerBlock::get();
		let direct_share = max / 2;
		let mut queued = ToDraw::<T>::get();
		// Appeal rounds queued in this block use the queue's extra room, not the tasks'.
		let tasks_queued = (queued.len() as u32).saturating_sub(AppealsOpened::<T>::get());
		ensure!(tasks_queued < max, Error::<T>::TooManyTasksOpened);
		let due = if direct {
			ensure!(DirectOpened::<T>::get() < direct_share, Error::<T>::TooManyDirectTasks);
			ensure!(DirectDueAt::<T>::get(due) < direct_share, Error::<T>::TooManyTasksDue);
			DueAt::<T>::try_mutate(due, |list| list.try_push(task))
				.map_err(|_| Error::<T>::TooManyTasksDue)?;
			DirectDueAt::<T>::mutate(due, |n| n.saturating_inc());
			DirectOpened::<T>::mutate(|n| n.saturating_inc());
			due
		} else {
			let mut block = due;
			let mut booked = None;
			for _ in 0..=MAX_SPILL {
				if DueAt::<T>::try_mutate(block, |list| list.try_push(task)).is_ok() {
					booked = Some(block);
					break;
				}
				block.saturating_inc();
			}
			booked.ok_or(Error::<T>::TooManyTasksDue)?
		};
		// One due block maps to one pruning block, so this list has the due list's room.
		PruneAt::<T>::try_mutate(due.saturating_add(T::TaskRetention::get()), |list| list.try_push(task))
			.map_err(|_| Error::<T>::TooManyTasksDue)?;
		queued.try_push(task).map_err(|_| Error::<T>::TooManyTasksOpened)?;
		ToDraw::<T>::put(queued);
		Ok(due)
	}

	/// Removes `task` from the due list of `due`.
	pub(crate) fn forget_due(task: TaskId, due: BlockNumberFor<T>) {
		DueAt::<T>::mutate(due, |list| list.retain(|id| *id != task));
	}

	/// Runs this block's draws now if they are due and have not run yet: a tree change made
	/// earlier in the block than the hook (another pallet's hook, a scheduled call, a
	/// migration) would otherwise overwrite the values the draws must read. Their weight is
	/// charged by the hook. Every call that can change the tree runs this first, before it
	/// reads any record the draws may update.
	pub(crate) fn ensure_drawn() {
		let now = now::<T>();
		if LastDrawn::<T>::get() != Some(now) && Drawing::<T>::exists() {
			let used = Self::draw_queued(now);
			EarlyDrawWeight::<T>::put(used);
		}
	}

	/// What [`Self::ensure_drawn`] adds to a call: two reads when the draws have run (always,
	/// for a transaction). When they have not (a call from an earlier hook), the hook charges
	/// the draws themselves.
	pub fn ensure_drawn_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}

	/// The hook's first step: draws the panels of the tasks opened two blocks ago, then moves the
	/// tasks opened in the previous block to the next draw together with this block's
	/// randomness (the previous block's VRF output). Nothing in this block can change the tree
	/// before the draw, and the draw reads the tree as of two blocks ago.
	pub(crate) fn draw_queued(now: BlockNumberFor<T>) -> Weight {
		LastDrawn::<T>::put(now);
		let (random, _) = T::Randomness::random(&PANEL_TAG);
		let mut used = T::DbWeight::get().reads_writes(5, 6);
		if let Some((tasks, earlier)) = Drawing::<T>::take() {
			let snapshot = now.saturating_sub(DRAW_DELAY.into());
			for task in tasks {
				used.saturating_accrue(Self::draw_panel(task, (&earlier, &random), snapshot));
			}
		}
		let opened = ToDraw::<T>::take();
		DirectOpened::<T>::kill();
		if !opened.is_empty() {
			Drawing::<T>::put((opened, random));
		}
		// Appeal rounds whose window closes now join this block's new tasks: drawn two blocks
		// later from the tree as at the end of this block.
		let appeals = AppealDrawAt::<T>::take(now);
		AppealsOpened::<T>::put(appeals.len() as u32);
		// The queue keeps `MAX_APPEALS_PER_BLOCK` places beyond the tasks'.
		ToDraw::<T>::put(BoundedVec::truncate_from(appeals.into_inner()));
		used
	}

	/// Draws `task`'s panel from the tree as it was at the end of block `snapshot`:
	/// `panel_size` seats with replacement, each with probability bond / total bond, the
	/// opener's slot at the snapshot cut out. The seed mixes two blocks' randomness (`seeds`)
	/// with the task. A seat whose holder has deregistered since stays empty (unreachable while
	/// `unbonding_delay ≥ 1`). If nobody can be drawn the task fails.
	pub(crate) fn draw_panel(
		task: TaskId,
		seeds: (&T::Hash, &T::Hash),
		snapshot: BlockNumberFor<T>,
	) -> Weight {
		let Some(record) = Tasks::<T>::get(task) else { return T::DbWeight::get().reads(1) };
		if record.status != TaskStatus::Open || Panels::<T>::contains_key(task) {
			return T::DbWeight::get().reads(2);
		}
		let capacity = T::MaxEvaluators::get();
		let nodes = NodesAt::<T> { at: snapshot };
		// Cut out of the range: the opener and, for an appeal round, every member of an
		// earlier round, each at its slot in the snapshot.
		let mut barred: Vec<T::AccountId> = alloc::vec![record.opener.clone()];
		for round in 0..record.round {
			if let Some(earlier) = Rounds::<T>::get(task, round) {
				barred.extend(earlier.members.into_iter().map(|(who, _, _)| who));
			}
		}
		// Nobody judges an appeal it paid for.
		if let Some(dispute) = Disputes::<T>::get(task) {
			for appeal in dispute.appeals {
				barred.extend(appeal.backers.into_iter().map(|(who, _)| who));
			}
		}
		let excluded: Vec<(u32, u128)> = barred
			.iter()
			.filter_map(|who| {
				let slot = Self::slot_of_at(who, snapshot)?;
				match Self::slot_owner_at(slot, snapshot) {
					Some((owner, weight)) if owner == *who => Some((slot, weight)),
					_ => None,
				}
			})
			.collect();
		let seed = sp_io::hashing::blake2_256(&(PANEL_TAG, seeds.0, seeds.1, task, record.round).encode());
		let drawn = sortition::draw(
			&nodes,
			capacity,
			Self::total_at(snapshot),
			&excluded,
			record.panel_size,
			|seat| sp_io::hashing::blake2_256(&(&seed, seat).encode()),
		);
		let mut panel: PanelOf<T> = BoundedVec::new();
		for (slot, seats) in sortition::seats_per_slot(&drawn) {
			match Self::slot_owner_at(slot, snapshot) {
				// Never a barred account (only reachable if the snapshot were inconsistent).
				Some((who, _)) if !barred.contains(&who) => Self::seat(&mut panel, task, who, seats),
				_ => {},
			}
		}
		let exclusions = Self::exclusion_weight(barred.len() as u32);
		if panel.is_empty() && record.round == 0 {
			let seats = record.panel_size;
			let hook = Self::fail_unstaffed(task, record);
			return Self::draw_weight(0, seats).saturating_add(exclusions).saturating_add(hook);
		}
		// An appeal round nobody is left to sit on stays empty: it reaches no verdict, the
		// earlier verdict stands and its appeal is refunded at settlement.
		let members = panel.len() as u32;
		Panels::<T>::insert(task, panel.clone());
		Self::deposit_event(Event::PanelDrawn { task, panel: panel.into_inner() });
		Self::draw_weight(members, record.panel_size).saturating_add(exclusions)
	}

	/// Reads to cut `barred` accounts out of a draw: per account its snapshot slot (current and
	/// earlier value), the slot's owner (current and earlier value), and the prefix of its slot
	/// (one node and its earlier value per level); plus the earlier rounds' records.
	pub(crate) fn exclusion_weight(barred: u32) -> Weight {
		let levels = 32u64.saturating_sub(T::MaxEvaluators::get().leading_zeros() as u64);
		T::DbWeight::get().reads(
			(barred as u64).saturating_mul(5u64.saturating_add(levels.saturating_mul(2)))
				.saturating_add(T::MaxAppealRounds::get() as u64),
		)
	}

	/// Weight of a draw of `seats` seats landing on `members` evaluators. The benchmark's seats
	/// share most of their paths through the tree (repeated reads are cached); a draw whose
	/// seats land far apart reads up to two entries (node and its previous value) per level
	/// per seat, which is added in full.
	pub(crate) fn draw_weight(members: u32, seats: u32) -> Weight {
		let levels = 32u64.saturating_sub(T::MaxEvaluators::get().leading_zeros() as u64);
		T::WeightInfo::draw_panel(members)
			.saturating_add(T::DbWeight::get().reads(levels.saturating_mul(2).saturating_mul(seats as u64)))
	}

	/// Gives `who` `seats` more seats on `task`'s panel (if it is still registered).
	fn seat(panel: &mut PanelOf<T>, task: TaskId, who: T::AccountId, seats: u32) {
		let registered = Evaluators::<T>::mutate(&who, |info| match info {
			Some(info) => {
				if !Drawn::<T>::contains_key(&who, task) {
					info.pending_tasks.saturating_inc();
				}
				true
			},
			None => false,
		});
		if !registered {
			return;
		}
		let total = Drawn::<T>::get(&who, task).unwrap_or(0).saturating_add(seats);
		Drawn::<T>::insert(&who, task, total);
		match panel.iter_mut().find(|(member, _)| *member == who) {
			Some((_, s)) => *s = total,
			// At most `panel_size` ≤ `MaxPanelSize` distinct members.
			None => {
				let _ = panel.try_push((who, total));
			},
		}
	}

	/// Deletes the finished tasks scheduled for this block (at most `MaxTasksPerBlock`).
	pub(crate) fn prune_due(now: BlockNumberFor<T>) -> Weight {
		let mut scheduled = PruneAt::<T>::take(now).into_inner();
		scheduled.extend(DisputePruneAt::<T>::take(now));
		if scheduled.is_empty() {
			return T::DbWeight::get().reads(2);
		}
		let count = scheduled.len() as u32;
		let mut pruned = Vec::new();
		let mut rescheduled = 0u64;
		for task in scheduled {
			match Tasks::<T>::get(task) {
				Some(record) if record.status == TaskStatus::Open => {
					// Not settled yet (only if the hook could not keep up): keep it for another
					// retention period.
					// (An appealed task waits for `settle`.) The first of the next blocks with
					// room, as a spilled task would.
					rescheduled += 1;
					Self::schedule_pruning(task, now.saturating_add(T::TaskRetention::get()));
				},
				Some(_) => {
					Tasks::<T>::remove(task);
					Verdicts::<T>::remove(task);
					Panels::<T>::remove(task);
					pruned.push(task);
				},
				None => {},
			}
		}
		if !pruned.is_empty() {
			Self::deposit_event(Event::TasksPruned { tasks: pruned });
		}
		T::WeightInfo::prune_tasks(count).saturating_add(Self::reschedule_weight(rescheduled))
	}

	/// Books `task`'s deletion at `at`, or at the first of the next `MAX_SPILL` blocks with room.
	pub(crate) fn schedule_pruning(task: TaskId, at: BlockNumberFor<T>) {
		let mut block = at;
		for _ in 0..=MAX_SPILL {
			if PruneAt::<T>::try_mutate(block, |list| list.try_push(task)).is_ok() {
				return;
			}
			block.saturating_inc();
		}
		log::warn!(target: "runtime::evaluation", "task {task} could not be scheduled for pruning");
	}

	/// Rescheduling `tasks` open tasks for pruning: up to `MAX_SPILL + 1` lists read each.
	fn reschedule_weight(tasks: u64) -> Weight {
		T::DbWeight::get().reads_writes(tasks.saturating_mul(MAX_SPILL as u64 + 1), tasks)
	}

	/// The most the hook can use in one block: draw a full block of new tasks, prune a full
	/// list and settle `MaxSettlementsPerBlock` full panels.
	pub fn worst_hook_weight() -> Weight {
		let max = T::MaxTasksPerBlock::get();
		let panel = T::MaxPanelSize::get();
		let appeal_panel = MaxRoundPanel::<T>::get();
		// The barred accounts of the last appeal round: the opener, every earlier member and every
		// backer.
		let barred = MaxDisputeMembers::<T>::get()
			.saturating_sub(appeal_panel)
			.saturating_add(1)
			.saturating_add(MaxAppeals::<T>::get().saturating_mul(T::MaxAppealBackers::get()));
		Self::draw_weight(panel, panel)
			.max(Self::draw_weight(0, panel).saturating_add(Self::settlement_weight(0)))
			.saturating_add(Self::exclusion_weight(1))
			.saturating_mul(max as u64)
			.saturating_add(
				Self::draw_weight(appeal_panel, appeal_panel)
					.saturating_add(Self::exclusion_weight(barred))
					.saturating_mul(MAX_APPEALS_PER_BLOCK as u64),
			)
			.saturating_add(T::WeightInfo::prune_tasks(max.saturating_add(MAX_DISPUTE_PRUNES)))
			.saturating_add(Self::reschedule_weight(max as u64))
			.saturating_add(
				Self::settlement_weight(panel).saturating_mul(T::MaxSettlementsPerBlock::get() as u64),
			)
			.saturating_add(T::WeightInfo::on_initialize_visits(Self::max_visits()))
			// `draw_queued`'s own reads and writes, and `prune_due`'s.
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
}
