//! The step grammar: each step reads a few bytes of the input. Arguments are selectors into
//! live state (the k-th open task, a member of its panel, an account), never raw ids, so most
//! calls reach deep code rather than failing their first check.

use crate::{chain, invariants, Failure, Stats, MAX_BLOCKS, MAX_STEPS};
use frame_support::dispatch::GetDispatchInfo;
use perspective_primitives::evaluation::SubjectKind;
use perspective_runtime::{currency::UNIT, AccountId, Balance, Runtime, RuntimeCall, RuntimeOrigin, System};
use sp_core::H256;
use sp_runtime::traits::Dispatchable;
use std::collections::BTreeMap;

/// Reads the input a byte at a time; zeros once it runs out.
struct Bytes<'a> {
	data: &'a [u8],
	at: usize,
}

impl Bytes<'_> {
	fn u8(&mut self) -> u8 {
		let b = self.data.get(self.at).copied().unwrap_or(0);
		self.at += 1;
		b
	}
	fn done(&self) -> bool {
		self.at >= self.data.len()
	}
	fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
		if items.is_empty() {
			return None;
		}
		Some(items[self.u8() as usize % items.len()].clone())
	}
}

pub struct Runner<'a> {
	bytes: Bytes<'a>,
	stats: Stats,
	trace: Vec<String>,
	/// Committed scores and salts, so reveals can be honest (or deliberately wrong).
	commitments: BTreeMap<(AccountId, u64), (Vec<perspective_primitives::evaluation::Score>, [u8; 32])>,
	/// Registration commitments: (owner, content hash, salt, block).
	registrations: Vec<(u8, H256, [u8; 32], u32)>,
}

impl<'a> Runner<'a> {
	pub fn new(data: &'a [u8]) -> Self {
		Self {
			bytes: Bytes { data, at: 0 },
			stats: Stats::default(),
			trace: Vec::new(),
			commitments: BTreeMap::new(),
			registrations: Vec::new(),
		}
	}

	pub fn run(mut self) -> Result<Stats, Failure> {
		self.block()?;
		let mut step = 0;
		while !self.bytes.done() && step < MAX_STEPS && self.stats.blocks < MAX_BLOCKS {
			step += 1;
			match self.bytes.u8() % 16 {
				0 | 1 => {
					let n = 1 + self.bytes.u8() % 8;
					self.trace.push(format!("advance {n}"));
					for _ in 0..n {
						self.block().map_err(|mut f| {
							f.step = step;
							f
						})?;
					}
				},
				_ => {
					if let Some((who, call, label)) = self.call() {
						self.dispatch(who, call, label).map_err(|what| self.failure(step, what))?;
					}
				},
			}
		}
		self.block()?;
		Ok(self.stats)
	}

	fn failure(&self, step: usize, what: String) -> Failure {
		Failure { step, block: System::block_number(), what, trace: self.trace.clone() }
	}

	/// Checks the invariants at the end of the open block, then opens the next.
	fn block(&mut self) -> Result<(), Failure> {
		invariants::check().map_err(|what| self.failure(0, what))?;
		for record in System::events() {
			let name = format!("{:?}", record.event);
			// `Pallet(Event::Variant { .. })` → `Pallet::Variant`.
			let pallet = name.split('(').next().unwrap_or("").to_string();
			let variant = name.split("Event::").nth(1).unwrap_or("").split([' ', '(', '{', ')']).next().unwrap_or("").to_string();
			*self.stats.events.entry(format!("{pallet}::{variant}")).or_default() += 1;
		}
		chain::next_block();
		self.stats.blocks += 1;
		invariants::check().map_err(|what| self.failure(0, format!("after the hooks: {what}")))
	}

	fn account(&mut self) -> (u8, AccountId) {
		let i = self.bytes.u8() % chain::FUZZ_ACCOUNTS;
		(i, chain::account(i))
	}

