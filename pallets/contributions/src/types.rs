//! Records stored by the pallet and the views its runtime API returns.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use perspective_primitives::{
	evaluation::{Score, SubjectKind, TaskId},
	ReputationScore,
};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_core::H256;

/// Identifies a contribution; assigned in order from zero.
pub type ContributionId = u64;

/// Numbers epochs from zero.
pub type EpochIndex = u32;

/// Reward points: an account's share of one pool in one epoch.
pub type Points = u128;

/// What was contributed.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ContributionKind {
	/// Training or evaluation data.
	Dataset,
	/// A trained model (weights, adapters, checkpoints).
	Model,
	/// Code: training pipelines, evaluation harnesses, tooling.
	Code,
	/// Documentation, model cards, tutorials.
	Documentation,
	/// Anything else; the URI and metadata say what.
	Other,
}

impl From<ContributionKind> for SubjectKind {
	fn from(kind: ContributionKind) -> Self {
		match kind {
			ContributionKind::Dataset => SubjectKind::Dataset,
			ContributionKind::Model => SubjectKind::Model,
			ContributionKind::Code => SubjectKind::Code,
			ContributionKind::Documentation | ContributionKind::Other => SubjectKind::Other,
		}
	}
}

/// The reward pools: one per contribution kind, plus one for evaluators' participation.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum RewardPool {
	Dataset,
	Model,
	Code,
	Documentation,
	Other,
	/// Evaluators whose reveals on contribution tasks were within tolerance.
	Participation,
}

impl RewardPool {
	/// Every pool, in a fixed order.
	pub const ALL: [RewardPool; 6] = [
		RewardPool::Dataset,
		RewardPool::Model,
		RewardPool::Code,
		RewardPool::Documentation,
		RewardPool::Other,
		RewardPool::Participation,
	];
}

impl From<ContributionKind> for RewardPool {
	fn from(kind: ContributionKind) -> Self {
		match kind {
			ContributionKind::Dataset => RewardPool::Dataset,
			ContributionKind::Model => RewardPool::Model,
			ContributionKind::Code => RewardPool::Code,
			ContributionKind::Documentation => RewardPool::Documentation,
			ContributionKind::Other => RewardPool::Other,
		}
	}
}

/// One value per reward pool (named fields, so polkadot.js shows them by name).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PerPool<T> {
	pub dataset: T,
	pub model: T,
	pub code: T,
	pub documentation: T,
	pub other: T,
	pub participation: T,
}

impl<T> PerPool<T> {
	pub fn get(&self, pool: RewardPool) -> &T {
		match pool {
			RewardPool::Dataset => &self.dataset,
			RewardPool::Model => &self.model,
			RewardPool::Code => &self.code,
			RewardPool::Documentation => &self.documentation,
			RewardPool::Other => &self.other,
			RewardPool::Participation => &self.participation,
		}
	}

	pub fn get_mut(&mut self, pool: RewardPool) -> &mut T {
		match pool {
			RewardPool::Dataset => &mut self.dataset,
			RewardPool::Model => &mut self.model,
			RewardPool::Code => &mut self.code,
			RewardPool::Documentation => &mut self.documentation,
			RewardPool::Other => &mut self.other,
			RewardPool::Participation => &mut self.participation,
		}
	}

	/// Builds a value per pool from `f(pool)`.
	pub fn from_fn(mut f: impl FnMut(RewardPool) -> T) -> Self {
		PerPool {
			dataset: f(RewardPool::Dataset),
			model: f(RewardPool::Model),
			code: f(RewardPool::Code),
			documentation: f(RewardPool::Documentation),
			other: f(RewardPool::Other),
			participation: f(RewardPool::Participation),
		}
	}
}

