//! Runtime API to read tasks, consensus and evaluator records from outside the runtime
//! (polkadot.js: `api.call.evaluationApi.task(id)`).

use crate::{DisputeView, EvaluatorInfo, TaskView};
use alloc::vec::Vec;
use perspective_primitives::evaluation::{Score, TaskId};
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Reads evaluation state at a block.
	pub trait EvaluationApi<AccountId, Balance, BlockNumber> where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// A task: subject, criteria, windows, counts, status (with the consensus once settled)
		/// and each participant's verdict.
		fn task(task: TaskId) -> Option<TaskView<AccountId, Balance, BlockNumber>>;
		/// An evaluator's bond, unbonding state, open tasks and track record.
		fn evaluator(who: AccountId) -> Option<EvaluatorInfo<Balance, BlockNumber>>;
		/// The open tasks `who` was drawn for, each with its seats: the tasks it must commit to
		/// (and reveal) or lose part of its bond.
		fn drawn_for(who: AccountId) -> Vec<(TaskId, u32)>;
		/// The commitment `who` must submit to reveal `scores` with `salt` on `task` (computes
		/// the hash only; nothing is stored): `blake2_256(SCALE(tag, task, who, scores, salt))`
		/// with each score a `u16` (2 little-endian bytes after the compact length; see
		/// `commitment_of`). Ask your own node: the scores are in the request.
		fn commitment(task: TaskId, who: AccountId, scores: Vec<Score>, salt: [u8; 32]) -> H256;
		/// A task's dispute state: its round, the verdict as it stands, the appeal window, the
		/// next appeal's bond and pledges, the current panel, earlier rounds and appeals, and
		/// governance's decision. What an appellant or an evaluator can expect.
		fn dispute(task: TaskId) -> Option<DisputeView<AccountId, Balance, BlockNumber>>;
	}
}
