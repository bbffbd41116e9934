//! The step grammar and the runner that executes it.
//!
//! The input's first byte picks the profile (`% 4 == 3`: the ghost coalition, see
//! [`crate::ghost`]; otherwise normal). Then each step reads a few bytes:
//!
//! | first byte % 32 | step |
//! |---|---|
//! | 0–3 | advance 1..=8 blocks |
//! | 4 | warp ahead to the next block with work (see [`chain::warp_target`]) |
//! | 5–7 | a governance call dispatched directly with a governance origin ([`crate::gov`]) |
//! | 8–9 | `utility.batch` / `batchAll` / `forceBatch` of 1..=4 signed actions (nesting ≤ 2) |
//! | 10–31 | one signed action of a fuzz account, as a signed extrinsic |
//!
//! Arguments are selectors into live state (the k-th open task, a member of its panel, the k-th
//! ongoing referendum, open motion, candidate, operator...), never raw ids, so calls reach deep
//! code rather than failing their first check. Signed actions are real transactions
//! ([`crate::accounts::signed_extrinsic`], `Executive::apply_extrinsic`): fees, nonces,
//! `CheckWeight` and the call filter apply.
//!
//! Oracles besides the [`Checker`]'s invariants (after every block and after every block's
//! hooks): a dispatch may never use more weight than it declared (signed: FRAME's clamp error
//! log, see [`crate::logs`]; governance: the post-dispatch info), the harness never builds an
//! invalid transaction (`BadProof`, `Future`...), and the ghost coalition's bounds.

use crate::{
	accounts::{self, FUZZ_ACCOUNTS},
	chain,
	ghost::{self, Ghost},
	invariants::Checker,
	logs, Failure, Stats, MAX_BLOCKS, MAX_STEPS,
};
use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::GetCallMetadata,
};
use perspective_primitives::evaluation::{Score, SubjectKind};
use perspective_runtime::{
	currency::UNIT, AccountId, Balance, Executive, Runtime, RuntimeCall, RuntimeEvent, System,
};
use sp_core::H256;
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
use std::collections::BTreeMap;

pub type EventRecord = frame_system::EventRecord<RuntimeEvent, H256>;
pub(crate) type Council = perspective_runtime::governance::CouncilCollective;

/// Reads the input a byte at a time; zeros once it runs out.
pub(crate) struct Bytes<'a> {
	data: &'a [u8],
	at: usize,
}

impl Bytes<'_> {
	pub(crate) fn u8(&mut self) -> u8 {
		let b = self.data.get(self.at).copied().unwrap_or(0);
		self.at += 1;
		b
	}
	pub(crate) fn done(&self) -> bool {
		self.at >= self.data.len()
	}
	/// True with probability `n / 8`.
	pub(crate) fn chance(&mut self, n: u8) -> bool {
		self.u8() % 8 < n
	}
	pub(crate) fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
		if items.is_empty() {
			return None;
		}
		Some(items[self.u8() as usize % items.len()].clone())
	}
}

/// `Pallet::call` of a call.
pub fn call_name(call: &RuntimeCall) -> String {
	let meta = call.get_call_metadata();
	format!("{}::{}", meta.pallet_name, meta.function_name)
}

pub struct Runner<'a> {
	pub(crate) bytes: Bytes<'a>,
	pub(crate) stats: Stats,
	pub(crate) trace: Vec<String>,
	checker: Checker,
	pub(crate) ghost: Option<Ghost>,
	step: usize,
	/// Committed scores and salts, so reveals can be honest (or deliberately wrong).
	pub(crate) commitments: BTreeMap<(AccountId, u64), (Vec<Score>, [u8; 32])>,
	/// Registration commitments: (owner, content hash, salt, block).
	pub(crate) registrations: Vec<(u8, H256, [u8; 32], u32)>,
	/// Preimages noted by fuzz accounts: (noter, hash, length).
	pub(crate) preimages: Vec<(u8, H256, u32)>,
	/// Calls whose hash governance may whitelist, by hash.
	pub(crate) whitelistable: Vec<(H256, RuntimeCall)>,
	/// Names of calls dispatched later by the council, the scheduler (referendum enactments)
	/// or the whitelist, by motion hash, enactment task name or call hash.
	pub(crate) names: BTreeMap<[u8; 32], String>,
	/// Session keys generated so far (each from a fresh seed).
	pub(crate) keys_generated: u32,
}

impl<'a> Runner<'a> {
	/// Call inside the externalities, at genesis.
	pub fn new(data: &'a [u8]) -> Self {
		logs::install();
		logs::take();
		Self {
			bytes: Bytes { data, at: 0 },
			stats: Stats { sequences: 1, ..Default::default() },
			trace: Vec::new(),
			checker: Checker::new(),
			ghost: None,
			step: 0,
			commitments: BTreeMap::new(),
			registrations: Vec::new(),
			preimages: Vec::new(),
			whitelistable: Vec::new(),
			names: BTreeMap::new(),
			keys_generated: 0,
		}
	}

	pub fn run(mut self) -> Result<Stats, Failure> {
		if self.bytes.u8() % 4 == 3 {
			self.ghost = Some(Ghost::new());
			self.stats.ghost_sequences = 1;
			self.note("profile: ghost coalition (accounts 24..=31)".into());
		}
		self.block()?;
		while !self.bytes.done() && self.step < MAX_STEPS && self.stats.blocks < MAX_BLOCKS {
			self.step += 1;
			self.stats.steps += 1;
			match self.bytes.u8() % 32 {
				0..=3 => {
					let n = 1 + self.bytes.u8() % 8;
					self.note(format!("advance {n}"));
					for _ in 0..n {
						self.block()?;
					}
				},
				4 => {
					let mode = if self.bytes.u8() % 2 == 0 { chain::Warp::Far } else { chain::Warp::Near };
					self.warp(mode)?;
				},
				5..=7 => self.governance_step()?,
				8..=9 => {
					let who = self.signer();
					if let Some(call) = self.batch(who, 1) {
						self.signed(who, call)?;
					}
				},
				_ => {
					if let Some((who, call)) = self.action(None, 0) {
						self.signed(who, call)?;
					}
				},
			}
		}
		self.block()?;
		// The last block is open: its `on_initialize` hooks ran (a scheduled referendum may have
		// granted reputation), so the bounds count its events so far.
		if let Some(ghost) = &mut self.ghost {
			let events = System::events();
			if let Err(what) = ghost.after_block(&events) {
				return Err(self.failure(what));
			}
			self.stats.ghost.push(ghost.report());
		}
		Ok(self.stats)
	}

