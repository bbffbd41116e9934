//! Benchmarks for contributions (frame-benchmarking v2), each at its worst case: the longest
//! URI and metadata, the most parents, the full royalty tree, points in every pool. The
//! `*_at_scale` benchmarks repeat `claim` and epoch close with 100,000 earning accounts and
//! 1,000 closed epochs in storage, to show their cost does not depend on either.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get, Hooks,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, Saturating},
	Perbill,
};

/// Earning accounts and closed epochs in the scale benchmarks.
pub const SCALE_ACCOUNTS: u32 = 100_000;
pub const SCALE_EPOCHS: u32 = 1_000;

/// The salt of every registration commitment in the benchmarks.
const SALT: [u8; 32] = [7u8; 32];

/// Parameters inside the runtime's bounds (`check_params` accepts them): each value is capped
/// by its bound.
fn bench_params<T: Config>(evaluation_fee: BalanceOf<T>) -> ParamsOf<T> {
	ContributionParams {
		epoch_length: BlockNumberFor::<T>::from(100u32)
			.max(T::MinEpochLength::get())
			.min(T::MaxEpochLength::get()),
		epoch_emission: BalanceOf::<T>::from(1_000_000_000u32).min(T::MaxEpochEmission::get()),
		pool_weights: PerPool::from_fn(|_| 1),
		royalty: Perbill::from_percent(10),
		royalty_depth: T::MaxRoyaltyDepth::get(),
		acceptance_threshold: MIN_ACCEPTANCE_THRESHOLD,
		deposit_base: BalanceOf::<T>::from(1_000u32).min(T::MaxDeposit::get()),
		deposit_per_byte: 1u32.into(),
		evaluation_fee: evaluation_fee.max(T::MinEvaluationFee::get()).min(T::MaxEvaluationFee::get()),
		rejection_slash: MAX_REJECTION_SLASH,
		acceptance_reputation: T::MaxReputationReward::get().min(1_000),
		rejection_penalty: T::MaxReputationPenalty::get().min(1_000),
	}
}

/// Sets parameters and opens epoch 0 at the current block.
fn setup<T: Config>() {
	let fee = T::BenchmarkHelper::prepare_evaluation();
	let params = bench_params::<T>(fee);
	Params::<T>::put(params);
	CurrentEpoch::<T>::kill();
	Pallet::<T>::start_rewards(frame_system::Pallet::<T>::block_number(), &params);
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// A distinct content hash per `n`.
fn hash_of(n: u64) -> H256 {
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&n.to_be_bytes());
	H256(bytes)
}

fn max_bytes(len: u32, byte: u8) -> Vec<u8> {
	vec![byte; len as usize]
}

/// Inserts an accepted contribution owned by a fresh account, without a deposit.
fn accepted<T: Config>(i: u32, parents: Vec<ContributionId>) -> ContributionId {
	let id = NextContributionId::<T>::get();
	NextContributionId::<T>::put(id + 1);
	let content_hash = hash_of(i as u64 + 1);
	ByContentHash::<T>::insert(content_hash, id);
	Registry::<T>::insert(
		id,
		ContributionRecord::<T> {
			owner: account("owner", i, 0),
			kind: ContributionKind::Dataset,
			content_hash,
			uri: Default::default(),
			metadata: Default::default(),
			parents: parents.try_into().expect("at most MaxParents"),
			deposit: 0u32.into(),
			registered_at: 0u32.into(),
			status: ContributionStatus::Accepted { task: 0, quality: 100, points: 100_000, epoch: 0 },
			retired: false,
		},
	);
	id
}

/// `MaxParents` accepted parents, each with `MaxParents` parents of its own, and so on for
/// `MaxRoyaltyDepth` generations, all distinct: the royalty tree of the worst case.
fn royalty_tree<T: Config>() -> Vec<ContributionId> {
	let width = T::MaxParents::get();
	let mut next_owner = 1_000u32;
	// Bottom-up: the deepest generation first.
	let mut generation: Vec<ContributionId> = Vec::new();
	for depth in (1..=T::MaxRoyaltyDepth::get()).rev() {
		let count = width.pow(depth);
		let mut this = Vec::with_capacity(count as usize);
		for j in 0..count {
			let parents = if generation.is_empty() {
				Vec::new()
			} else {
				let start = (j * width) as usize;
				generation[start..start + width as usize].to_vec()
			};
			this.push(accepted::<T>(next_owner, parents));
			next_owner += 1;
		}
		generation = this;
	}
	generation
}

/// Commits `owner` to registering `content_hash` (salt [`SALT`]) through the call and moves to
/// the next block, where `register` may use the commitment.
fn committed<T: Config>(owner: &T::AccountId, content_hash: H256) {
	let commitment = registration_commitment_of(content_hash, owner, &SALT);
	Pallet::<T>::commit_registration(RawOrigin::Signed(owner.clone()).into(), commitment)
		.expect("the commitment is new and its deposit affordable");
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(1u32.into()));
}

