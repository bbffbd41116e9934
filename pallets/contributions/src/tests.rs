use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use perspective_primitives::ReputationReason;
use sp_arithmetic::Perbill;
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError};

const URI: &[u8] = b"ipfs://data";
const META: &[u8] = b"csv";

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn deposit(uri: &[u8], meta: &[u8]) -> u64 {
	DEPOSIT_BASE + (uri.len() + meta.len()) as u64
}

/// Registers a contribution; returns its id and scoring task.
fn register(who: u64, kind: ContributionKind, n: u8, parents: Vec<ContributionId>) -> (ContributionId, TaskId) {
	assert_ok!(Contributions::register(
		RuntimeOrigin::signed(who),
		kind,
		hash(n),
		URI.to_vec(),
		META.to_vec(),
		parents
	));
	let id = NextContributionId::<Test>::get() - 1;
	match Registry::<Test>::get(id).unwrap().status {
		ContributionStatus::Evaluating { task } => (id, task),
		other => panic!("unexpected status {other:?}"),
	}
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ContributionDeposit.into(), &who)
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn close_epoch() {
	let ends = CurrentEpoch::<Test>::get().unwrap().ends_at;
	run_to(ends);
}

fn status(id: ContributionId) -> ContributionStatus {
	Registry::<Test>::get(id).unwrap().status
}

#[test]
fn register_holds_the_deposit_and_opens_a_scoring_task() {
	build_and_execute(|| {
		let (id, task) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		assert_eq!(id, 0);
		assert_eq!(held(ALICE), deposit(URI, META));
		// The evaluation fee is the task's reward pot, held by the evaluation pallet.
		assert_eq!(free(ALICE), BALANCE - deposit(URI, META) - FEE);
		let record = pallet_evaluation::Tasks::<Test>::get(task).unwrap();
		assert_eq!((record.opener, record.reward, record.content_hash), (ALICE, FEE, hash(1)));
		assert_eq!(record.criteria.len(), 2);
		assert_eq!(ScoringTasks::<Test>::get(task), Some(id));
		assert_eq!(ByContentHash::<Test>::get(hash(1)), Some(id));
		assert_eq!(
			events(),
			vec![Event::ContributionRegistered {
				id,
				owner: ALICE,
				kind: ContributionKind::Dataset,
				content_hash: hash(1),
				parents: Default::default(),
				deposit: deposit(URI, META),
				task,
			}]
		);
	});
}

#[test]
fn register_rejects_bad_input_with_precise_errors() {
	build_and_execute(|| {
		let (id, _) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		let reg = |who, kind, n, uri: Vec<u8>, meta: Vec<u8>, parents| {
			Contributions::register(RuntimeOrigin::signed(who), kind, hash(n), uri, meta, parents)
		};
		use ContributionKind::*;
		assert_noop!(reg(BOB, Dataset, 1, vec![], vec![], vec![]), Error::<Test>::DuplicateContent);
		assert_noop!(reg(BOB, Model, 2, vec![0; 65], vec![], vec![]), Error::<Test>::UriTooLong);
		assert_noop!(reg(BOB, Model, 2, vec![], vec![0; 65], vec![]), Error::<Test>::MetadataTooLong);
		assert_noop!(reg(BOB, Model, 2, vec![], vec![], vec![id; 4]), Error::<Test>::TooManyParents);
		assert_noop!(reg(BOB, Model, 2, vec![], vec![], vec![id, id]), Error::<Test>::DuplicateParent);
		assert_noop!(reg(BOB, Model, 2, vec![], vec![], vec![7]), Error::<Test>::ParentNotFound);
		assert_noop!(reg(BOB, Model, 2, vec![], vec![], vec![id]), Error::<Test>::ParentNotAccepted);
		assert_noop!(reg(99, Model, 2, vec![], vec![], vec![]), Error::<Test>::InsufficientBalance);
		let mut p = params();
		p.pool_weights.code = 0;
		assert_ok!(Contributions::set_params(RuntimeOrigin::root(), p));
		assert_noop!(reg(BOB, Code, 2, vec![], vec![], vec![]), Error::<Test>::KindNotRewarded);
		Params::<Test>::kill();
		assert_noop!(reg(BOB, Model, 2, vec![], vec![], vec![]), Error::<Test>::NotConfigured);
	});
}