	/// Adds a line to the trace (and to the flight recorder, which survives a panic).
	pub(crate) fn note(&mut self, line: String) {
		crate::FLIGHT_RECORDER.with(|t| t.borrow_mut().push(line.clone()));
		self.trace.push(line);
	}

	pub(crate) fn failure(&self, what: String) -> Failure {
		Failure { step: self.step, block: System::block_number(), what, trace: self.trace.clone() }
	}

	/// Finishes the open block, checks it, and opens the next one (or, with `warp`, the first
	/// block with work, see [`chain::warp_target`]).
	fn end_block(&mut self, warp: Option<chain::Warp>) -> Result<(), Failure> {
		let now = System::block_number();
		// While the block is open: its length (with the body) and weight within the limits.
		let started = std::time::Instant::now();
		self.checker.before_finalize().map_err(|what| self.failure(format!("before finalize: {what}")))?;
		self.stats.nanos.checks += started.elapsed().as_nanos();
		let started = std::time::Instant::now();
		let parent = chain::finish_block();
		self.stats.nanos.blocks += started.elapsed().as_nanos();
		// After `on_finalize`: the state the next block starts from.
		let warp_to = warp.map(chain::warp_target);
		if let Some(target) = warp_to {
			self.note(format!("warp {:?} from {now} to {target}", warp.unwrap_or(chain::Warp::Far)));
		}
		let events = System::events();
		self.note_events(&events);
		self.check_logs("block hooks")?;
		let started = std::time::Instant::now();
		self.checker.after_block(&events).map_err(|what| self.failure(what))?;
		if let Some(ghost) = &mut self.ghost {
			if let Err(what) = ghost.after_block(&events) {
				return Err(self.failure(what));
			}
		}
		self.stats.nanos.checks += started.elapsed().as_nanos();
		let slots = match warp_to {
			Some(target) if target > now + 1 => {
				self.stats.warps += 1;
				self.stats.warped_blocks += (target - now - 1) as u64;
				chain::emulate_idle_blocks(target)
			},
			_ => 1,
		};
		let started = std::time::Instant::now();
		let next = chain::open_block(parent, slots);
		self.stats.nanos.blocks += started.elapsed().as_nanos();
		crate::FLIGHT_BLOCK.with(|b| b.set(next));
		self.stats.blocks += 1;
		self.check_logs("block hooks")?;
		let started = std::time::Instant::now();
		let checked = self.checker.after_hooks();
		self.stats.nanos.checks += started.elapsed().as_nanos();
		checked.map_err(|what| self.failure(format!("after the hooks: {what}")))
	}

	/// Checks the open block and opens the next.
	pub(crate) fn block(&mut self) -> Result<(), Failure> {
		self.end_block(None)
	}

	fn warp(&mut self, mode: chain::Warp) -> Result<(), Failure> {
		self.end_block(Some(mode))
	}