/// Registers a contribution from `owner` through the calls (commitment made in the previous
/// block, deposit held, task opened).
fn registered<T: Config>(owner: &T::AccountId, n: u64, parents: Vec<ContributionId>) -> (ContributionId, TaskId) {
	let content_hash = hash_of(u64::MAX - n);
	committed::<T>(owner, content_hash);
	Pallet::<T>::register(
		RawOrigin::Signed(owner.clone()).into(),
		ContributionKind::Model,
		content_hash,
		max_bytes(T::MaxUriLen::get(), b'u'),
		max_bytes(T::MaxMetadataLen::get(), b'm'),
		parents,
		SALT,
	)
	.expect("registration works");
	let id = NextContributionId::<T>::get() - 1;
	match Registry::<T>::get(id).expect("just registered").status {
		ContributionStatus::Evaluating { task } => (id, task),
		_ => unreachable!("a new contribution is being evaluated"),
	}
}

/// A new account (the claim creates it: the costlier case) with points in every pool of a
/// closed epoch and an earlier unclaimed balance of ten existential deposits.
fn earner_with_closed_points<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("claimer", 0, 0);
	let epoch = CurrentEpoch::<T>::get().expect("started");
	let unclaimed = T::Currency::minimum_balance().saturating_mul(10u32.into());
	AccountEarnings::<T>::insert(
		&who,
		EarningsOf::<T> { epoch: epoch.index, points: PerPool::from_fn(|_| 1_000), unclaimed },
	);
	CurrentEpoch::<T>::put(EpochStateOf::<T> { points: PerPool::from_fn(|_| 1_000_000), ..epoch });
	let now = epoch.ends_at;
	frame_system::Pallet::<T>::set_block_number(now);
	Pallet::<T>::close_epoch(now, CurrentEpoch::<T>::get().expect("started"));
	// Cover the earlier unclaimed balance too.
	let _ = T::Currency::mint_into(&Pallet::<T>::pot_account(), unclaimed);
	who
}

/// Fills storage with `SCALE_ACCOUNTS` earning accounts and `SCALE_EPOCHS` closed epochs.
fn history_at_scale<T: Config>() {
	let epoch = CurrentEpoch::<T>::get().expect("started");
	for i in 0..SCALE_ACCOUNTS {
		let who: T::AccountId = account("earner", i, 1);
		AccountEarnings::<T>::insert(
			who,
			EarningsOf::<T> { epoch: epoch.index, points: PerPool::from_fn(|_| 1_000), unclaimed: 0u32.into() },
		);
	}
	let closed = ClosedEpochOf::<T> {
		closed_at: 0u32.into(),
		points: PerPool::from_fn(|_| 1_000_000),
		rewards: PerPool::from_fn(|_| 1_000_000u32.into()),
	};
	for index in 0..SCALE_EPOCHS {
		ClosedEpochs::<T>::insert(epoch.index + 1 + index, closed);
	}
	// The scale accounts' points are in the open epoch's totals.
	CurrentEpoch::<T>::put(EpochStateOf::<T> {
		index: epoch.index,
		points: PerPool::from_fn(|_| 1_000u128 * SCALE_ACCOUNTS as u128),
		..epoch
	});
}