#[test]
fn accepted_dataset_earns_its_pool_and_evaluators_earn_participation() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let (id, task) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(task, 80);
		assert_eq!(
			status(id),
			ContributionStatus::Accepted { task, quality: 80, points: 80_000, epoch: 0 }
		);
		assert!(events().contains(&Event::ContributionAccepted { id, quality: 80, points: 80_000, kept: 80_000 }));
		assert!(events().contains(&Event::ParticipationCredited { task, evaluators: 3, points: 1_000 }));
		assert!(ReputationLog::get().contains(&(ALICE, 1_000, ReputationReason::AcceptedContribution)));
		assert_eq!(held(ALICE), deposit(URI, META), "an accepted contribution keeps its deposit");

		// Nothing is claimable before the epoch closes; the points show as pending.
		assert_noop!(Contributions::claim(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToClaim);
		let pending = Contributions::pending_rewards(&ALICE);
		assert_eq!((pending.claimable, pending.points_this_epoch.dataset), (0, 80_000));

		close_epoch();
		// Dataset pool: 30% of the emission; participation: 20%; no other pool earned points.
		let closed = ClosedEpochs::<Test>::get(0).unwrap();
		assert_eq!(closed.rewards, PerPool { dataset: 30_000, participation: 20_000, ..Default::default() });
		assert_eq!(Balances::total_issuance(), issuance + 50_000, "issuance grows by the minted pools only");
		assert_eq!(Contributions::pending_rewards(&ALICE).claimable, 30_000);

		let before = free(ALICE);
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(ALICE)));
		assert_eq!(free(ALICE), before + 30_000);
		assert!(events().contains(&Event::RewardsClaimed { who: ALICE, amount: 30_000 }));
		for who in EVALUATORS {
			let before = free(who);
			assert_ok!(Contributions::claim(RuntimeOrigin::signed(who)));
			// 20,000 over three equal shares: 6,666 each, 2 planck of dust stay in the pot.
			assert_eq!(free(who), before + 6_666);
		}
		assert_eq!(free(Contributions::pot_account()), 2 + Balances::minimum_balance());
		assert_eq!(Balances::total_issuance(), issuance + 50_000, "claims move, never mint");
		// A second claim has nothing left.
		assert_noop!(Contributions::claim(RuntimeOrigin::signed(ALICE)), Error::<Test>::NothingToClaim);
		assert!(AccountEarnings::<Test>::get(ALICE).is_none(), "an empty record is removed");
	});
}

#[test]
fn a_model_shares_a_royalty_with_its_parent_dataset() {
	build_and_execute(|| {
		let (dataset, t1) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(t1, 80);
		let (model, t2) = register(BOB, ContributionKind::Model, 2, vec![dataset]);
		score_all(t2, 90);
		// 90,000 model points: 10% royalty (9,000) to the dataset's owner.
		assert!(events().contains(&Event::RoyaltyCredited { from: model, to: dataset, points: 9_000 }));
		assert!(events().contains(&Event::ContributionAccepted {
			id: model,
			quality: 90,
			points: 90_000,
			kept: 81_000
		}));
		assert_eq!(Contributions::pending_rewards(&ALICE).points_this_epoch.model, 9_000);
		close_epoch();
		let (alice, bob) = (free(ALICE), free(BOB));
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(ALICE)));
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(BOB)));
		// Model pool 30,000: Bob 81/90 = 27,000, Alice 9/90 = 3,000 plus the whole dataset pool.
		assert_eq!(free(BOB) - bob, 27_000);
		assert_eq!(free(ALICE) - alice, 30_000 + 3_000);
	});
}