	/// Counts the block's events, and the calls the council, the scheduler, the whitelist and
	/// sudo dispatched.
	fn note_events(&mut self, events: &[EventRecord]) {
		for record in events {
			let name = format!("{:?}", record.event);
			// `Pallet(Event::Variant { .. })` → `Pallet::Variant`.
			let pallet = name.split('(').next().unwrap_or("").to_string();
			let variant =
				name.split("Event::").nth(1).unwrap_or("").split([' ', '(', '{', ')']).next().unwrap_or("").to_string();
			*self.stats.events.entry(format!("{pallet}::{variant}")).or_default() += 1;
			let (key, ok) = match &record.event {
				RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result }) =>
					(self.names.get(&proposal_hash.0).map(|n| format!("council {n}")), result.is_ok()),
				RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { id: Some(id), result, .. }) =>
					(self.names.get(id).map(|n| format!("referendum {n}")), result.is_ok()),
				RuntimeEvent::Whitelist(pallet_whitelist::Event::WhitelistedCallDispatched { call_hash, result }) =>
					(self.names.get(&call_hash.0).map(|n| format!("whitelisted {n}")), result.is_ok()),
				_ => (None, false),
			};
			if let Some(key) = key {
				self.stats.tally(&key, ok);
			}
		}
	}

	/// Turns captured error logs into a failure (a dispatch used more weight than it declared)
	/// or a count in the stats.
	pub(crate) fn check_logs(&mut self, context: &str) -> Result<(), Failure> {
		for line in logs::take() {
			if line.contains(logs::OVERWEIGHT) {
				return Err(self.failure(format!("{context}: {line}")));
			}
			let short: String = line.chars().take(120).collect();
			*self.stats.error_logs.entry(short).or_default() += 1;
		}
		Ok(())
	}

	/// Applies `call` as a transaction signed by fuzz account `who`. A block too full for it is
	/// closed and the transaction retried once in the next; a transaction the pool would refuse
	/// (fees, stale nonce) is counted as rejected; an invalid one the harness built (bad
	/// signature, future nonce, undecodable) fails.
	pub(crate) fn signed(&mut self, who: u8, call: RuntimeCall) -> Result<(), Failure> {
		let name = call_name(&call);
		let label = format!("#{who} {}", summary(&call));
		*self.stats.tried.entry(format!("signed {name}")).or_default() += 1;
		for attempt in 0..2 {
			let started = std::time::Instant::now();
			let uxt = match accounts::signed_extrinsic(who, call.clone()) {
				Ok(uxt) => uxt,
				Err(e) => return Err(self.failure(format!("{label}: cannot build the transaction: {e:?}"))),
			};
			self.stats.nanos.sign += started.elapsed().as_nanos();
			let first_event = System::event_count() as usize;
			let started = std::time::Instant::now();
			let result = Executive::apply_extrinsic(uxt);
			self.stats.nanos.apply += started.elapsed().as_nanos();
			self.check_logs(&label)?;
			match result {
				Ok(outcome) => {
					self.stats.calls += 1;
					if outcome.is_ok() {
						self.stats.succeeded += 1;
						*self.stats.ok.entry(format!("signed {name}")).or_default() += 1;
					}
					if is_wrapper(&call) {
						let events = System::events();
						self.tally_wrapped(&call, outcome.is_ok(), events.get(first_event..).unwrap_or(&[]));
					}
					self.note(format!("{label} -> {outcome:?}"));
					return Ok(());
				},
				Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) if attempt == 0 => {
					self.note(format!("{label} -> block full; retried in the next block"));
					self.stats.retried += 1;
					self.block()?;
				},
				Err(
					e @ TransactionValidityError::Invalid(
						InvalidTransaction::Payment |
						InvalidTransaction::Stale |
						InvalidTransaction::ExhaustsResources |
						InvalidTransaction::Custom(_),
					),
				) => {
					self.stats.rejected += 1;
					self.note(format!("{label} -> rejected: {e:?}"));
					return Ok(());
				},
				Err(e) => return Err(self.failure(format!("{label}: the harness built an invalid transaction: {e:?}"))),
			}
		}
		Ok(())
	}

	/// Counts the calls inside a batch or `sudo` that succeeded (from the extrinsic's events).
	fn tally_wrapped(&mut self, call: &RuntimeCall, ok: bool, events: &[EventRecord]) {
		use pallet_utility::{Call as U, Event as UE};
		match call {
			RuntimeCall::Utility(U::batch_all { calls }) =>
				for inner in calls {
					self.stats.tally(&format!("batched {}", call_name(inner)), ok);
					if ok {
						self.tally_wrapped(inner, true, &[]);
					}
				},
			RuntimeCall::Utility(U::batch { calls } | U::force_batch { calls }) => {
				// Only the outer level's outcome per item is read (nested batches emit their own
				// item events in between, so count items only when nothing nests).
				let nested = calls.iter().any(is_wrapper);
				let interrupted = events.iter().find_map(|e| match &e.event {
					RuntimeEvent::Utility(UE::BatchInterrupted { index, .. }) => Some(*index as usize),
					_ => None,
				});
				let mut item_results = events.iter().filter_map(|e| match &e.event {
					RuntimeEvent::Utility(UE::ItemCompleted) => Some(true),
					RuntimeEvent::Utility(UE::ItemFailed { .. }) => Some(false),
					_ => None,
				});
				for (i, inner) in calls.iter().enumerate() {
					let inner_ok = if nested {
						false
					} else if matches!(call, RuntimeCall::Utility(U::batch { .. })) {
						interrupted.map_or(ok, |at| i < at)
					} else {
						item_results.next().unwrap_or(false)
					};
					self.stats.tally(&format!("batched {}", call_name(inner)), inner_ok);
				}
			},
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: inner }) => {
				let inner_ok = events.iter().any(|e| {
					matches!(&e.event, RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(_) }))
				});
				self.stats.tally(&format!("sudo {}", call_name(inner)), ok && inner_ok);
			},
			_ => {},
		}
	}

	// ---------------------------------------------------------------------------------------
	// Selectors
	// ---------------------------------------------------------------------------------------

	pub(crate) fn ghost_on(&self) -> bool {
		self.ghost.is_some()
	}

	/// Whether `i` acts as a member of the ghost coalition in this sequence.
	pub(crate) fn coalition(&self, i: u8) -> bool {
		self.ghost_on() && ghost::is_member(i)
	}

	/// Whether `who` is someone coalition member `i` may deal with.
	pub(crate) fn may_deal(&self, i: u8, who: &AccountId) -> bool {
		!self.coalition(i) || accounts::index_of(who).is_some_and(ghost::is_member)
	}

	/// Any fuzz account; in the ghost profile, a coalition member half of the time.
	pub(crate) fn signer(&mut self) -> u8 {
		let b = self.bytes.u8();
		if self.ghost_on() && b & 0x80 != 0 {
			*ghost::COALITION.start() + b % 8
		} else {
			b % FUZZ_ACCOUNTS
		}
	}

	/// Another account for `i` to deal with (a coalition member only picks members).
	pub(crate) fn counterpart(&mut self, i: u8) -> u8 {
		let k = self.bytes.u8();
		if self.coalition(i) {
			*ghost::COALITION.start() + k % 8
		} else {
			k % FUZZ_ACCOUNTS
		}
	}

	/// `forced`, or one of `candidates` (fuzz accounts), or (rarely, or if there are none) any
	/// account.
	pub(crate) fn signer_among(&mut self, forced: Option<u8>, candidates: &[AccountId]) -> u8 {
		if let Some(i) = forced {
			return i;
		}
		let indices: Vec<u8> = candidates.iter().filter_map(accounts::index_of).collect();
		if indices.is_empty() || self.bytes.chance(1) {
			return self.signer();
		}
		self.bytes.pick(&indices).unwrap_or(0)
	}

	pub(crate) fn amount(&mut self, scale: Balance) -> Balance {
		match self.bytes.u8() % 8 {
			0 => 0,
			1 => 1,
			2 => scale - 1,
			3 => scale,
			4 => scale * 10,
			5 => u128::MAX,
			_ => scale.saturating_mul(1 + self.bytes.u8() as u128) / 4,
		}
	}

	pub(crate) fn open_tasks() -> Vec<u64> {
		pallet_evaluation::Tasks::<Runtime>::iter()
			.filter(|(_, t)| t.status == pallet_evaluation::TaskStatus::Open)
			.map(|(id, _)| id)
			.collect()
	}

	/// Open tasks `i` may deal with (in the ghost profile, a member only its coalition's).
	fn tasks_for(&self, i: u8, filter: impl Fn(&pallet_evaluation::TaskRecord<Runtime>) -> bool) -> Vec<u64> {
		let mut ids: Vec<u64> = pallet_evaluation::Tasks::<Runtime>::iter()
			.filter(|(_, t)| t.status == pallet_evaluation::TaskStatus::Open && filter(t) && self.may_deal(i, &t.opener))
			.map(|(id, _)| id)
			.collect();
		ids.sort();
		ids
	}

	pub(crate) fn council_members() -> Vec<AccountId> {
		pallet_collective::Members::<Runtime, Council>::get()
	}

	// ---------------------------------------------------------------------------------------
	// Signed actions
	// ---------------------------------------------------------------------------------------

	/// One signed action: its signer (`forced`, inside a batch) and call. `depth` is the
	/// batch nesting.
	pub(crate) fn action(&mut self, forced: Option<u8>, depth: u8) -> Option<(u8, RuntimeCall)> {
		// Drawn evaluators mostly do their duty while their window is open (an evaluator's agent
		// watches the chain): commit, or reveal what they committed.
		if self.bytes.chance(3) {
			if let Some(duty) = self.evaluator_duty(forced) {
				return Some(duty);
			}
		}
		match self.bytes.u8() % 24 {
			0 | 1 => self.balances(forced),
			2..=8 => self.evaluation(forced),
			9..=11 => self.contributions(forced),
			12 | 13 => self.hybrid_voting(forced),
			14 | 15 => self.referenda(forced),
			16 => self.referenda_admin(forced),
			17 | 18 => self.council(forced),
			19 | 20 => self.elections(forced),
			21 | 22 => self.validators(forced),
			_ =>
				if depth < 2 && self.bytes.u8() % 2 == 0 {
					let who = forced.unwrap_or_else(|| self.signer());
					self.batch(who, depth + 1).map(|call| (who, call))
				} else {
					self.sudo(forced)
				},
		}
	}

	/// A batch of 1..=4 actions of `who` at nesting `level` (1: a batch; 2: a batch inside a
	/// batch, whose actions are not batches).
	pub(crate) fn batch(&mut self, who: u8, level: u8) -> Option<RuntimeCall> {
		use pallet_utility::Call as U;
		let kind = self.bytes.u8() % 3;
		let n = 1 + self.bytes.u8() % 4;
		let mut calls = Vec::new();
		for _ in 0..n {
			if let Some((_, call)) = self.action(Some(who), level) {
				calls.push(call);
			}
		}
		if calls.is_empty() {
			return None;
		}
		Some(RuntimeCall::Utility(match kind {
			0 => U::batch { calls },
			1 => U::batch_all { calls },
			_ => U::force_batch { calls },
		}))
	}

	fn balances(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_balances::Call as B;
		let who = forced.unwrap_or_else(|| self.signer());
		let to = accounts::account(self.counterpart(who)).into();
		let call = match self.bytes.u8() % 6 {
			0..=2 => B::transfer_keep_alive { dest: to, value: self.amount(UNIT) },
			3 => B::transfer_allow_death { dest: to, value: self.amount(UNIT) },
			4 => B::transfer_all { dest: to, keep_alive: self.bytes.u8() % 2 == 0 },
			_ => B::burn { value: self.amount(UNIT / 100), keep_alive: true },
		};
		Some((who, RuntimeCall::Balances(call)))
	}

	fn evaluation(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_evaluation::Call as E;
		let min_bond = 100 * UNIT;
		let now = System::block_number();
		let call = match self.bytes.u8() % 16 {
			0 | 1 => {
				let bond = if self.bytes.chance(5) { min_bond } else { self.amount(min_bond) };
				let who = forced.unwrap_or_else(|| self.signer());
				return Some((who, RuntimeCall::Evaluation(E::register { bond })));
			},
			2..=4 => {
				let evaluators: Vec<(AccountId, bool)> = pallet_evaluation::Evaluators::<Runtime>::iter()
					.map(|(who, info)| (who, info.unbonding_at.is_some()))
					.collect();
				let (call, pool): (_, Vec<AccountId>) = match self.bytes.u8() % 3 {
					0 => (E::bond_extra { amount: self.amount(min_bond) }, evaluators.iter().map(|e| e.0.clone()).collect()),
					1 => (E::unbond {}, evaluators.iter().filter(|e| !e.1).map(|e| e.0.clone()).collect()),
					_ => (E::withdraw {}, evaluators.iter().filter(|e| e.1).map(|e| e.0.clone()).collect()),
				};
				let mut pool = pool;
				pool.sort();
				let who = self.signer_among(forced, &pool);
				return Some((who, RuntimeCall::Evaluation(call)));
			},
			5 | 6 => {
				let criteria = 1 + self.bytes.u8() % 3;
				let period = [4u32, 5, 6, 10][self.bytes.u8() as usize % 4];
				let reward = if self.bytes.chance(4) { [UNIT, 10 * UNIT][self.bytes.u8() as usize % 2] } else { self.amount(UNIT) };
				E::open_task {
					kind: SubjectKind::ModelOutput,
					content_hash: H256::repeat_byte(self.bytes.u8()),
					uri: b"ipfs://fuzz".to_vec(),
					criteria: (0..criteria).map(|c| vec![b'a' + c]).collect(),
					reward,
					commit_period: period,
					reveal_period: period,
				}
			},
			7 | 8 => {
				// A member of an open task's current panel commits honest or lying scores.
				let tasks: Vec<u64> = Self::open_tasks()
					.into_iter()
					.filter(|t| pallet_evaluation::Tasks::<Runtime>::get(t).is_some_and(|r| now < r.commit_end))
					.collect();
				let tasks = if tasks.is_empty() { Self::open_tasks() } else { tasks };
				let (task, member) = match forced {
					Some(i) => {
						let me = accounts::account(i);
						let mine: Vec<u64> = tasks.iter().copied().filter(|t| {
							pallet_evaluation::Panels::<Runtime>::get(t).is_some_and(|p| p.iter().any(|(m, _)| *m == me))
						}).collect();
						(self.bytes.pick(&mine).or_else(|| self.bytes.pick(&tasks))?, me)
					},
					None => {
						let task = self.bytes.pick(&tasks)?;
						let panel = pallet_evaluation::Panels::<Runtime>::get(task)?.into_inner();
						let (member, _) = self.bytes.pick(&panel)?;
						(task, member)
					},
				};
				let who = accounts::index_of(&member)?;
				let criteria = pallet_evaluation::Tasks::<Runtime>::get(task)?.criteria.len();
				let score: Score = [80, 20, 75, 100][self.bytes.u8() as usize % 4];
				let scores = vec![score; criteria];
				let salt = sp_io::hashing::blake2_256(&(b"fuzz salt", &member, task).encode());
				let commitment = pallet_evaluation::commitment_of(task, &member, &scores, &salt);
				self.commitments.insert((member, task), (scores, salt));
				return Some((who, RuntimeCall::Evaluation(E::commit { task, commitment })));
			},
			9 | 10 | 11 => {
				// Prefer commitments whose reveal window is open: reveals elsewhere only fail.
				let mine = |k: &(AccountId, u64)| forced.map_or(true, |i| k.0 == accounts::account(i));
				let mut keys: Vec<(AccountId, u64)> = self
					.commitments
					.keys()
					.filter(|(_, task)| {
						pallet_evaluation::Tasks::<Runtime>::get(task)
							.map(|t| now >= t.commit_end && now < t.reveal_end)
							.unwrap_or(false)
					})
					.filter(|k| mine(k))
					.cloned()
					.collect();
				if keys.is_empty() || self.bytes.chance(1) {
					keys = self.commitments.keys().filter(|k| mine(k)).cloned().collect();
				}
				let (member, task) = self.bytes.pick(&keys)?;
				let (mut scores, salt) = self.commitments.get(&(member.clone(), task))?.clone();
				if self.bytes.chance(1) {
					scores.iter_mut().for_each(|s| *s = s.wrapping_add(1));
				}
				let who = accounts::index_of(&member)?;
				return Some((who, RuntimeCall::Evaluation(E::reveal { task, scores, salt })));
			},
			12 | 13 => {
				// Prefer tasks in an appeal window.
				let who = forced.unwrap_or_else(|| self.signer());
				let appealable = self.tasks_for(who, |t| now >= t.reveal_end && now < t.reveal_end + 5);
				let task = self.bytes.pick(&appealable).or_else(|| {
					let open = self.tasks_for(who, |_| true);
					self.bytes.pick(&open)
				})?;
				let amount = match self.bytes.u8() % 4 {
					0 => self.amount(50 * UNIT),
					_ => [100 * UNIT, 200 * UNIT, 400 * UNIT, 25 * UNIT][self.bytes.u8() as usize % 4],
				};
				return Some((who, RuntimeCall::Evaluation(E::appeal { task, amount })));
			},
			_ => {
				// Prefer tasks past their due block (appealed ones wait for this call).
				let who = forced.unwrap_or_else(|| self.signer());
				let due = self.tasks_for(who, |t| now >= t.reveal_end);
				let task = self.bytes.pick(&due).or_else(|| {
					let open = self.tasks_for(who, |_| true);
					self.bytes.pick(&open)
				})?;
				return Some((who, RuntimeCall::Evaluation(E::settle { task })));
			},
		};
		let who = forced.unwrap_or_else(|| self.signer());
		Some((who, RuntimeCall::Evaluation(call)))
	}

	/// A commit of a drawn member that has not committed yet (commit window open), or a reveal
	/// of a commitment not revealed yet (reveal window open); of `forced` only, if given.
	fn evaluator_duty(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_evaluation::Call as E;
		let now = System::block_number();
		let me = forced.map(accounts::account);
		let mut commits = Vec::new();
		let mut reveals = Vec::new();
		for (task, record) in pallet_evaluation::Tasks::<Runtime>::iter() {
			if record.status != pallet_evaluation::TaskStatus::Open {
				continue;
			}
			let entries = pallet_evaluation::Evaluations::<Runtime>::get(task);
			if now < record.commit_end {
				for (member, _) in pallet_evaluation::Panels::<Runtime>::get(task).unwrap_or_default() {
					if me.as_ref().map_or(true, |m| *m == member) && !entries.iter().any(|e| e.who == member) {
						commits.push((task, member, record.criteria.len()));
					}
				}
			} else if now < record.reveal_end {
				for entry in entries.iter().filter(|e| e.scores.is_none()) {
					if me.as_ref().map_or(true, |m| *m == entry.who) && self.commitments.contains_key(&(entry.who.clone(), task)) {
						reveals.push((task, entry.who.clone()));
					}
				}
			}
		}
		commits.sort();
		reveals.sort();
		if !reveals.is_empty() && (commits.is_empty() || self.bytes.u8() % 2 == 0) {
			let (task, member) = self.bytes.pick(&reveals)?;
			let (mut scores, salt) = self.commitments.get(&(member.clone(), task))?.clone();
			if self.bytes.chance(1) {
				scores.iter_mut().for_each(|s| *s = s.wrapping_add(1));
			}
			return Some((accounts::index_of(&member)?, RuntimeCall::Evaluation(E::reveal { task, scores, salt })));
		}
		let (task, member, criteria) = self.bytes.pick(&commits)?;
		// Mostly honest (scores near 80), some lazy or lying.
		let score: Score = match self.bytes.u8() % 8 {
			0..=3 => 80,
			4 => 75,
			5 => 85,
			6 => 20,
			_ => 100,
		};
		let scores = vec![score; criteria];
		let salt = sp_io::hashing::blake2_256(&(b"fuzz salt", &member, task).encode());
		let commitment = pallet_evaluation::commitment_of(task, &member, &scores, &salt);
		self.commitments.insert((member.clone(), task), (scores, salt));
		Some((accounts::index_of(&member)?, RuntimeCall::Evaluation(E::commit { task, commitment })))
	}

	fn contributions(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_contributions::{Call as C, ContributionKind, ContributionStatus};
		let now = System::block_number();
		let kind_byte = self.bytes.u8() % 10;
		let who = match forced {
			Some(i) => i,
			None => {
				let pool: Vec<AccountId> = match kind_byte {
					// Registering: accounts with a commitment from an earlier block.
					0..=2 if self.bytes.u8() % 2 == 1 => {
						let mut ready: Vec<u8> = self.registrations.iter().filter(|r| r.3 < now).map(|r| r.0).collect();
						ready.dedup();
						ready.into_iter().map(accounts::account).collect()
					},
					3 => pallet_contributions::RegistrationCommitments::<Runtime>::iter_keys().map(|(who, _)| who).collect(),
					4..=6 => pallet_contributions::Registry::<Runtime>::iter_values().map(|c| c.owner).collect(),
					7.. => pallet_contributions::AccountEarnings::<Runtime>::iter_keys().collect(),
					_ => Vec::new(),
				};
				let mut pool = pool;
				pool.sort();
				self.signer_among(None, &pool)
			},
		};
		let me = accounts::account(who);
		let own: Vec<u64> = pallet_contributions::Registry::<Runtime>::iter()
			.filter(|(_, c)| c.owner == me)
			.map(|(id, _)| id)
			.collect();
		let call = match kind_byte {
			0 | 1 | 2 => {
				// Two-phase registration: commit now, register in a later block.
				let ready: Vec<(u8, H256, [u8; 32], u32)> =
					self.registrations.iter().filter(|r| r.0 == who && r.3 < now).cloned().collect();
				if self.bytes.u8() % 2 == 0 || ready.is_empty() {
					let hash = H256::repeat_byte(self.bytes.u8());
					let salt = [who; 32];
					self.registrations.push((who, hash, salt, now));
					let commitment = pallet_contributions::registration_commitment_of(hash, &me, &salt);
					C::commit_registration { commitment }
				} else {
					let (_, hash, salt, _) = self.bytes.pick(&ready)?;
					// Parents: accepted contributions (a coalition member's: its coalition's).
					let mut parents: Vec<u64> = pallet_contributions::Registry::<Runtime>::iter()
						.filter(|(_, c)| matches!(c.status, ContributionStatus::Accepted { .. }) && self.may_deal(who, &c.owner))
						.map(|(id, _)| id)
						.collect();
					parents.sort();
					parents.truncate(self.bytes.u8() as usize % 3);
					let kind = [
						ContributionKind::Dataset,
						ContributionKind::Model,
						ContributionKind::Code,
						ContributionKind::Documentation,
						ContributionKind::Other,
					][self.bytes.u8() as usize % 5];
					C::register {
						kind,
						content_hash: hash,
						uri: b"ipfs://data".to_vec(),
						metadata: vec![0; self.bytes.u8() as usize % 4 * 100],
						parents,
						salt,
					}
				}
			},
			3 => {
				let commitments: Vec<H256> =
					pallet_contributions::RegistrationCommitments::<Runtime>::iter_key_prefix(&me).collect();
				C::cancel_registration_commitment { commitment: self.bytes.pick(&commitments)? }
			},
			4 => C::request_evaluation { id: self.bytes.pick(&own)? },
			5 => C::update { id: self.bytes.pick(&own)?, uri: b"ipfs://v2".to_vec(), metadata: vec![1; self.bytes.u8() as usize] },
			6 => C::retire { id: self.bytes.pick(&own)? },
			_ => C::claim {},
		};
		Some((who, RuntimeCall::Contributions(call)))
	}

	pub(crate) fn ongoing_referenda() -> Vec<(u32, pallet_referenda::ReferendumStatusOf<Runtime, ()>)> {
		let mut all: Vec<_> = pallet_referenda::ReferendumInfoFor::<Runtime, ()>::iter()
			.filter_map(|(i, info)| match info {
				pallet_referenda::ReferendumInfo::Ongoing(status) => Some((i, status)),
				_ => None,
			})
			.collect();
		all.sort_by_key(|(i, _)| *i);
		all
	}

	pub(crate) fn finished_referenda() -> Vec<u32> {
		let mut all: Vec<u32> = pallet_referenda::ReferendumInfoFor::<Runtime, ()>::iter()
			.filter(|(_, info)| !matches!(info, pallet_referenda::ReferendumInfo::Ongoing(_)))
			.map(|(i, _)| i)
			.collect();
		all.sort();
		all
	}

	fn hybrid_voting(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_hybrid_voting::{Call as H, Conviction, Direction, HybridVote};
		let who = match forced {
			Some(i) => i,
			// The reputable accounts (Alice..Eve) vote more often: they can pass referenda.
			None if self.bytes.chance(4) => self.bytes.u8() % 5,
			None if self.bytes.chance(3) => {
				let mut voters: Vec<AccountId> = pallet_hybrid_voting::VotingFor::<Runtime>::iter_keys().collect();
				voters.sort();
				self.signer_among(None, &voters)
			},
			None => self.signer(),
		};
		let me = accounts::account(who);
		let call = match self.bytes.u8() % 6 {
			0..=3 => {
				let polls: Vec<u32> = Self::ongoing_referenda().into_iter().map(|(i, _)| i).collect();
				let poll_index = self.bytes.pick(&polls).unwrap_or(self.bytes.u8() as u32);
				let direction = match self.bytes.u8() % 8 {
					0..=4 => Direction::Aye,
					5 | 6 => Direction::Nay,
					_ => Direction::Abstain,
				};
				let conviction = match self.bytes.u8() % 8 {
					0 => Conviction::None,
					1 | 7 => Conviction::Locked1x,
					2 => Conviction::Locked2x,
					3 => Conviction::Locked3x,
					4 => Conviction::Locked4x,
					5 => Conviction::Locked5x,
					_ => Conviction::Locked6x,
				};
				let balance = self.amount(10_000 * UNIT);
				H::vote { poll_index, vote: HybridVote { direction, conviction, balance } }
			},
			4 => {
				// Votes on finished polls first (a won vote with conviction leaves a lock).
				let voted: Vec<u32> = pallet_hybrid_voting::VotingFor::<Runtime>::get(&me)
					.map(|v| v.votes.iter().map(|(i, _)| *i).collect())
					.unwrap_or_default();
				let finished: Vec<u32> = voted
					.iter()
					.copied()
					.filter(|i| {
						!matches!(
							pallet_referenda::ReferendumInfoFor::<Runtime, ()>::get(i),
							Some(pallet_referenda::ReferendumInfo::Ongoing(_))
						)
					})
					.collect();
				let poll_index = self.bytes.pick(&finished).or_else(|| self.bytes.pick(&voted))?;
				H::remove_vote { poll_index }
			},
			_ => {
				// Anyone may unlock anyone: pick an account with a voting record, preferably one
				// whose conviction lock (left by a removed, won vote) has expired.
				let now = System::block_number();
				let records: Vec<(AccountId, bool)> = pallet_hybrid_voting::VotingFor::<Runtime>::iter()
					.filter(|(v, _)| self.may_deal(who, v))
					.map(|(v, voting)| (v, voting.prior.amount > 0 && voting.prior.until <= now))
					.collect();
				let expired: Vec<AccountId> = records.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
				let mut voters: Vec<AccountId> =
					if expired.is_empty() { records.into_iter().map(|r| r.0).collect() } else { expired };
				voters.sort();
				let target = self.bytes.pick(&voters).unwrap_or_else(|| accounts::account(self.counterpart(who)));
				H::unlock { target }
			},
		};
		Some((who, RuntimeCall::HybridVoting(call)))
	}

	fn referenda(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_referenda::Call as R;
		let who = forced.unwrap_or_else(|| self.signer());
		let call = match self.bytes.u8() % 10 {
			0..=2 => return self.submit_referendum(who).map(|call| (who, call)),
			3 | 4 => {
				// Prefer referenda without a decision deposit.
				let ongoing = Self::ongoing_referenda();
				let waiting: Vec<u32> =
					ongoing.iter().filter(|(_, s)| s.decision_deposit.is_none()).map(|(i, _)| *i).collect();
				let all: Vec<u32> = ongoing.iter().map(|(i, _)| *i).collect();
				let index = self.bytes.pick(&waiting).or_else(|| self.bytes.pick(&all))?;
				R::place_decision_deposit { index }
			},
			5 => R::refund_decision_deposit { index: self.bytes.pick(&Self::finished_referenda())? },
			6 => R::refund_submission_deposit { index: self.bytes.pick(&Self::finished_referenda())? },
			7 => {
				// Note a preimage: a governance call (a referendum can then look it up) or junk.
				let bytes = if self.bytes.chance(6) {
					self.gov_call(1).encode()
				} else {
					vec![self.bytes.u8(); 1 + self.bytes.u8() as usize * 4]
				};
				let hash = H256(sp_io::hashing::blake2_256(&bytes));
				self.preimages.push((who, hash, bytes.len() as u32));
				return Some((who, RuntimeCall::Preimage(pallet_preimage::Call::note_preimage { bytes })));
			},
			8 => {
				let own: Vec<H256> = self.preimages.iter().filter(|p| p.0 == who).map(|p| p.1).collect();
				return Some((who, RuntimeCall::Preimage(pallet_preimage::Call::unnote_preimage { hash: self.bytes.pick(&own)? })));
			},
			_ => {
				let me = accounts::account(who);
				let own: Vec<u32> = Self::ongoing_referenda()
					.into_iter()
					.filter(|(_, s)| s.submission_deposit.who == me)
					.map(|(i, _)| i)
					.collect();
				let index = self.bytes.pick(&own)?;
				let hashes: Vec<H256> = self.preimages.iter().map(|p| p.1).collect();
				let maybe_hash = if self.bytes.chance(6) { self.bytes.pick(&hashes) } else { None };
				R::set_metadata { index, maybe_hash }
			},
		};
		Some((who, RuntimeCall::Referenda(call)))
	}

	fn referenda_admin(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_referenda_admin::Call as A;
		let who = forced.unwrap_or_else(|| self.signer());
		let call = match self.bytes.u8() % 3 {
			0 => {
				use pallet_referenda::ReferendumInfo as I;
				let mut settleable: Vec<u32> = pallet_referenda::ReferendumInfoFor::<Runtime, ()>::iter()
					.filter(|(_, info)| matches!(info, I::Rejected(_, Some(_), _) | I::TimedOut(_, Some(_), _)))
					.map(|(i, _)| i)
					.collect();
				settleable.sort();
				let index = self.bytes.pick(&settleable).or_else(|| self.bytes.pick(&Self::finished_referenda()))?;
				A::settle_submission_deposit { index }
			},
			1 => {
				let ongoing: Vec<u32> = Self::ongoing_referenda().into_iter().map(|(i, _)| i).collect();
				A::time_out_stranded { index: self.bytes.pick(&ongoing)? }
			},
			_ => {
				let cooling: Vec<H256> = pallet_referenda_admin::CoolOffs::<Runtime>::iter_keys().collect();
				A::clear_cool_off { proposal: self.bytes.pick(&cooling)? }
			},
		};
		Some((who, RuntimeCall::ReferendaAdmin(call)))
	}

	/// Open council motions: (hash, index, threshold, ayes, nays, end).
	pub(crate) fn motions() -> Vec<(H256, u32, u32, Vec<AccountId>, Vec<AccountId>, u32)> {
		#[derive(codec::Decode)]
		struct Votes {
			index: u32,
			threshold: u32,
			ayes: Vec<AccountId>,
			nays: Vec<AccountId>,
			end: u32,
		}
		pallet_collective::Proposals::<Runtime, Council>::get()
			.into_iter()
			.filter_map(|hash| {
				let votes = pallet_collective::Voting::<Runtime, Council>::get(hash)?;
				let v = <Votes as codec::Decode>::decode(&mut &votes.encode()[..]).ok()?;
				Some((hash, v.index, v.threshold, v.ayes, v.nays, v.end))
			})
			.collect()
	}

	fn council(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_collective::Call as C;
		let members = Self::council_members();
		let call = match self.bytes.u8() % 8 {
			0..=2 => {
				let who = self.signer_among(forced, &members);
				let proposal = self.gov_call(0);
				let len = proposal.encoded_size() as u32;
				let threshold = match self.bytes.u8() % 4 {
					0 => 1,
					1 => members.len() as u32,
					_ => (members.len() as u32 / 2 + 1).max(2),
				};
				let hash = hash_of(&proposal);
				self.names.insert(hash.0, call_name(&proposal));
				let length_bound = if self.bytes.chance(1) { len / 2 } else { len };
				return Some((who, RuntimeCall::Council(C::propose { threshold, proposal: Box::new(proposal), length_bound })));
			},
			3..=5 => {
				let (hash, index, _, ayes, nays, _) = self.bytes.pick(&Self::motions())?;
				// Members that have not voted yet, mostly.
				let fresh: Vec<AccountId> =
					members.iter().filter(|m| !ayes.contains(m) && !nays.contains(m)).cloned().collect();
				let pool = if fresh.is_empty() || self.bytes.chance(1) { members.clone() } else { fresh };
				let who = self.signer_among(forced, &pool);
				let approve = !self.bytes.chance(2);
				return Some((who, RuntimeCall::Council(C::vote { proposal: hash, index, approve })));
			},
			_ => {
				let now = System::block_number();
				let motions = Self::motions();
				let closable: Vec<_> = motions
					.iter()
					.filter(|(_, _, threshold, ayes, nays, end)| {
						ayes.len() as u32 >= *threshold ||
							members.len().saturating_sub(nays.len()) < *threshold as usize ||
							now >= *end
					})
					.cloned()
					.collect();
				let (hash, index, ..) = self.bytes.pick(&closable).or_else(|| self.bytes.pick(&motions))?;
				let proposal = pallet_collective::ProposalOf::<Runtime, Council>::get(hash)?;
				let weight = proposal.get_dispatch_info().call_weight;
				let len = proposal.encoded_size() as u32;
				let (proposal_weight_bound, length_bound) =
					if self.bytes.chance(1) { (weight / 2, len) } else { (weight, len) };
				C::close { proposal_hash: hash, index, proposal_weight_bound, length_bound }
			},
		};
		let who = forced.unwrap_or_else(|| self.signer());
		Some((who, RuntimeCall::Council(call)))
	}

	fn elections(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_council_elections::Call as E;
		let candidates: Vec<AccountId> =
			pallet_council_elections::Candidates::<Runtime>::get().into_iter().map(|c| c.who).collect();
		match self.bytes.u8() % 8 {
			0 | 1 => {
				// The reputable accounts can stand (≥ 100,000 reputation): Alice..Eve.
				let who = forced.unwrap_or_else(|| if self.bytes.chance(5) { self.bytes.u8() % 5 } else { self.signer() });
				return Some((who, RuntimeCall::CouncilElections(E::submit_candidacy {})));
			},
			2 => {
				let who = self.signer_among(forced, &candidates);
				return Some((who, RuntimeCall::CouncilElections(E::renounce_candidacy {})));
			},
			3..=6 => {
				let who = forced.unwrap_or_else(|| self.signer());
				let eligible: Vec<AccountId> =
					candidates.iter().filter(|c| self.may_deal(who, c)).cloned().collect();
				let n = 1 + self.bytes.u8() as usize % 6;
				let mut votes = Vec::new();
				for _ in 0..n {
					if let Some(c) = self.bytes.pick(&eligible) {
						if !votes.contains(&c) || self.bytes.chance(1) {
							votes.push(c);
						}
					}
				}
				if votes.is_empty() && !self.coalition(who) {
					votes.push(accounts::account(self.signer()));
				}
				if votes.is_empty() {
					return None;
				}
				let stake = if self.bytes.chance(4) { 100_000 * UNIT } else { self.amount(1_000 * UNIT) };
				return Some((who, RuntimeCall::CouncilElections(E::vote { votes: votes.try_into().ok()?, stake })));
			},
			_ => {
				let mut voters: Vec<AccountId> = pallet_council_elections::Voters::<Runtime>::iter_keys().collect();
				voters.sort();
				Some((self.signer_among(forced, &voters), RuntimeCall::CouncilElections(E::remove_voter {})))
			},
		}
	}

	fn validators(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		use pallet_validator_set::Call as V;
		let mut operators: Vec<AccountId> = pallet_validator_set::Operators::<Runtime>::iter_keys().collect();
		operators.sort();
		match self.bytes.u8() % 6 {
			0 | 1 => {
				let who = forced.unwrap_or_else(|| self.signer());
				let owner = accounts::account(who);
				self.keys_generated += 1;
				let seed = format!("//fuzzkeys//{who}//{}", self.keys_generated).into_bytes();
				let generated = perspective_runtime::SessionKeys::generate(&owner.encode(), Some(seed));
				let proof = if self.bytes.chance(1) { Vec::new() } else { generated.proof.encode() };
				return Some((who, RuntimeCall::Session(pallet_session::Call::set_keys { keys: generated.keys, proof })));
			},
			2 | 3 => {
				let mut keyed: Vec<AccountId> = pallet_session::NextKeys::<Runtime>::iter_keys()
					.filter(|who| !pallet_validator_set::Operators::<Runtime>::contains_key(who))
					.collect();
				keyed.sort();
				let who = self.signer_among(forced, &keyed);
				let bond = match self.bytes.u8() % 4 {
					0 | 1 => 1_000 * UNIT,
					2 => 999 * UNIT,
					_ => self.amount(1_000 * UNIT),
				};
				return Some((who, RuntimeCall::ValidatorSet(V::apply { bond })));
			},
			_ => {
				use pallet_validator_set::OperatorStatus as S;
				let status = |who: &AccountId| pallet_validator_set::Operators::<Runtime>::get(who).map(|o| o.status);
				let (call, pool): (RuntimeCall, Vec<AccountId>) = match self.bytes.u8() % 9 {
					0 | 1 => (
						RuntimeCall::ValidatorSet(V::withdraw_application {}),
						operators.iter().filter(|o| status(o) == Some(S::Applied)).cloned().collect(),
					),
					2 | 3 => (
						RuntimeCall::ValidatorSet(V::resign {}),
						operators.iter().filter(|o| status(o) == Some(S::Validating)).cloned().collect(),
					),
					4 | 5 => {
						let now = System::block_number();
						let unbonding: Vec<(AccountId, bool)> = operators
							.iter()
							.filter_map(|o| match status(o) {
								Some(S::Unbonding { withdrawable_at }) => Some((o.clone(), withdrawable_at <= now)),
								_ => None,
							})
							.collect();
						let ready: Vec<AccountId> = unbonding.iter().filter(|u| u.1).map(|u| u.0.clone()).collect();
						let pool = if ready.is_empty() { unbonding.into_iter().map(|u| u.0).collect() } else { ready };
						(RuntimeCall::ValidatorSet(V::withdraw_bond {}), pool)
					},
					6 | 7 => (
						RuntimeCall::ValidatorSet(V::purge_keys {}),
						pallet_session::NextKeys::<Runtime>::iter_keys()
							.filter(|who| !matches!(status(who), Some(S::Applied | S::Validating)))
							.collect(),
					),
					// Filtered by the runtime: must fail with `CallFiltered`.
					_ => (RuntimeCall::Session(pallet_session::Call::purge_keys {}), operators.clone()),
				};
				let mut pool = pool;
				pool.sort();
				Some((self.signer_among(forced, &pool), call))
			},
		}
	}

	/// Alice (the development sudo key) dispatches a governance call as root; rarely someone
	/// else tries.
	fn sudo(&mut self, forced: Option<u8>) -> Option<(u8, RuntimeCall)> {
		let who = forced.unwrap_or_else(|| if self.bytes.chance(7) { 0 } else { self.signer() });
		let call = self.gov_call(0);
		Some((who, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })))
	}
}

fn is_wrapper(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::Utility(_) | RuntimeCall::Sudo(_))
}

/// A short description of a call for the trace.
pub(crate) fn summary(call: &RuntimeCall) -> String {
	let full = format!("{call:?}");
	if full.len() <= 600 {
		full
	} else {
		format!("{}…", full.chars().take(600).collect::<String>())
	}
}

/// The runtime's hash (BLAKE2-256) of an encodable value.
pub(crate) fn hash_of<T: Encode>(t: &T) -> H256 {
	H256(sp_io::hashing::blake2_256(&t.encode()))
}