fn epoch_due<T: Config>() -> BlockNumberFor<T> {
	let epoch = CurrentEpoch::<T>::get().expect("started");
	CurrentEpoch::<T>::put(EpochStateOf::<T> {
		points: PerPool::from_fn(|_| 1_000_000),
		..epoch
	});
	epoch.ends_at
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The most parents, the longest URI and metadata; the commitment (made in the previous
	/// block) is used and its deposit released.
	#[benchmark]
	fn register() {
		setup::<T>();
		let parents: Vec<ContributionId> = (0..T::MaxParents::get()).map(|i| accepted::<T>(i, vec![])).collect();
		let owner = funded::<T>("owner", 0);
		let content_hash = H256::repeat_byte(0xee);
		committed::<T>(&owner, content_hash);
		let uri = max_bytes(T::MaxUriLen::get(), b'u');
		let metadata = max_bytes(T::MaxMetadataLen::get(), b'm');
		let id = NextContributionId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), ContributionKind::Model, content_hash, uri, metadata, parents, SALT);

		assert!(matches!(
			Registry::<T>::get(id).map(|c| c.status),
			Some(ContributionStatus::Evaluating { .. })
		));
		assert!(!RegistrationCommitments::<T>::contains_key(
			&owner,
			registration_commitment_of(content_hash, &owner, &SALT)
		));
	}

	/// Grows an accepted contribution's URI and metadata from nothing to the longest (more
	/// deposit held). Contributions being evaluated cannot be updated.
	#[benchmark]
	fn update() {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let content_hash = H256::repeat_byte(1);
		committed::<T>(&owner, content_hash);
		Pallet::<T>::register(
			RawOrigin::Signed(owner.clone()).into(),
			ContributionKind::Model,
			content_hash,
			vec![],
			vec![],
			vec![],
			SALT,
		)
		.expect("registration works");
		let id = NextContributionId::<T>::get() - 1;
		if let Some(ContributionStatus::Evaluating { task }) = Registry::<T>::get(id).map(|c| c.status) {
			ScoringTasks::<T>::remove(task);
			Registry::<T>::mutate(id, |c| {
				if let Some(c) = c {
					c.status = ContributionStatus::Accepted { task, quality: 90, points: 90_000, epoch: 0 };
				}
			});
		}
		let uri = max_bytes(T::MaxUriLen::get(), b'u');
		let metadata = max_bytes(T::MaxMetadataLen::get(), b'm');

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, uri, metadata);

		assert_eq!(Registry::<T>::get(id).map(|c| c.uri.len() as u32), Some(T::MaxUriLen::get()));
	}

	#[benchmark]
	fn commit_registration() {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let commitment = registration_commitment_of(H256::repeat_byte(0xee), &owner, &SALT);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), commitment);

		assert!(RegistrationCommitments::<T>::contains_key(&owner, commitment));
	}

	#[benchmark]
	fn cancel_registration_commitment() {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let commitment = registration_commitment_of(H256::repeat_byte(0xee), &owner, &SALT);
		Pallet::<T>::commit_registration(RawOrigin::Signed(owner.clone()).into(), commitment)
			.expect("the commitment is new and its deposit affordable");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), commitment);

		assert!(!RegistrationCommitments::<T>::contains_key(&owner, commitment));
	}

	#[benchmark]
	fn retire() {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let (id, task) = registered::<T>(&owner, 0, vec![]);
		ScoringTasks::<T>::remove(task);
		Registry::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.status = ContributionStatus::Accepted { task, quality: 90, points: 90_000, epoch: 0 };
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert_eq!(Registry::<T>::get(id).map(|c| c.retired), Some(true));
	}

	#[benchmark]
	fn request_evaluation() {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let (id, task) = registered::<T>(&owner, 0, vec![]);
		ScoringTasks::<T>::remove(task);
		Registry::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.status = ContributionStatus::Unscored { task: Some(task) };
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(matches!(
			Registry::<T>::get(id).map(|c| c.status),
			Some(ContributionStatus::Evaluating { task: t }) if t != task
		));
	}

	#[benchmark]
	fn claim() {
		setup::<T>();
		let who = earner_with_closed_points::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(AccountEarnings::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn claim_at_scale() {
		setup::<T>();
		let who = earner_with_closed_points::<T>();
		history_at_scale::<T>();

		#[block]
		{
			Pallet::<T>::claim(RawOrigin::Signed(who.clone()).into()).expect("claimable");
		}

		assert!(AccountEarnings::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		setup::<T>();
		// Worst case: the first parameters open epoch 0 and endow the pot.
		CurrentEpoch::<T>::kill();
		let origin = T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = bench_params::<T>(1_000u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert!(CurrentEpoch::<T>::exists());
		Ok(())
	}

	#[benchmark]
	fn on_initialize_idle() {
		setup::<T>();
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentEpoch::<T>::get().map(|e| e.index), Some(0));
	}

	#[benchmark]
	fn on_initialize_close_epoch() {
		setup::<T>();
		let due = epoch_due::<T>();

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		assert_eq!(CurrentEpoch::<T>::get().map(|e| e.index), Some(1));
	}

	#[benchmark]
	fn close_epoch_at_scale() {
		setup::<T>();
		history_at_scale::<T>();
		let due = epoch_due::<T>();

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		assert_eq!(CurrentEpoch::<T>::get().map(|e| e.index), Some(1));
	}

	/// An accepted contribution with the full royalty tree; `p` accurate evaluators (one seat
	/// each: the cost is per account, seats only scale the points).
	#[benchmark]
	fn on_task_settled_accepted(p: Linear<0, { T::MaxParticipants::get() }>) {
		setup::<T>();
		let parents = royalty_tree::<T>();
		let owner = funded::<T>("owner", 0);
		let (id, task) = registered::<T>(&owner, 0, parents);
		let accurate: Vec<(T::AccountId, u32)> = (0..p).map(|i| (account("evaluator", i, 0), 1)).collect();
		let settled = SettledTask { task, consensus: Some(vec![100; T::ScoringCriteria::get().len()]), accurate };

		#[block]
		{
			Pallet::<T>::on_task_settled(&settled);
		}

		assert!(matches!(Registry::<T>::get(id).map(|c| c.status), Some(ContributionStatus::Accepted { .. })));
	}

	/// A rejected contribution (deposit partly burnt, reputation penalized); `p` accurate
	/// evaluators.
	#[benchmark]
	fn on_task_settled_rejected(p: Linear<0, { T::MaxParticipants::get() }>) {
		setup::<T>();
		let owner = funded::<T>("owner", 0);
		let (id, task) = registered::<T>(&owner, 0, vec![]);
		let accurate: Vec<(T::AccountId, u32)> = (0..p).map(|i| (account("evaluator", i, 0), 1)).collect();
		let settled = SettledTask { task, consensus: Some(vec![0; T::ScoringCriteria::get().len()]), accurate };

		#[block]
		{
			Pallet::<T>::on_task_settled(&settled);
		}

		assert!(matches!(Registry::<T>::get(id).map(|c| c.status), Some(ContributionStatus::Rejected { .. })));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