#[test]
fn royalties_reach_grandparents_up_to_the_depth_and_skip_retired_or_unaccepted_parents() {
	build_and_execute(|| {
		let (a, t) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(t, 80);
		let (b, t) = register(BOB, ContributionKind::Dataset, 2, vec![a]);
		score_all(t, 80);
		let (c, t) = register(CHARLIE, ContributionKind::Model, 3, vec![b]);
		score_all(t, 100);
		// C earns 100,000: B gets 10,000 and passes 1,000 to A.
		assert!(events().contains(&Event::RoyaltyCredited { from: c, to: b, points: 10_000 }));
		assert!(events().contains(&Event::RoyaltyCredited { from: b, to: a, points: 1_000 }));
		assert_eq!(Contributions::pending_rewards(&CHARLIE).points_this_epoch.model, 90_000);
		assert_eq!(Contributions::pending_rewards(&BOB).points_this_epoch.model, 9_000);
		assert_eq!(Contributions::pending_rewards(&ALICE).points_this_epoch.model, 1_000);

		// Depth 1: the grandparent gets nothing; the parent keeps its whole share.
		let mut p = params();
		p.royalty_depth = 1;
		assert_ok!(Contributions::set_params(RuntimeOrigin::root(), p));
		let (_, t) = register(CHARLIE, ContributionKind::Model, 4, vec![b]);
		score_all(t, 100);
		assert_eq!(Contributions::pending_rewards(&BOB).points_this_epoch.model, 19_000);
		assert_eq!(Contributions::pending_rewards(&ALICE).points_this_epoch.model, 1_000);

		// A parent retired after its child was registered gets nothing; the child keeps it all.
		let (_, t) = register(CHARLIE, ContributionKind::Model, 6, vec![b]);
		assert_ok!(Contributions::retire(RuntimeOrigin::signed(BOB), b));
		score_all(t, 100);
		assert_eq!(Contributions::pending_rewards(&BOB).points_this_epoch.model, 19_000);
		assert_eq!(Contributions::pending_rewards(&CHARLIE).points_this_epoch.model, 90_000 * 2 + 100_000);
		// Retired, unscored, rejected or still-evaluating contributions cannot become parents.
		assert_noop!(
			Contributions::register(RuntimeOrigin::signed(CHARLIE), ContributionKind::Model, hash(7), vec![], vec![], vec![b]),
			Error::<Test>::ParentNotAccepted
		);
	});
}

#[test]
fn a_rejected_contribution_loses_part_of_its_deposit() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let (id, task) = register(ALICE, ContributionKind::Code, 1, vec![]);
		let d = deposit(URI, META);
		let before = free(ALICE);
		score_all(task, 40);
		assert_eq!(status(id), ContributionStatus::Rejected { task, quality: 40 });
		let slashed = d / 2;
		assert!(events().contains(&Event::ContributionRejected {
			id,
			quality: 40,
			slashed,
			refunded: d - slashed
		}));
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), before + d - slashed);
		assert_eq!(Balances::total_issuance(), issuance - slashed, "the slash is burnt");
		assert!(ReputationLog::get().contains(&(ALICE, -500, ReputationReason::RejectedContribution)));
		assert_eq!(Contributions::pending_rewards(&ALICE).points_this_epoch, PerPool::default());
		// Evaluators still earned participation points.
		assert_eq!(Contributions::pending_rewards(&1).points_this_epoch.participation, 1_000);
		assert_noop!(
			Contributions::update(RuntimeOrigin::signed(ALICE), id, vec![], vec![]),
			Error::<Test>::ContributionRejected
		);
		// A rejected contribution cannot be a parent.
		assert_noop!(
			Contributions::register(RuntimeOrigin::signed(BOB), ContributionKind::Model, hash(2), vec![], vec![], vec![id]),
			Error::<Test>::ParentNotAccepted
		);
	});
}

