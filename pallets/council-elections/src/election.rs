//! Who takes the seats, as a pure function of the term's candidates and the sitting council.
//!
//! 1. Candidates who still meet the reputation minimum and whose score reaches the seat quota,
//!    best score first (ties: lower account id), up to `desired` seats. The quota is the larger
//!    of an absolute minimum (`MinElectedWeight`) and `total cast weight / (2 · desired)`: a
//!    seat needs real support, so ballots of dust stake (one or a thousand) cannot seat anyone
//!    while others vote, nor seat anyone at all unless they add up to real stake or reputation.
//! 2. If that fills fewer than `min_members` seats, the empty seats up to `min_members` go to
//!    incumbents who still meet the minimum (highest reputation first, then lower id), then to
//!    qualified candidates below the quota (runners-up: highest score, then reputation), so a
//!    handful of ballots can never shrink the council below `min_members`.
//! 3. If even then fewer than `min_members` seats are filled, or nobody was elected in step 1,
//!    there is no new council: the sitting one stays.

use alloc::vec::Vec;

/// A candidate as the election sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contender<AccountId> {
	pub who: AccountId,
	/// Sum of this term's ballot weights approving the candidate.
	pub score: u128,
	/// Current reputation.
	pub reputation: u128,
}

/// The new council (sorted), or `None` if the sitting council stays.
///
/// `candidates` and `incumbents` carry current reputations; only those with
/// `reputation >= min_reputation` may take a seat.
pub fn select<AccountId: Ord + Clone>(
	candidates: &[Contender<AccountId>],
	incumbents: &[Contender<AccountId>],
	desired: u32,
	min_members: u32,
	min_reputation: u128,
	quota: u128,
) -> Option<Vec<AccountId>> {
	let qualifies = |c: &&Contender<AccountId>| c.reputation >= min_reputation;
	let quota = quota.max(1);
	let mut voted: Vec<&Contender<AccountId>> =
		candidates.iter().filter(qualifies).filter(|c| c.score >= quota).collect();
	voted.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.who.cmp(&b.who)));
	let mut elected: Vec<AccountId> =
		voted.into_iter().take(desired as usize).map(|c| c.who.clone()).collect();
	if elected.is_empty() {
		return None;
	}
	let by_reputation = |a: &&Contender<AccountId>, b: &&Contender<AccountId>| {
		b.reputation.cmp(&a.reputation).then_with(|| a.who.cmp(&b.who))
	};
	let mut sitting: Vec<&Contender<AccountId>> = incumbents.iter().filter(qualifies).collect();
	sitting.sort_by(by_reputation);
	let mut runners_up: Vec<&Contender<AccountId>> =
		candidates.iter().filter(qualifies).filter(|c| c.score < quota).collect();
	// Some support beats none; then reputation.
	runners_up.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| by_reputation(a, b)));
	let floor = min_members.min(desired) as usize;
	for extra in sitting.into_iter().chain(runners_up) {
		if elected.len() >= floor {
			break;
		}
		if !elected.contains(&extra.who) {
			elected.push(extra.who.clone());
		}
	}
	if elected.len() < floor {
		return None;
	}
	elected.sort();
	Some(elected)
}

