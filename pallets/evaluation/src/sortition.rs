//! Drawing panels by lot: a Fenwick (binary indexed) sum tree over evaluator slots, so that
//! adding, changing or removing a weight and drawing one seat each cost O(log N) node reads
//! for a tree of capacity N, whatever the number of evaluators.
//!
//! The maths is generic over where the nodes live ([`Nodes`]): the pallet keeps them in
//! storage, the tests in a vector, and both run the same code.
//!
//! **Split-neutrality.** Every seat is drawn independently, *with replacement*, with
//! probability `weight / total`. An account's expected seats on a panel of `k` are therefore
//! `k · weight / total`: linear in its weight, so N accounts holding a weight `w` between them
//! expect exactly the seats of one account holding `w` (property test
//! `splitting_an_account_does_not_change_its_expected_seats`). Drawing *without* replacement
//! would not be linear (a whale's second seat would be less likely than its first).

use alloc::vec::Vec;

/// Where the tree's nodes live. Node `i` (1-based, `1..=capacity`) holds the sum of the
/// weights of slots `i − lowbit(i) + 1 ..= i`.
pub trait Nodes {
	fn node(&self, i: u32) -> u128;
	fn set_node(&mut self, i: u32, value: u128);
}

fn lowbit(i: u32) -> u32 {
	i & i.wrapping_neg()
}

/// Changes slot `slot`'s weight from `old` to `new`.
pub fn update<N: Nodes>(nodes: &mut N, capacity: u32, slot: u32, old: u128, new: u128) {
	if slot == 0 || old == new {
		return;
	}
	let mut i = slot;
	while i <= capacity {
		let value = nodes.node(i);
		let value = if new > old {
			value.saturating_add(new - old)
		} else {
			value.saturating_sub(old - new)
		};
		nodes.set_node(i, value);
		match i.checked_add(lowbit(i)) {
			Some(next) => i = next,
			None => break,
		}
	}
}

/// Sum of the weights of slots `1..=slot`.
pub fn prefix<N: Nodes>(nodes: &N, slot: u32) -> u128 {
	let mut sum = 0u128;
	let mut i = slot;
	while i > 0 {
		sum = sum.saturating_add(nodes.node(i));
		i -= lowbit(i);
	}
	sum
}

/// The slot whose interval `[prefix(slot − 1), prefix(slot))` contains `point`; `point` must
/// be below the total weight. Reads one node per level: ⌊log₂ capacity⌋ + 1 reads.
pub fn find<N: Nodes>(nodes: &N, capacity: u32, point: u128) -> u32 {
	let mut position = 0u32;
	let mut remaining = point;
	let mut step = if capacity == 0 { 0 } else { 1u32 << (31 - capacity.leading_zeros()) };
	while step > 0 {
		let next = position.saturating_add(step);
		if next <= capacity {
			let value = nodes.node(next);
			if value <= remaining {
				position = next;
				remaining -= value;
			}
		}
		step >>= 1;
	}
	position.saturating_add(1)
}

/// A uniform-enough number in `0..range` from 32 random bytes (`range > 0`). The modulo bias is
/// below `range / 2^128`: negligible for any total bond.
pub fn point_in(random: [u8; 32], range: u128) -> u128 {
	let mut bytes = [0u8; 16];
	bytes.copy_from_slice(&random[..16]);
	u128::from_le_bytes(bytes) % range.max(1)
}

/// Draws `seats` slots with replacement from a tree with `total` weight, skipping every slot
/// in `excluded` (a slot and its weight) entirely: their intervals are cut out of the range,
/// so the others keep their relative chances exactly. `random(j)` gives seat `j`'s 32 random
/// bytes. Returns the drawn slots (one per seat, with repeats), or nothing if no weight is left
/// to draw from. Costs one prefix per excluded slot, then per seat one `find` and a pass over
/// the cuts.
pub fn draw<N: Nodes>(
	nodes: &N,
	capacity: u32,
	total: u128,
	excluded: &[(u32, u128)],
	seats: u32,
	mut random: impl FnMut(u32) -> [u8; 32],
) -> Vec<u32> {
	// Each cut: (start of its interval, width); distinct slots have disjoint intervals.
	let mut slots: Vec<(u32, u128)> = excluded.iter().copied().filter(|(_, w)| *w > 0).collect();
	slots.sort_unstable_by_key(|(slot, _)| *slot);
	slots.dedup_by_key(|(slot, _)| *slot);
	let cuts: Vec<(u128, u128)> =
		slots.iter().map(|(slot, w)| (prefix(nodes, slot.saturating_sub(1)), *w)).collect();
	let cut_weight = cuts.iter().fold(0u128, |acc, (_, w)| acc.saturating_add(*w));
	let range = total.saturating_sub(cut_weight);
	if range == 0 {
		return Vec::new();
	}
	(0..seats)
		.map(|j| {
			let mut point = point_in(random(j), range);
			// Map the point back onto the whole range, skipping each cut it reaches: cuts are
			// sorted by start, and every earlier cut has already been skipped.
			for (start, width) in &cuts {
				if point >= *start {
					point = point.saturating_add(*width);
				} else {
					break;
				}
			}
			find(nodes, capacity, point)
		})
		.collect()
}