#[test]
fn a_failed_evaluation_leaves_the_contribution_unscored_until_evaluated_again() {
	build_and_execute(|| {
		let (id, task) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		assert_noop!(
			Contributions::retire(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::EvaluationPending
		);
		assert_noop!(
			Contributions::request_evaluation(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotUnscored
		);
		// One reveal of the two required: the task fails.
		evaluate(task, &[(1, vec![90, 90])]);
		assert_eq!(status(id), ContributionStatus::Unscored { task });
		assert!(events().contains(&Event::ContributionUnscored { id, task }));
		assert_noop!(
			Contributions::request_evaluation(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
		assert_ok!(Contributions::request_evaluation(RuntimeOrigin::signed(ALICE), id));
		let ContributionStatus::Evaluating { task: again } = status(id) else { panic!("not evaluating") };
		assert!(events().contains(&Event::EvaluationRequested { id, task: again }));
		score_all(again, 75);
		assert!(matches!(status(id), ContributionStatus::Accepted { quality: 75, .. }));
	});
}

#[test]
fn owners_update_and_retire_with_the_deposit_following() {
	build_and_execute(|| {
		let (id, task) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		assert_noop!(
			Contributions::update(RuntimeOrigin::signed(BOB), id, vec![], vec![]),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Contributions::update(RuntimeOrigin::signed(ALICE), 9, vec![], vec![]),
			Error::<Test>::ContributionNotFound
		);
		let long = vec![b'x'; 60];
		assert_ok!(Contributions::update(RuntimeOrigin::signed(ALICE), id, long.clone(), long.clone()));
		assert_eq!(held(ALICE), deposit(&long, &long));
		assert!(events().contains(&Event::ContributionUpdated { id, deposit: deposit(&long, &long) }));
		assert_ok!(Contributions::update(RuntimeOrigin::signed(ALICE), id, vec![], vec![]));
		assert_eq!(held(ALICE), DEPOSIT_BASE);
		score_all(task, 80);

		let before = free(ALICE);
		assert_ok!(Contributions::retire(RuntimeOrigin::signed(ALICE), id));
		assert_eq!((held(ALICE), free(ALICE)), (0, before + DEPOSIT_BASE));
		assert!(events().contains(&Event::ContributionRetired { id, refunded: DEPOSIT_BASE }));
		assert_noop!(Contributions::retire(RuntimeOrigin::signed(ALICE), id), Error::<Test>::Retired);
		assert_noop!(
			Contributions::update(RuntimeOrigin::signed(ALICE), id, vec![], vec![]),
			Error::<Test>::Retired
		);
		// Points earned before retirement stay claimable.
		close_epoch();
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(ALICE)));
		// The content hash stays taken.
		assert_noop!(
			Contributions::register(RuntimeOrigin::signed(BOB), ContributionKind::Dataset, hash(1), vec![], vec![], vec![]),
			Error::<Test>::DuplicateContent
		);
	});
}

#[test]
fn rewards_accrue_across_epochs_and_one_claim_pays_them_all() {
	build_and_execute(|| {
		let (_, t) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(t, 80);
		close_epoch(); // epoch 0: Alice alone in the dataset pool: 30,000.
		close_epoch(); // epoch 1: nobody earned; nothing minted.
		assert_eq!(ClosedEpochs::<Test>::get(1).unwrap().rewards, PerPool::default());
		// Epoch 2: Alice and Bob share the dataset pool 1:3.
		let (_, t) = register(ALICE, ContributionKind::Dataset, 2, vec![]);
		score_all(t, 60);
		let (_, t) = register(BOB, ContributionKind::Dataset, 3, vec![]);
		evaluate(t, &EVALUATORS.map(|who| (who, vec![100, 80])));
		// Earning in epoch 2 valued Alice's epoch-0 points first.
		assert_eq!(AccountEarnings::<Test>::get(ALICE).unwrap().unclaimed, 30_000);
		close_epoch();
		let before = free(ALICE);
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(ALICE)));
		// 30,000 + 60/(60+90) of 30,000.
		assert_eq!(free(ALICE) - before, 30_000 + 12_000);
		assert_eq!(Contributions::pending_rewards(&BOB).claimable, 18_000);
	});
}

#[test]
fn only_the_pallets_own_tasks_earn_participation_points() {
	build_and_execute(|| {
		let request = TaskRequest {
			kind: perspective_primitives::evaluation::SubjectKind::ModelOutput,
			content_hash: hash(9),
			uri: vec![],
			criteria: vec![b"q".to_vec()],
		};
		let task = <Evaluation as EvaluationTasks<u64, u64>>::open_task(&4, request, 60).unwrap();
		evaluate(task, &EVALUATORS.map(|who| (who, vec![50])));
		assert_eq!(<Evaluation as EvaluationTasks<u64, u64>>::consensus_of(task), Some(vec![50]));
		assert!(AccountEarnings::<Test>::iter().next().is_none());
	});
}