/// The score a seat needs: at least `min_elected_weight`, and at least
/// `total_cast / (2 · desired)` of the weight cast this term (so a candidate needs the backing
/// of a real share of the voters, whatever the dust elsewhere).
pub fn seat_quota(total_cast: u128, desired: u32, min_elected_weight: u128) -> u128 {
	let share = total_cast / (2u128.saturating_mul(desired.max(1) as u128));
	share.max(min_elected_weight)
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn c(who: u64, score: u128, reputation: u128) -> Contender<u64> {
		Contender { who, score, reputation }
	}

	#[test]
	fn the_best_scores_take_the_seats_and_ties_go_to_the_lower_id() {
		let candidates = [c(5, 10, 100), c(3, 30, 100), c(4, 10, 100), c(6, 20, 100)];
		// 3 (30), 6 (20), then the tie 4/5 (10) goes to 4.
		assert_eq!(select(&candidates, &[], 3, 1, 50, 1), Some(vec![3, 4, 6]));
		assert_eq!(select(&candidates, &[], 2, 1, 50, 1), Some(vec![3, 6]));
		assert_eq!(select(&candidates, &[], 4, 1, 50, 1), Some(vec![3, 4, 5, 6]));
	}

	#[test]
	fn unqualified_and_unapproved_candidates_are_not_elected() {
		// 7 has the best score but too little reputation; 8 has no ballot.
		let candidates = [c(7, 99, 10), c(8, 0, 100), c(9, 1, 100)];
		assert_eq!(select(&candidates, &[], 3, 1, 50, 1), Some(vec![9]));
		assert_eq!(select(&[c(7, 99, 10), c(8, 0, 100)], &[], 3, 1, 50, 1), None);
	}

	#[test]
	fn one_approved_candidate_cannot_shrink_the_council_below_its_minimum() {
		// The dust-ballot attack: one candidate with a score, three seats at minimum.
		let candidates = [c(10, 1, 100), c(11, 0, 80)];
		let incumbents = [c(1, 0, 100), c(2, 0, 300), c(3, 0, 10)];
		// Incumbent 2 (reputation 300) then 1 (100) fill the floor; 3 is unqualified.
		assert_eq!(select(&candidates, &incumbents, 5, 3, 50, 1), Some(vec![1, 2, 10]));
		// With only one qualified incumbent, the runner-up 11 takes the last seat.
		let incumbents = [c(1, 0, 100), c(3, 0, 10)];
		assert_eq!(select(&candidates, &incumbents, 5, 3, 50, 1), Some(vec![1, 10, 11]));
		// Nobody else qualifies: the sitting council stays.
		assert_eq!(select(&[c(10, 1, 100)], &[c(3, 0, 10)], 5, 3, 50, 1), None);
	}

	#[test]
	fn candidates_below_the_quota_take_no_seat_of_their_own() {
		// Dust gave 7 a little; honest voters gave 8 and 9 much more. Quota 10.
		let candidates = [c(7, 9, 100), c(8, 60, 100), c(9, 30, 100)];
		assert_eq!(select(&candidates, &[], 3, 1, 50, 10), Some(vec![8, 9]));
		// Only dust voted: nobody reaches the quota, the council stays.
		assert_eq!(select(&[c(7, 9, 100)], &[c(1, 0, 100), c(2, 0, 100)], 3, 2, 50, 10), None);
		assert_eq!(seat_quota(100, 5, 1), 10);
		assert_eq!(seat_quota(100, 5, 25), 25);
		assert_eq!(seat_quota(0, 0, 0), 0);
	}

	#[test]
	fn an_elected_incumbent_is_not_seated_twice() {
		let candidates = [c(1, 5, 100)];
		let incumbents = [c(1, 0, 100), c(2, 0, 100)];
		assert_eq!(select(&candidates, &incumbents, 3, 2, 50, 1), Some(vec![1, 2]));
	}

	proptest! {
		#[test]
		fn seats_are_bounded_sorted_and_at_least_the_minimum(
			scores in proptest::collection::vec((0u128..4, 0u128..200), 0..12),
			sitting in proptest::collection::vec(0u128..200, 0..6),
			desired in 1u32..8,
			min_members in 1u32..8,
			quota in 1u128..4,
		) {
			let candidates: Vec<_> = scores.iter().enumerate()
				.map(|(i, (s, r))| c(100 + i as u64, *s, *r)).collect();
			let incumbents: Vec<_> = sitting.iter().enumerate()
				.map(|(i, r)| c(i as u64, 0, *r)).collect();
			match select(&candidates, &incumbents, desired, min_members, 50, quota) {
				None => {}
				Some(council) => {
					prop_assert!(council.len() as u32 <= desired);
					prop_assert!(council.len() as u32 >= min_members.min(desired));
					prop_assert!(council.windows(2).all(|w| w[0] < w[1]));
					// Every seat went to someone who qualifies.
					for who in &council {
						let rep = candidates.iter().chain(incumbents.iter())
							.find(|x| x.who == *who).map(|x| x.reputation).unwrap_or(0);
						prop_assert!(rep >= 50);
					}
					// No unelected qualified candidate outscores an elected one, and at least one
					// seat went to a candidate reaching the quota.
					let worst_elected = candidates.iter().filter(|x| council.contains(&x.who))
						.map(|x| x.score).min().unwrap_or(0);
					for x in candidates.iter().filter(|x| x.reputation >= 50 && !council.contains(&x.who)) {
						prop_assert!(x.score <= worst_elected);
					}
					prop_assert!(candidates.iter().any(|x| council.contains(&x.who) && x.score >= quota));
					// A candidate below the quota sits only to fill the floor.
					let below = candidates.iter().filter(|x| council.contains(&x.who) && x.score < quota).count();
					if below > 0 {
						prop_assert!(council.len() as u32 <= min_members.min(desired));
					}
				}
			}
		}
	}
}