	fn amount(&mut self, scale: Balance) -> Balance {
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

	fn open_tasks() -> Vec<u64> {
		pallet_evaluation::Tasks::<Runtime>::iter()
			.filter(|(_, t)| t.status == pallet_evaluation::TaskStatus::Open)
			.map(|(id, _)| id)
			.collect()
	}

	/// Decodes one call: its signer, the call and a label for the trace.
	fn call(&mut self) -> Option<(AccountId, RuntimeCall, String)> {
		use pallet_evaluation::Call as E;
		let min_bond = 100 * UNIT;
		let (i, who) = self.account();
		let call = match self.bytes.u8() % 16 {
			0 => {
				let (_, to) = self.account();
				let value = self.amount(UNIT);
				RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: to.into(), value })
			},
			1 => RuntimeCall::Evaluation(E::register { bond: self.amount(min_bond) }),
			2 => RuntimeCall::Evaluation(E::bond_extra { amount: self.amount(min_bond) }),
			3 => RuntimeCall::Evaluation(E::unbond {}),
			4 => RuntimeCall::Evaluation(E::withdraw {}),
			5 => {
				let criteria = 1 + self.bytes.u8() % 3;
				let period = [4u32, 5, 6, 10][self.bytes.u8() as usize % 4];
				RuntimeCall::Evaluation(E::open_task {
					kind: SubjectKind::ModelOutput,
					content_hash: H256::repeat_byte(self.bytes.u8()),
					uri: b"ipfs://fuzz".to_vec(),
					criteria: (0..criteria).map(|c| vec![b'a' + c]).collect(),
					reward: self.amount(UNIT),
					commit_period: period,
					reveal_period: period,
				})
			},
			6 | 7 => {
				// A member of an open task's current panel commits honest or lying scores.
				let task = self.bytes.pick(&Self::open_tasks())?;
				let panel = pallet_evaluation::Panels::<Runtime>::get(task)?.into_inner();
				let (member, _) = self.bytes.pick(&panel)?;
				let criteria = pallet_evaluation::Tasks::<Runtime>::get(task)?.criteria.len();
				let score = [80, 20, 75, 100][self.bytes.u8() as usize % 4];
				let scores = vec![score; criteria];
				let salt = sp_io::hashing::blake2_256(&(b"fuzz salt", &member, task).encode_to());
				let commitment = pallet_evaluation::commitment_of(task, &member, &scores, &salt);
				self.commitments.insert((member.clone(), task), (scores, salt));
				return Some((member, RuntimeCall::Evaluation(E::commit { task, commitment }), format!("commit {task}")));
			},
			8 | 13 | 14 => {
				// Prefer commitments whose reveal window is open: reveals elsewhere only fail.
				let now = System::block_number();
				let mut keys: Vec<(AccountId, u64)> = self
					.commitments
					.keys()
					.filter(|(_, task)| {
						pallet_evaluation::Tasks::<Runtime>::get(task)
							.map(|t| now >= t.commit_end && now < t.reveal_end)
							.unwrap_or(false)
					})
					.cloned()
					.collect();
				if keys.is_empty() || self.bytes.u8() % 8 == 0 {
					keys = self.commitments.keys().cloned().collect();
				}
				let (member, task) = self.bytes.pick(&keys)?;
				let (mut scores, salt) = self.commitments.get(&(member.clone(), task))?.clone();
				if self.bytes.u8() % 8 == 0 {
					scores.iter_mut().for_each(|s| *s = s.wrapping_add(1));
				}
				return Some((member, RuntimeCall::Evaluation(E::reveal { task, scores, salt }), format!("reveal {task}")));
			},
			9 | 15 => {
				// Prefer tasks in an appeal window.
				let now = System::block_number();
				let appealable: Vec<u64> = Self::open_tasks()
					.into_iter()
					.filter(|id| pallet_evaluation::Tasks::<Runtime>::get(id).map(|t| now >= t.reveal_end && now < t.due).unwrap_or(false))
					.collect();
				let task = self.bytes.pick(&appealable).or_else(|| self.bytes.pick(&Self::open_tasks())).unwrap_or(0);
				let amount = match self.bytes.u8() % 4 {
					0 => self.amount(50 * UNIT),
					_ => [100 * UNIT, 200 * UNIT, 400 * UNIT, 25 * UNIT][self.bytes.u8() as usize % 4],
				};
				RuntimeCall::Evaluation(E::appeal { task, amount })
			},
			10 | 12 => {
				// Prefer tasks past their due block (appealed ones wait for this call).
				let now = System::block_number();
				let due: Vec<u64> = Self::open_tasks()
					.into_iter()
					.filter(|id| pallet_evaluation::Tasks::<Runtime>::get(id).map(|t| now >= t.due).unwrap_or(false))
					.collect();
				let task = self.bytes.pick(&due).or_else(|| self.bytes.pick(&Self::open_tasks())).unwrap_or(0);
				RuntimeCall::Evaluation(E::settle { task })
			},
			11 => {
				// Two-phase registration: commit now, register in a later block.
				let now = System::block_number();
				let ready: Vec<(u8, H256, [u8; 32], u32)> =
					self.registrations.iter().filter(|r| r.3 < now).cloned().collect();
				if self.bytes.u8() % 2 == 0 || ready.is_empty() {
					let hash = H256::repeat_byte(self.bytes.u8());
					let salt = [i; 32];
					self.registrations.push((i, hash, salt, now));
					let commitment = pallet_contributions::registration_commitment_of(hash, &who, &salt);
					RuntimeCall::Contributions(pallet_contributions::Call::commit_registration { commitment })
				} else {
					let (owner, hash, salt, _) = self.bytes.pick(&ready)?;
					let parents = pallet_contributions::Registry::<Runtime>::iter_keys().take(self.bytes.u8() as usize % 3).collect();
					return Some((
						chain::account(owner),
						RuntimeCall::Contributions(pallet_contributions::Call::register {
							kind: pallet_contributions::ContributionKind::Dataset,
							content_hash: hash,
							uri: b"ipfs://data".to_vec(),
							metadata: Vec::new(),
							parents,
							salt,
						}),
						format!("register {hash:?}"),
					));
				}
			},
			_ => RuntimeCall::Contributions(pallet_contributions::Call::claim {}),
		};
		let label = format!("{:?}", call).chars().take(120).collect();
		Some((who, call, label))
	}

	/// Dispatches `call` signed by `who`; a dispatch may fail, but its actual weight may never
	/// exceed what it was charged.
	fn dispatch(&mut self, who: AccountId, call: RuntimeCall, label: String) -> Result<(), String> {
		let charged = call.get_dispatch_info().call_weight;
		let result = call.dispatch(RuntimeOrigin::signed(who));
		self.stats.calls += 1;
		let (actual, outcome) = match result {
			Ok(post) => {
				self.stats.succeeded += 1;
				(post.actual_weight, "ok".to_string())
			},
			Err(e) => (e.post_info.actual_weight, format!("{:?}", e.error)),
		};
		self.trace.push(format!("{label} -> {outcome}"));
		if let Some(actual) = actual {
			if actual.any_gt(charged) {
				return Err(format!("{label} used {actual:?}, more than the {charged:?} it was charged"));
			}
		}
		Ok(())
	}
}

trait EncodeTo {
	fn encode_to(&self) -> Vec<u8>;
}
impl<T: codec::Encode> EncodeTo for T {
	fn encode_to(&self) -> Vec<u8> {
		self.encode()
	}
}