/// Parameters governance sets (`set_params`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContributionParams<Balance, BlockNumber> {
	/// Blocks per reward epoch (a change applies from the next epoch).
	pub epoch_length: BlockNumber,
	/// Minted per epoch and split between the pools by `pool_weights`. A pool whose epoch
	/// earned no points is not minted.
	pub epoch_emission: Balance,
	/// Relative size of each pool. A contribution kind with weight zero is not rewarded and
	/// cannot be registered.
	pub pool_weights: PerPool<u32>,
	/// Fraction of the points a contribution earns that flows to its accepted parents, split
	/// equally between them; each parent passes the same fraction on to its own parents.
	pub royalty: Perbill,
	/// How many generations of parents receive royalties (at most `MaxRoyaltyDepth`).
	pub royalty_depth: u32,
	/// A contribution is accepted when its quality (the mean of the consensus scores) is at
	/// least this, out of 100.
	pub acceptance_threshold: Score,
	/// Deposit held for every contribution ...
	pub deposit_base: Balance,
	/// ... plus this per byte of URI and metadata.
	pub deposit_per_byte: Balance,
	/// Paid by the registrant into the evaluation task's reward pot (the evaluators' pay).
	pub evaluation_fee: Balance,
	/// Fraction of a rejected contribution's deposit that is burnt; the rest is released.
	pub rejection_slash: Perbill,
	/// Reputation the owner of an accepted contribution gains.
	pub acceptance_reputation: ReputationScore,
	/// Reputation the owner of a rejected contribution loses.
	pub rejection_penalty: ReputationScore,
}

/// Where a contribution stands.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ContributionStatus {
	/// Peer evaluation is under way in `task`.
	Evaluating { task: TaskId },
	/// Not scored, and no evaluation under way: `task` (`Some`) failed for lack of reveals, or
	/// (`None`) no task could be opened when the contribution was registered (e.g. that block's
	/// task capacity was full). The owner may `request_evaluation`; it may `retire` it once an
	/// evaluation was opened (`task` is `Some`).
	Unscored { task: Option<TaskId> },
	/// Quality at or above the threshold: earned `points` in epoch `epoch`.
	Accepted { task: TaskId, quality: Score, points: Points, epoch: EpochIndex },
	/// Quality below the threshold; part of the deposit was burnt.
	Rejected { task: TaskId, quality: Score },
}

/// A registration commitment: when it was made and the deposit held for it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RegistrationCommitment<Balance, BlockNumber> {
	/// The block the commitment was made in: `register` may use it from the next block on,
	/// up to `MaxCommitmentAge` blocks later.
	pub made_at: BlockNumber,
	/// Held from its maker (hold reason `RegistrationCommitment`).
	pub deposit: Balance,
}

/// A registered contribution, as the runtime API returns it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ContributionInfo<AccountId, Balance, BlockNumber> {
	pub id: ContributionId,
	pub owner: AccountId,
	pub kind: ContributionKind,
	pub content_hash: H256,
	/// Empty once retired.
	pub uri: Vec<u8>,
	/// Empty once retired.
	pub metadata: Vec<u8>,
	pub parents: Vec<ContributionId>,
	/// Still held from the owner.
	pub deposit: Balance,
	pub registered_at: BlockNumber,
	pub status: ContributionStatus,
	pub retired: bool,
}

/// The open epoch.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, Default, TypeInfo, MaxEncodedLen,
)]
pub struct EpochState<BlockNumber> {
	pub index: EpochIndex,
	pub started_at: BlockNumber,
	/// The hook closes the epoch at (or, if that block was missed, after) this block.
	pub ends_at: BlockNumber,
	/// Points earned so far in each pool.
	pub points: PerPool<Points>,
}

/// A closed epoch: what each pool paid for how many points (the reward per point claims use).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, Default, TypeInfo, MaxEncodedLen,
)]
pub struct ClosedEpoch<Balance, BlockNumber> {
	pub closed_at: BlockNumber,
	/// Points earned in each pool.
	pub points: PerPool<Points>,
	/// Minted into each pool. A pool's reward per point is `rewards / points` (exact fraction).
	pub rewards: PerPool<Balance>,
}

/// An account's unclaimed rewards: points earned in `epoch` (valued once it closes) and the
/// balance already valued from earlier epochs.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, Default, TypeInfo, MaxEncodedLen,
)]
pub struct Earnings<Balance> {
	pub epoch: EpochIndex,
	pub points: PerPool<Points>,
	pub unclaimed: Balance,
}

/// An account's rewards, as the runtime API and RPC return them.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, Default, TypeInfo)]
pub struct PendingRewards<Balance> {
	/// Claimable now.
	pub claimable: Balance,
	/// The open epoch.
	pub epoch: EpochIndex,
	/// Points earned in the open epoch (claimable once it closes).
	pub points_this_epoch: PerPool<Points>,
}