/// Groups drawn slots into `(slot, seats)`, in the order each slot was first drawn.
pub fn seats_per_slot(drawn: &[u32]) -> Vec<(u32, u32)> {
	let mut grouped: Vec<(u32, u32)> = Vec::new();
	for slot in drawn {
		match grouped.iter_mut().find(|(s, _)| s == slot) {
			Some((_, seats)) => *seats = seats.saturating_add(1),
			None => grouped.push((*slot, 1)),
		}
	}
	grouped
}

#[cfg(test)]
mod tests {
	use super::*;

	struct VecNodes(Vec<u128>);
	impl Nodes for VecNodes {
		fn node(&self, i: u32) -> u128 {
			self.0[i as usize]
		}
		fn set_node(&mut self, i: u32, value: u128) {
			self.0[i as usize] = value;
		}
	}

	fn tree(weights: &[u128], capacity: u32) -> VecNodes {
		let mut nodes = VecNodes(vec![0; capacity as usize + 1]);
		for (i, w) in weights.iter().enumerate() {
			update(&mut nodes, capacity, i as u32 + 1, 0, *w);
		}
		nodes
	}

	/// A small deterministic generator (splitmix64) for the property tests.
	struct Rng(u64);
	impl Rng {
		fn next(&mut self) -> u64 {
			self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
			let mut z = self.0;
			z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
			z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
			z ^ (z >> 31)
		}
		fn bytes(&mut self) -> [u8; 32] {
			let mut out = [0u8; 32];
			for chunk in out.chunks_mut(8) {
				chunk.copy_from_slice(&self.next().to_le_bytes());
			}
			out
		}
	}

	#[test]
	fn prefix_and_find_agree_with_a_linear_scan_after_random_updates() {
		let mut rng = Rng(7);
		for capacity in [1u32, 2, 3, 7, 8, 64, 100] {
			let mut weights = vec![0u128; capacity as usize];
			let mut nodes = VecNodes(vec![0; capacity as usize + 1]);
			for _ in 0..300 {
				let slot = (rng.next() % capacity as u64) as usize;
				let new = (rng.next() % 1_000) as u128;
				update(&mut nodes, capacity, slot as u32 + 1, weights[slot], new);
				weights[slot] = new;
				for s in 0..=capacity {
					assert_eq!(prefix(&nodes, s), weights[..s as usize].iter().sum::<u128>());
				}
				let total: u128 = weights.iter().sum();
				if total > 0 {
					let point = rng.next() as u128 % total;
					let expected = {
						let mut acc = 0;
						weights.iter().position(|w| {
							acc += w;
							acc > point
						})
					}
					.map(|p| p as u32 + 1);
					assert_eq!(Some(find(&nodes, capacity, point)), expected);
				}
			}
		}
	}

	#[test]
	fn a_zero_weight_slot_is_never_drawn_and_the_excluded_slot_never() {
		let weights = [5u128, 0, 7, 3];
		let nodes = tree(&weights, 8);
		let mut rng = Rng(1);
		let drawn = draw(&nodes, 8, 15, &[(3, 7)], 2_000, |_| rng.bytes());
		assert_eq!(drawn.len(), 2_000);
		assert!(drawn.iter().all(|s| *s == 1 || *s == 4), "{drawn:?}");
		// Among the rest the chances keep their ratio 5 : 3.
		let ones = drawn.iter().filter(|s| **s == 1).count() as f64 / 2_000.0;
		assert!((ones - 5.0 / 8.0).abs() < 0.04, "{ones}");
	}

