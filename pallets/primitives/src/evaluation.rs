//! What other pallets need to open evaluation tasks and to hear their results
//! (implemented by `pallet-evaluation`, used by `pallet-contributions`).

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::DispatchError, weights::Weight};
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifies an evaluation task; assigned in order from zero.
pub type TaskId = u64;

/// One score on one criterion, on the fixed integer scale `0..=MAX_SCORE` (0 to 100; anything
/// above is refused with `ScoreOutOfRange`).
///
/// A `u16`, not a `u8`, although the scale fits in a byte: SCALE metadata describes a
/// `Vec<u8>` as a byte string, so polkadot.js and polkadot-api would show a list of scores as
/// hex (`0x505a` for `[80, 90]`) and py-substrate-interface would decode it as text (`'PZ'`).
/// A `Vec<u16>` decodes as a list of integers in every client. Each score is encoded as two
/// little-endian bytes (this is part of the commitment preimage, see `commitment_of`).
pub type Score = u16;

/// The top of the score scale (scores are integers in `0..=MAX_SCORE`).
pub const MAX_SCORE: Score = 100;

/// What is being evaluated.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum SubjectKind {
	/// An AI model's output (a completion, an image, a prediction).
	ModelOutput,
	/// A dataset.
	Dataset,
	/// A trained model.
	Model,
	/// Code, e.g. a training or evaluation pipeline.
	Code,
	/// Anything else; the URI and criteria say what.
	Other,
}

/// A task opened by another pallet through [`EvaluationTasks`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TaskRequest {
	pub kind: SubjectKind,
	/// Hash of the content being evaluated.
	pub content_hash: H256,
	/// Where evaluators fetch the content.
	pub uri: Vec<u8>,
	/// Criterion names, one score each (e.g. `b"accuracy"`).
	pub criteria: Vec<Vec<u8>>,
}

/// Opens evaluation tasks on behalf of other pallets.
pub trait EvaluationTasks<AccountId, Balance> {
	/// Open a task for `request`, funded with `reward` held from `opener`, with the default
	/// windows and evaluator bounds. Returns the task's id.
	fn open_task(
		opener: &AccountId,
		request: TaskRequest,
		reward: Balance,
	) -> Result<TaskId, DispatchError>;
	/// Worst-case weight of `open_task`.
	fn open_task_weight() -> Weight;
	/// The consensus of `task` if it settled with one (`None` while open, after a failure, or
	/// for an unknown task). For invariant checks and queries.
	fn consensus_of(task: TaskId) -> Option<Vec<Score>>;
	/// Whether `error` (from [`Self::open_task`]) only means that this block has no room for
	/// another task, so that the same request may succeed in a later block.
	fn is_capacity_error(error: &DispatchError) -> bool {
		let _ = error;
		false
	}
}

/// How a task ended, as told to [`OnTaskSettled`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SettledTask<AccountId> {
	pub task: TaskId,
	/// Consensus per criterion, or `None` if too few evaluators revealed (the task failed).
	pub consensus: Option<Vec<Score>>,
	/// Evaluators whose reveals were within tolerance of the consensus, each with its seats on
	/// the panel (anything paid per evaluator must be paid per seat to stay split-neutral).
	pub accurate: Vec<(AccountId, u32)>,
}

/// Told about every settled task (e.g. to score a contribution).
pub trait OnTaskSettled<AccountId> {
	/// Returns the weight consumed.
	fn on_task_settled(task: &SettledTask<AccountId>) -> Weight;
	/// Upper bound of `on_task_settled`'s weight.
	fn max_weight() -> Weight;
}

impl<AccountId> OnTaskSettled<AccountId> for () {
	fn on_task_settled(_: &SettledTask<AccountId>) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}
