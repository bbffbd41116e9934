//! Panels by lot and task capacity: the sortition tree in storage, the draw of each new task's
//! panel in the next block, the per-block limits that keep direct tasks from crowding out
//! other pallets' tasks, and the pruning of finished tasks.

use crate::{sortition, *};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, SaturatedConversion};

/// The sortition tree's nodes, read and written in storage.
pub(crate) struct StoredNodes<T>(pub(crate) core::marker::PhantomData<T>);

impl<T: Config> sortition::Nodes for StoredNodes<T> {
	fn node(&self, i: u32) -> u128 {
		SortitionNodes::<T>::get(i)
	}
	fn set_node(&mut self, i: u32, value: u128) {
		if value == 0 {
			SortitionNodes::<T>::remove(i);
		} else {
			SortitionNodes::<T>::insert(i, value);
		}
	}
}

impl<T: Config> Pallet<T> {
	fn nodes() -> StoredNodes<T> {
		StoredNodes(core::marker::PhantomData)
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
				SlotOwners::<T>::insert(slot, (who.clone(), weight));
				SlotCount::<T>::put(slot);
				TotalDrawWeight::<T>::mutate(|t| *t = t.saturating_add(weight));
				info.slot = Some(slot);
			},
			(Some(slot), true) => {
				let old = SlotOwners::<T>::get(slot).map(|(_, w)| w).unwrap_or(0);
				if old != weight {
					sortition::update(&mut nodes, capacity, slot, old, weight);
					SlotOwners::<T>::insert(slot, (who.clone(), weight));
					TotalDrawWeight::<T>::mutate(|t| *t = t.saturating_sub(old).saturating_add(weight));
				}
			},
			(Some(slot), false) => {
				let old = SlotOwners::<T>::get(slot).map(|(_, w)| w).unwrap_or(0);
				let last = SlotCount::<T>::get();
				sortition::update(&mut nodes, capacity, slot, old, 0);
				TotalDrawWeight::<T>::mutate(|t| *t = t.saturating_sub(old));
				if last != slot {
					if let Some((moved, moved_weight)) = SlotOwners::<T>::take(last) {
						sortition::update(&mut nodes, capacity, last, moved_weight, 0);
						sortition::update(&mut nodes, capacity, slot, 0, moved_weight);
						SlotOwners::<T>::insert(slot, (moved.clone(), moved_weight));
						Evaluators::<T>::mutate(&moved, |m| {
							if let Some(m) = m {
								m.slot = Some(slot);
							}
						});
					}
				} else {
					SlotOwners::<T>::remove(slot);
				}
				SlotCount::<T>::put(last.saturating_sub(1));
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
		ensure!((queued.len() as u32) < max, Error::<T>::TooManyTasksOpened);
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

	/// Draws the panels of the tasks opened in the previous block (the hook's first step, so
	/// no transaction of this block can change the tree before the draw).
	pub(crate) fn draw_queued() -> Weight {
		let queued = ToDraw::<T>::take();
		DirectOpened::<T>::kill();
		let mut used = T::DbWeight::get().reads_writes(2, 2);
		for task in queued {
			used.saturating_accrue(Self::draw_panel(task));
		}
		used
	}

	/// Draws `task`'s panel: `panel_size` seats with replacement, each with probability bond /
	/// total bond, the opener's slot cut out. If nobody can be drawn the task fails.
	pub(crate) fn draw_panel(task: TaskId) -> Weight {
		let Some(record) = Tasks::<T>::get(task) else { return T::DbWeight::get().reads(1) };
		if record.status != TaskStatus::Open || Panels::<T>::contains_key(task) {
			return T::DbWeight::get().reads(2);
		}
		let capacity = T::MaxEvaluators::get();
		let excluded = Evaluators::<T>::get(&record.opener)
			.and_then(|info| info.slot)
			.and_then(|slot| SlotOwners::<T>::get(slot).map(|(_, weight)| (slot, weight)));
		let (seed, _) = T::Randomness::random(&(PANEL_TAG, task).encode());
		let drawn = sortition::draw(
			&Self::nodes(),
			capacity,
			TotalDrawWeight::<T>::get(),
			excluded,
			record.panel_size,
			|seat| sp_io::hashing::blake2_256(&(&seed, seat).encode()),
		);
		if drawn.is_empty() {
			let hook = Self::fail_unstaffed(task, record);
			return T::WeightInfo::draw_panel(0).saturating_add(hook);
		}
		let mut panel: PanelOf<T> = BoundedVec::new();
		for (slot, seats) in sortition::seats_per_slot(&drawn) {
			let Some((who, _)) = SlotOwners::<T>::get(slot) else { continue };
			Drawn::<T>::insert(&who, task, seats);
			Evaluators::<T>::mutate(&who, |info| {
				if let Some(info) = info {
					info.pending_tasks.saturating_inc();
				}
			});
			// At most `panel_size` ≤ `MaxPanelSize` distinct members.
			let _ = panel.try_push((who, seats));
		}
		let members = panel.len() as u32;
		Panels::<T>::insert(task, panel.clone());
		Self::deposit_event(Event::PanelDrawn { task, panel: panel.into_inner() });
		T::WeightInfo::draw_panel(members)
	}

	/// Deletes the finished tasks scheduled for this block (at most `MaxTasksPerBlock`).
	pub(crate) fn prune_due(now: BlockNumberFor<T>) -> Weight {
		let scheduled = PruneAt::<T>::take(now);
		if scheduled.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		let count = scheduled.len() as u32;
		let mut pruned = Vec::new();
		for task in scheduled {
			match Tasks::<T>::get(task) {
				Some(record) if record.status == TaskStatus::Open => {
					// Not settled yet (only if the hook could not keep up): keep it for another
					// retention period.
					let later = now.saturating_add(T::TaskRetention::get());
					if PruneAt::<T>::try_mutate(later, |list| list.try_push(task)).is_err() {
						log::warn!(target: "runtime::evaluation", "task {task} could not be rescheduled for pruning");
					}
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
		T::WeightInfo::prune_tasks(count)
	}

	/// The most the hook can use in one block: draw a full block of new tasks, prune a full
	/// list and settle `MaxSettlementsPerBlock` full panels.
	pub fn worst_hook_weight() -> Weight {
		let max = T::MaxTasksPerBlock::get();
		let panel = T::MaxPanelSize::get();
		T::WeightInfo::draw_panel(panel)
			.max(T::WeightInfo::draw_panel(0).saturating_add(Self::settlement_weight(0)))
			.saturating_mul(max as u64)
			.saturating_add(T::WeightInfo::prune_tasks(max))
			.saturating_add(
				Self::settlement_weight(panel).saturating_mul(T::MaxSettlementsPerBlock::get() as u64),
			)
			.saturating_add(T::WeightInfo::on_initialize_visits(Self::max_visits()))
	}
}