	/// Several excluded slots, given in any order (and one twice): none of them is ever drawn,
	/// and the rest keep their relative chances (an appeal panel excludes every earlier member).
	#[test]
	fn several_excluded_slots_are_never_drawn_and_the_rest_keep_their_ratios() {
		let weights = [4u128, 6, 2, 8, 5, 5];
		let nodes = tree(&weights, 8);
		let mut rng = Rng(7);
		let excluded = [(5, 5), (2, 6), (4, 8), (2, 6)];
		let drawn = draw(&nodes, 8, 30, &excluded, 6_000, |_| rng.bytes());
		assert_eq!(drawn.len(), 6_000);
		let count = |slot: u32| drawn.iter().filter(|s| **s == slot).count() as f64 / 6_000.0;
		for slot in [2, 4, 5] {
			assert_eq!(count(slot), 0.0, "slot {slot} is excluded");
		}
		// Left: slots 1, 3, 6 with weights 4 : 2 : 5.
		for (slot, share) in [(1, 4.0 / 11.0), (3, 2.0 / 11.0), (6, 5.0 / 11.0)] {
			assert!((count(slot) - share).abs() < 0.03, "slot {slot}: {} vs {share}", count(slot));
		}
		// Everything excluded: nothing to draw.
		let all: Vec<(u32, u128)> = weights.iter().enumerate().map(|(i, w)| (i as u32 + 1, *w)).collect();
		assert!(draw(&nodes, 8, 30, &all, 3, |_| [9; 32]).is_empty());
	}

	#[test]
	fn nothing_is_drawn_when_only_the_excluded_weight_is_left() {
		let nodes = tree(&[0, 9], 2);
		assert!(draw(&nodes, 2, 9, &[(2, 9)], 3, |_| [1; 32]).is_empty());
		assert!(draw(&nodes, 2, 0, &[], 3, |_| [1; 32]).is_empty());
	}

	/// Expected seats are linear in weight: one account holding `w` and N accounts holding
	/// `w` between them (any split) expect the same seats, against the same rest of the pool.
	#[test]
	fn splitting_an_account_does_not_change_its_expected_seats() {
		let mut rng = Rng(42);
		for case in 0..20u64 {
			let honest: Vec<u128> = (0..5).map(|_| 50 + (rng.next() % 500) as u128).collect();
			let bloc = 100 + (rng.next() % 900) as u128;
			let parts = 2 + (case % 6) as usize;
			// A random split of `bloc` into `parts` positive pieces.
			let mut cuts: Vec<u128> = (0..parts - 1).map(|_| 1 + rng.next() as u128 % (bloc - 1)).collect();
			cuts.sort();
			cuts.dedup();
			let mut split = Vec::new();
			let mut last = 0;
			for c in cuts.iter().chain(core::iter::once(&bloc)) {
				split.push(c - last);
				last = *c;
			}
			let seats_of = |weights: &[u128], bloc_slots: core::ops::RangeInclusive<u32>, rng: &mut Rng| {
				let nodes = tree(weights, 16);
				let total = weights.iter().sum();
				let drawn = draw(&nodes, 16, total, &[], 20_000, |_| rng.bytes());
				drawn.iter().filter(|s| bloc_slots.contains(s)).count() as f64 / 20_000.0
			};
			let mut whole = honest.clone();
			whole.push(bloc);
			let one = seats_of(&whole, 6..=6, &mut rng);
			let mut many = honest.clone();
			many.extend(&split);
			let n = many.len() as u32;
			let split_share = seats_of(&many, 6..=n, &mut rng);
			let exact = bloc as f64 / whole.iter().sum::<u128>() as f64;
			// Both estimate the same share (sampling error of 20,000 draws: < 0.012 at 3σ).
			assert!((one - exact).abs() < 0.012, "case {case}: one account {one} vs {exact}");
			assert!((split_share - exact).abs() < 0.012, "case {case}: split {split_share} vs {exact}");
		}
	}

	#[test]
	fn seats_are_grouped_by_slot_in_draw_order() {
		assert_eq!(seats_per_slot(&[4, 2, 4, 4, 9]), vec![(4, 3), (2, 1), (9, 1)]);
		assert!(seats_per_slot(&[]).is_empty());
	}

	#[test]
	fn find_reads_one_node_per_level() {
		struct Counting<'a>(&'a VecNodes, core::cell::Cell<u32>);
		impl Nodes for Counting<'_> {
			fn node(&self, i: u32) -> u128 {
				self.1.set(self.1.get() + 1);
				self.0.node(i)
			}
			fn set_node(&mut self, _: u32, _: u128) {}
		}
		let weights: Vec<u128> = (1..=4096).collect();
		let nodes = tree(&weights, 4096);
		let counting = Counting(&nodes, core::cell::Cell::new(0));
		find(&counting, 4096, 1_000_000);
		assert!(counting.1.get() <= 13, "{} reads", counting.1.get());
	}
}