#[test]
fn params_are_governed_and_validated() {
	build_and_execute(|| {
		assert_noop!(Contributions::set_params(RuntimeOrigin::signed(ALICE), params()), DispatchError::BadOrigin);
		for (bad, error) in [
			(ContributionParams { epoch_length: 0, ..params() }, Error::<Test>::EpochLengthTooShort),
			(ContributionParams { royalty_depth: 3, ..params() }, Error::<Test>::RoyaltyDepthTooDeep),
			(
				ContributionParams { acceptance_threshold: 101, ..params() },
				Error::<Test>::AcceptanceThresholdAboveScale,
			),
			(ContributionParams { pool_weights: PerPool::default(), ..params() }, Error::<Test>::NoRewardedPool),
		] {
			assert_noop!(Contributions::set_params(RuntimeOrigin::root(), bad), error);
		}
		let p = ContributionParams { epoch_length: 50, ..params() };
		assert_ok!(Contributions::set_params(RuntimeOrigin::root(), p));
		assert!(events().contains(&Event::ParamsSet { params: p }));
		// The open epoch keeps its end; the next one is 50 blocks long.
		close_epoch();
		let e = CurrentEpoch::<Test>::get().unwrap();
		assert_eq!((e.index, e.ends_at - e.started_at), (1, 50));
	});
}

/// The mock's parameters with `f` applied.
fn params_with(f: impl FnOnce(&mut ContributionParams<u64, u64>)) -> ContributionParams<u64, u64> {
	let mut p = params();
	f(&mut p);
	p
}

fn set(p: ContributionParams<u64, u64>) -> sp_runtime::DispatchResult {
	Contributions::set_params(RuntimeOrigin::root(), p)
}

/// Every bounded field: one step outside its range is refused with that field's own error, and
/// the bound itself is accepted, so a missing or off-by-one bound fails here.
#[test]
fn every_parameter_is_bounded_with_a_typed_error() {
	build_and_execute(|| {
		type E = Error<Test>;
		let one_ppb_more = |p: Perbill| Perbill::from_parts(p.deconstruct() + 1);

		assert_noop!(set(params_with(|p| p.epoch_length = MIN_EPOCH_LENGTH - 1)), E::EpochLengthTooShort);
		assert_ok!(set(params_with(|p| p.epoch_length = MIN_EPOCH_LENGTH)));
		assert_noop!(set(params_with(|p| p.epoch_length = MAX_EPOCH_LENGTH + 1)), E::EpochLengthTooLong);
		assert_ok!(set(params_with(|p| p.epoch_length = MAX_EPOCH_LENGTH)));

		assert_noop!(set(params_with(|p| p.epoch_emission = MAX_EPOCH_EMISSION + 1)), E::EpochEmissionTooHigh);
		assert_ok!(set(params_with(|p| p.epoch_emission = MAX_EPOCH_EMISSION)));

		assert_noop!(set(params_with(|p| p.pool_weights = PerPool::default())), E::NoRewardedPool);
		assert_ok!(set(params_with(|p| p.pool_weights = PerPool { other: 1, ..Default::default() })));

		assert_noop!(set(params_with(|p| p.royalty = one_ppb_more(MAX_ROYALTY))), E::RoyaltyTooHigh);
		assert_ok!(set(params_with(|p| p.royalty = MAX_ROYALTY)));

		// MaxRoyaltyDepth is 2.
		assert_noop!(set(params_with(|p| p.royalty_depth = 3)), E::RoyaltyDepthTooDeep);
		assert_ok!(set(params_with(|p| p.royalty_depth = 2)));

		assert_noop!(
			set(params_with(|p| p.acceptance_threshold = MIN_ACCEPTANCE_THRESHOLD - 1)),
			E::AcceptanceThresholdTooLow
		);
		assert_ok!(set(params_with(|p| p.acceptance_threshold = MIN_ACCEPTANCE_THRESHOLD)));
		assert_noop!(set(params_with(|p| p.acceptance_threshold = 101)), E::AcceptanceThresholdAboveScale);
		assert_ok!(set(params_with(|p| p.acceptance_threshold = 100)));

		// The largest deposit: URI and metadata of 64 bytes each.
		let bytes = 64 + 64;
		assert_noop!(
			set(params_with(|p| {
				p.deposit_base = MAX_DEPOSIT + 1;
				p.deposit_per_byte = 0;
			})),
			E::DepositBaseTooHigh
		);
		assert_ok!(set(params_with(|p| {
			p.deposit_base = MAX_DEPOSIT;
			p.deposit_per_byte = 0;
		})));
		let per_byte = MAX_DEPOSIT / bytes;
		let base = MAX_DEPOSIT - per_byte * bytes;
		assert_noop!(
			set(params_with(|p| {
				p.deposit_base = base + 1;
				p.deposit_per_byte = per_byte;
			})),
			E::DepositPerByteTooHigh
		);
		assert_noop!(
			set(params_with(|p| {
				p.deposit_base = 0;
				p.deposit_per_byte = per_byte + 1;
			})),
			E::DepositPerByteTooHigh
		);
		assert_ok!(set(params_with(|p| {
			p.deposit_base = base;
			p.deposit_per_byte = per_byte;
		})));
		assert_eq!(Contributions::max_deposit_for(&Params::<Test>::get().unwrap()), MAX_DEPOSIT);

		assert_noop!(set(params_with(|p| p.evaluation_fee = MAX_EVALUATION_FEE + 1)), E::EvaluationFeeTooHigh);
		assert_ok!(set(params_with(|p| p.evaluation_fee = MAX_EVALUATION_FEE)));
		assert_noop!(set(params_with(|p| p.evaluation_fee = MIN_EVALUATION_FEE - 1)), E::EvaluationFeeTooLow);
		assert_ok!(set(params_with(|p| p.evaluation_fee = MIN_EVALUATION_FEE)));

		assert_noop!(
			set(params_with(|p| p.rejection_slash = one_ppb_more(MAX_REJECTION_SLASH))),
			E::RejectionSlashTooHigh
		);
		assert_ok!(set(params_with(|p| p.rejection_slash = MAX_REJECTION_SLASH)));

		assert_noop!(
			set(params_with(|p| p.acceptance_reputation = MAX_REPUTATION_REWARD + 1)),
			E::AcceptanceReputationTooHigh
		);
		assert_ok!(set(params_with(|p| p.acceptance_reputation = MAX_REPUTATION_REWARD)));

		assert_noop!(
			set(params_with(|p| p.rejection_penalty = MAX_REPUTATION_PENALTY + 1)),
			E::RejectionPenaltyTooHigh
		);
		assert_ok!(set(params_with(|p| p.rejection_penalty = MAX_REPUTATION_PENALTY)));
	});
}

