//! What the CLI reads from the chain, decoded by field name from the node's metadata
//! (`scale_decode::DecodeAsType`): each type names only the fields the CLI uses, so fields the
//! runtime adds later are skipped. Serialised to JSON for `--json`.

use scale_decode::DecodeAsType;
use serde::Serialize;

/// `EvaluationApi::task`.
#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct TaskView {
	#[serde(serialize_with = "ser_account")]
	pub opener: [u8; 32],
	pub kind: SubjectKind,
	#[serde(serialize_with = "ser_hash")]
	pub content_hash: [u8; 32],
	#[serde(serialize_with = "ser_text")]
	pub uri: Vec<u8>,
	#[serde(serialize_with = "ser_texts")]
	pub criteria: Vec<Vec<u8>>,
	pub reward: u128,
	pub commit_end: u32,
	pub reveal_end: u32,
	pub committed: u32,
	pub revealed: u32,
	pub status: TaskStatus,
	pub round: u32,
	pub settles_at: u32,
}

#[derive(DecodeAsType, Serialize, Debug, Clone, PartialEq, Eq)]
pub enum SubjectKind {
	ModelOutput,
	Dataset,
	Model,
	Code,
	Other,
}

#[derive(DecodeAsType, Serialize, Debug, Clone, PartialEq, Eq)]
pub enum TaskStatus {
	Open,
	Settled { consensus: Vec<u16>, at: u32 },
	Failed { at: u32 },
}

/// `EvaluationApi::evaluator`.
#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct EvaluatorInfo {
	pub bond: u128,
	pub unbonding_at: Option<u32>,
	pub pending_tasks: u32,
	pub slot: Option<u32>,
	pub accurate: u32,
	pub outliers: u32,
	pub missed: u32,
	pub earned: u128,
}

/// One entry of `Evaluation::Evaluations(task)`.
#[derive(DecodeAsType, Debug, Clone)]
pub struct EvaluationEntry {
	pub who: [u8; 32],
	pub commitment: [u8; 32],
	pub scores: Option<Vec<u16>>,
}

/// `ContributionsApi::pending_rewards`.
#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct PendingRewards {
	pub claimable: u128,
	pub epoch: u32,
}

/// `ContributionsApi::contribution`.
#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct ContributionInfo {
	pub id: u64,
	#[serde(serialize_with = "ser_account")]
	pub owner: [u8; 32],
	pub kind: ContributionKind,
	#[serde(serialize_with = "ser_hash")]
	pub content_hash: [u8; 32],
	#[serde(serialize_with = "ser_text")]
	pub uri: Vec<u8>,
	pub parents: Vec<u64>,
	pub deposit: u128,
	pub registered_at: u32,
	pub status: ContributionStatus,
	pub retired: bool,
}

#[derive(DecodeAsType, Serialize, Debug, Clone, PartialEq, Eq, clap::ValueEnum)]
pub enum ContributionKind {
	Dataset,
	Model,
	Code,
	Documentation,
	Other,
}

#[derive(DecodeAsType, Serialize, Debug, Clone, PartialEq, Eq)]
pub enum ContributionStatus {
	Evaluating { task: u64 },
	Unscored { task: Option<u64> },
	Accepted { task: u64, quality: u16, points: u128, epoch: u32 },
	Rejected { task: u64, quality: u16 },
}

/// `ValidatorSetApi::operator`.
#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct Operator {
	pub bond: u128,
	pub status: OperatorStatus,
}

#[derive(DecodeAsType, Serialize, Debug, Clone, PartialEq, Eq)]
pub enum OperatorStatus {
	Applied,
	Validating,
	Unbonding { withdrawable_at: u32 },
}

/// `System::Account`.
#[derive(DecodeAsType, Debug, Clone)]
pub struct AccountInfo {
	pub data: AccountData,
}

#[derive(DecodeAsType, Serialize, Debug, Clone)]
pub struct AccountData {
	pub free: u128,
	pub reserved: u128,
	pub frozen: u128,
}

pub fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn ser_account<S: serde::Serializer>(account: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
	s.serialize_str(&crate::chain::ss58(account))
}

fn ser_hash<S: serde::Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
	s.serialize_str(&format!("0x{}", hex::encode(hash)))
}

fn ser_text<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
	s.serialize_str(&text(bytes))
}

fn ser_texts<S: serde::Serializer>(list: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
	use serde::ser::SerializeSeq;
	let mut seq = s.serialize_seq(Some(list.len()))?;
	for item in list {
		seq.serialize_element(&text(item))?;
	}
	seq.end()
}