/// The attack of the adversarial review (C-1 impact, L-5): a captured governance origin sets
/// `epoch_emission` to the largest balance there is, and the shortest epochs. Both are refused;
/// the most it can get through is `MaxEpochEmission` per epoch of at least `MinEpochLength`
/// blocks, and an epoch with points in every pool mints no more than that.
#[test]
fn captured_governance_cannot_mint_more_than_the_epoch_cap() {
	build_and_execute(|| {
		assert_noop!(set(params_with(|p| p.epoch_emission = u64::MAX)), Error::<Test>::EpochEmissionTooHigh);
		assert_noop!(
			set(params_with(|p| {
				p.epoch_emission = MAX_EPOCH_EMISSION;
				p.epoch_length = 1;
			})),
			Error::<Test>::EpochLengthTooShort
		);
		assert_eq!(Params::<Test>::get(), Some(params()), "nothing was written");
		assert_ok!(set(params_with(|p| {
			p.epoch_emission = MAX_EPOCH_EMISSION;
			p.epoch_length = MIN_EPOCH_LENGTH;
		})));

		// Points in every pool, so that every pool mints its share.
		let mut epoch = CurrentEpoch::<Test>::get().unwrap();
		let points = PerPool::from_fn(|_| 1_000);
		AccountEarnings::<Test>::insert(ALICE, Earnings { epoch: epoch.index, points, unclaimed: 0 });
		epoch.points = points;
		CurrentEpoch::<Test>::put(epoch);
		let issuance = Balances::total_issuance();
		close_epoch();

		let rewards = ClosedEpochs::<Test>::get(epoch.index).unwrap().rewards;
		let minted: u64 = RewardPool::ALL.iter().map(|pool| *rewards.get(*pool)).sum();
		assert!(minted <= MAX_EPOCH_EMISSION);
		// The mock's weights (30, 30, 10, 5, 5, 20) divide the cap exactly.
		assert_eq!(minted, MAX_EPOCH_EMISSION);
		assert_eq!(Balances::total_issuance(), issuance + minted, "nothing else was minted");
		// The next epoch is the shortest there can be.
		let next = CurrentEpoch::<Test>::get().unwrap();
		assert_eq!(next.ends_at - next.started_at, MIN_EPOCH_LENGTH);
	});
}

#[test]
#[should_panic(expected = "invalid contributions genesis params: EpochEmissionTooHigh")]
fn genesis_params_are_checked_against_the_same_ranges() {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = GenesisConfig::<Test> {
		params: Some(params_with(|p| p.epoch_emission = MAX_EPOCH_EMISSION + 1)),
	}
	.assimilate_storage(&mut t);
}

#[test]
fn without_genesis_params_the_first_set_params_opens_epoch_zero() {
	let mut ext = sp_io::TestExternalities::new(
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap(),
	);
	ext.execute_with(|| {
		System::set_block_number(7);
		assert!(CurrentEpoch::<Test>::get().is_none());
		run_to(100); // the hook does nothing without an epoch
		assert_ok!(Contributions::set_params(RuntimeOrigin::root(), params()));
		let e = CurrentEpoch::<Test>::get().unwrap();
		assert_eq!((e.index, e.started_at, e.ends_at), (0, 100, 100 + EPOCH));
		assert_eq!(free(Contributions::pot_account()), Balances::minimum_balance());
		Contributions::do_try_state().unwrap();
	});
}

#[test]
fn lineage_walks_ancestors_breadth_first() {
	build_and_execute(|| {
		let (a, ta) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(ta, 80);
		let (b, tb) = register(BOB, ContributionKind::Dataset, 2, vec![]);
		score_all(tb, 80);
		let (c, tc) = register(CHARLIE, ContributionKind::Model, 3, vec![a, b]);
		score_all(tc, 80);
		let (d, _) = register(ALICE, ContributionKind::Model, 4, vec![c, a]);
		assert_eq!(Contributions::lineage(d, 16), vec![(c, 1), (a, 1), (b, 2)]);
		assert_eq!(Contributions::lineage(d, 1), vec![(c, 1), (a, 1)]);
		assert_eq!(Contributions::lineage(a, 16), vec![]);
		let info = Contributions::contribution(d).unwrap();
		assert_eq!((info.owner, info.parents, info.uri), (ALICE, vec![c, a], URI.to_vec()));
	});
}

/// The scale requirement: with 100,000 earning accounts and 1,000 closed epochs, a claim reads
/// one earnings record and one closed epoch, and closing an epoch touches no account. The
/// weights are compared in the runtime's benchmark-based test; this checks the behaviour.
#[test]
fn claims_and_epoch_close_are_independent_of_history_and_accounts() {
	build_and_execute(|| {
		assert_ok!(Contributions::set_params(
			RuntimeOrigin::root(),
			ContributionParams { epoch_emission: 1_000_000_000, ..params() }
		));
		let (_, t) = register(ALICE, ContributionKind::Dataset, 1, vec![]);
		score_all(t, 80);
		let epoch = CurrentEpoch::<Test>::get().unwrap();
		// 100,000 other accounts earned points this epoch (bulk-inserted, as the benchmark does).
		let mut epoch_state = epoch;
		for who in 1_000..101_000u64 {
			AccountEarnings::<Test>::insert(
				who,
				Earnings { epoch: epoch.index, points: PerPool { dataset: 80_000, ..Default::default() }, unclaimed: 0 },
			);
			epoch_state.points.dataset += 80_000;
		}
		CurrentEpoch::<Test>::put(epoch_state);
		close_epoch();
		// 1,000 more epochs close.
		for _ in 0..1_000 {
			close_epoch();
		}
		assert_eq!(CurrentEpoch::<Test>::get().unwrap().index, 1_001);
		let before = free(ALICE);
		assert_ok!(Contributions::claim(RuntimeOrigin::signed(ALICE)));
		// The dataset pool (300,000,000) shared by 100,001 equal holders, rounded down.
		let paid = free(ALICE) - before;
		assert!(paid == 300_000_000 / 100_001 || paid + 1 == 300_000_000 / 100_001, "paid {paid}");
	});
}
