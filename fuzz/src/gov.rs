//! Governance: the calls governance origins make, dispatched directly as the scheduler (a
//! passed referendum), the council (a closed motion) or sudo would, and the referendum
//! submissions of signed accounts.
//!
//! A governance step picks an origin — `Root`, the council collective's
//! `Members(ayes, members)` (usually a majority of the sitting council, sometimes a single
//! vote), or one of the custom track origins (`GeneralAdmin`, `WhitelistedCaller`) — and a call
//! from [`Runner::gov_call`]. The call is dispatched with `RuntimeCall::dispatch` (the call
//! filter applies to every origin but root), its weight must not exceed what it declared, and
//! what it used is registered in the block with `System::register_extra_weight_unchecked`
//! (in its dispatch class; a call that does not fit what is left of the block waits for the
//! next one).
//!
//! Parameter changes are mutations of the parameters in force: one field moved to a boundary,
//! just past it, doubled, halved or zeroed, so about half are valid and the rest hit each
//! range check.

use crate::{
	accounts::{self, FUZZ_ACCOUNTS},
	steps::{call_name, hash_of, summary, Council, Runner},
	Failure,
};
use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{schedule::DispatchTime, Bounded},
};
use perspective_primitives::evaluation::Score;
use perspective_runtime::{
	currency::UNIT,
	governance::origins,
	time::DAYS,
	AccountId, OriginCaller, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use sp_core::H256;
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, Dispatchable},
	Perbill,
};

/// A field value moved around its range: the boundaries, just past them, doubled, halved, zero.
fn nudge<N: AtLeast32BitUnsigned + Copy>(byte: u8, value: N, min: N, max: N) -> N {
	match byte % 8 {
		0 => min,
		1 => max,
		2 => min.saturating_sub(N::one()),
		3 => max.saturating_add(N::one()),
		4 => value.saturating_mul(N::from(2u8)),
		5 => value / N::from(2u8),
		6 => N::zero(),
		_ => value.saturating_add(N::one()),
	}
}

fn nudge_perbill(byte: u8, value: Perbill, max: Perbill) -> Perbill {
	match byte % 4 {
		0 => Perbill::zero(),
		1 => max,
		2 => Perbill::from_parts(max.deconstruct().saturating_add(1)),
		_ => Perbill::from_parts(value.deconstruct() / 2),
	}
}

fn nudge_score(byte: u8, value: Score) -> Score {
	match byte % 4 {
		0 => 0,
		1 => 100,
		2 => 101,
		_ => value / 2,
	}
}

impl Runner<'_> {
	/// One governance step: an origin and a call, dispatched directly.
	pub(crate) fn governance_step(&mut self) -> Result<(), Failure> {
		let (origin, origin_name) = self.gov_origin();
		let call = self.gov_call(0);
		self.dispatch_governance(origin, origin_name, call)
	}

	fn gov_origin(&mut self) -> (RuntimeOrigin, String) {
		match self.bytes.u8() % 8 {
			0..=2 => (RuntimeOrigin::root(), "root".into()),
			3..=5 => {
				let members = Self::council_members().len() as u32;
				let ayes = match self.bytes.u8() % 4 {
					0 => 1,
					1 => members,
					// Half (the parameter origin), or two thirds (killing a referendum).
					2 => (members + 1) / 2,
					_ => (2 * members + 2) / 3,
				};
				(
					pallet_collective::RawOrigin::<AccountId, Council>::Members(ayes, members).into(),
					format!("council({ayes}/{members})"),
				)
			},
			6 => (RuntimeOrigin::from(origins::Origin::GeneralAdmin), "general-admin".into()),
			_ => (RuntimeOrigin::from(origins::Origin::WhitelistedCaller), "whitelisted-caller".into()),
		}
	}

	/// Dispatches `call` from a governance origin, registering the weight it used.
	pub(crate) fn dispatch_governance(
		&mut self,
		origin: RuntimeOrigin,
		origin_name: String,
		call: RuntimeCall,
	) -> Result<(), Failure> {
		let name = call_name(&call);
		let label = format!("gov {origin_name} {}", summary(&call));
		let key = format!("gov {name}");
		*self.stats.tried.entry(key.clone()).or_default() += 1;
		let info = call.get_dispatch_info();
		let declared = info.total_weight();
		let limits = perspective_runtime::configs::RuntimeBlockWeights::get();
		let fits = || {
			let consumed = System::block_weight();
			let class_max = limits.get(info.class).max_total.unwrap_or(limits.max_block);
			let used = *consumed.get(info.class);
			used.saturating_add(declared).all_lte(class_max) &&
				consumed.total().saturating_add(declared).all_lte(limits.max_block)
		};
		if !fits() {
			self.block()?;
			if !fits() {
				self.stats.rejected += 1;
				self.note(format!("{label} -> does not fit in a block ({declared:?})"));
				return Ok(());
			}
		}
		let started = std::time::Instant::now();
		let result = call.dispatch(origin);
		self.stats.nanos.governance += started.elapsed().as_nanos();
		self.check_logs(&label)?;
		self.stats.calls += 1;
		let post = match &result {
			Ok(post) => *post,
			Err(e) => e.post_info,
		};
		if let Some(actual) = post.actual_weight {
			if actual.any_gt(info.call_weight) {
				return Err(self.failure(format!(
					"{label} used {actual:?}, more than the {:?} it declared",
					info.call_weight
				)));
			}
		}
		System::register_extra_weight_unchecked(post.calc_actual_weight(&info), info.class);
		if result.is_ok() {
			self.stats.succeeded += 1;
			*self.stats.ok.entry(key).or_default() += 1;
		}
		self.note(format!("{label} -> {:?}", result.map(|_| ()).map_err(|e| e.error)));
		Ok(())
	}

	fn any_account(&mut self) -> AccountId {
		accounts::account(self.bytes.u8() % FUZZ_ACCOUNTS)
	}

	/// A call governance makes. `depth` > 0 inside a wrapper (no further wrapping).
	pub(crate) fn gov_call(&mut self, depth: u8) -> RuntimeCall {
		// A final appeal waits for governance: decide it, often.
		if pallet_evaluation::Disputes::<Runtime>::iter_values().any(|d| d.governance_until.is_some()) &&
			self.bytes.chance(3)
		{
			if let Some(call) = self.decide_dispute() {
				return call;
			}
		}
		match self.bytes.u8() % 24 {
			0..=2 => self.reputation_call(),
			3 | 4 => self.evaluation_params(),
			5 => self.decide_dispute().unwrap_or_else(|| self.evaluation_params()),
			6 | 7 => self.contribution_params(),
			8 => self.election_params(),
			9..=11 => self.validator_call(),
			12 => {
				let source = self.any_account().into();
				let dest = self.any_account().into();
				let value = self.amount(100 * UNIT);
				RuntimeCall::Balances(pallet_balances::Call::force_transfer { source, dest, value })
			},
			13 | 14 => self.referenda_governance().unwrap_or_else(|| remark(self.bytes.u8())),
			15 => self.set_track(),
			16 | 17 => self.whitelist_call(depth),
			18 => {
				let hashes: Vec<H256> = self.preimages.iter().map(|p| p.1).collect();
				let hash = self.bytes.pick(&hashes).unwrap_or_else(|| H256::repeat_byte(self.bytes.u8()));
				RuntimeCall::Preimage(if self.bytes.u8() % 2 == 0 {
					pallet_preimage::Call::request_preimage { hash }
				} else {
					pallet_preimage::Call::unrequest_preimage { hash }
				})
			},
			19 if depth == 0 => {
				// A batch of governance calls (what a proposal bundling changes looks like).
				let n = 1 + self.bytes.u8() % 3;
				let calls = (0..n).map(|_| self.gov_call(depth + 1)).collect();
				RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
			},
			_ => remark(self.bytes.u8()),
		}
	}

	fn reputation_call(&mut self) -> RuntimeCall {
		use pallet_reputation::Call as P;
		let mut scored: Vec<AccountId> = pallet_reputation::Scores::<Runtime>::iter_keys().collect();
		scored.sort();
		let who = if self.bytes.chance(4) { self.bytes.pick(&scored).unwrap_or_else(|| self.any_account()) } else { self.any_account() };
		let max = perspective_runtime::governance::MaxReputationGrant::get();
		let amount = match self.bytes.u8() % 6 {
			0 => 0,
			1 => 1,
			2 => max,
			3 => max + 1,
			4 => pallet_reputation::Pallet::<Runtime>::grant_budget(),
			_ => 1_000 * (1 + self.bytes.u8() as u128),
		};
		RuntimeCall::Reputation(match self.bytes.u8() % 8 {
			0..=3 => P::grant { who, amount },
			4..=6 => P::revoke { who, amount },
			_ => P::set_half_life { half_life: [0, DAYS - 1, DAYS, 90 * DAYS][self.bytes.u8() as usize % 4] },
		})
	}

	fn evaluation_params(&mut self) -> RuntimeCall {
		let mut p = pallet_evaluation::Params::<Runtime>::get()
			.unwrap_or_else(perspective_runtime::evaluation::development_params);
		let b = self.bytes.u8();
		let v = self.bytes.u8();
		match b % 18 {
			0 => p.min_bond = nudge(v, p.min_bond, 1, 10_000 * UNIT),
			1 => p.unbonding_delay = nudge(v, p.unbonding_delay, 1, 28 * DAYS),
			2 => p.min_reward = nudge(v, p.min_reward, 0, 10 * UNIT),
			3 => p.min_period = nudge(v, p.min_period, 5, p.max_period),
			4 => p.max_period = nudge(v, p.max_period, p.min_period, 7 * DAYS),
			5 => p.default_period = nudge(v, p.default_period, p.min_period, p.max_period),
			6 => p.panel_size = nudge(v, p.panel_size, 1, 9),
			7 => p.quorum = nudge(v, p.quorum, 1, p.panel_size),
			8 => p.tolerance = nudge_score(v, p.tolerance),
			9 => p.no_show_slash = nudge_perbill(v, p.no_show_slash, Perbill::from_percent(10)),
			10 => p.outlier_slash = nudge_perbill(v, p.outlier_slash, Perbill::from_percent(10)),
			11 => p.no_show_penalty = nudge(v, p.no_show_penalty, 0, 50_000),
			12 => p.outlier_penalty = nudge(v, p.outlier_penalty, 0, 50_000),
			13 => p.accuracy_reward = nudge(v, p.accuracy_reward, 0, 10_000),
			14 => p.appeal_period = nudge(v, p.appeal_period, 5, 7 * DAYS),
			15 => p.appeal_bond_base = nudge(v, p.appeal_bond_base, 1, 10_000 * UNIT),
			16 => p.max_appeal_rounds = nudge(v, p.max_appeal_rounds, 0, 2),
			_ => p.governance_period = nudge(v, p.governance_period, 5, 28 * DAYS),
		}
		RuntimeCall::Evaluation(pallet_evaluation::Call::set_params { params: p })
	}

	/// A verdict for a dispute waiting for governance (or, rarely, for any dispute).
	fn decide_dispute(&mut self) -> Option<RuntimeCall> {
		let mut waiting: Vec<u64> = pallet_evaluation::Disputes::<Runtime>::iter()
			.filter(|(_, d)| d.governance_until.is_some() || self.bytes.chance(1))
			.map(|(task, _)| task)
			.collect();
		waiting.sort();
		let task = self.bytes.pick(&waiting)?;
		let criteria = pallet_evaluation::Tasks::<Runtime>::get(task).map_or(1, |t| t.criteria.len());
		let n = if self.bytes.chance(1) { criteria + 1 } else { criteria };
		let score: Score = [50, 80, 20, 101][self.bytes.u8() as usize % 4];
		Some(RuntimeCall::Evaluation(pallet_evaluation::Call::decide_dispute { task, consensus: vec![score; n] }))
	}

	fn contribution_params(&mut self) -> RuntimeCall {
		let mut p = pallet_contributions::Params::<Runtime>::get()
			.unwrap_or_else(perspective_runtime::contributions::development_params);
		let b = self.bytes.u8();
		let v = self.bytes.u8();
		match b % 13 {
			0 => p.epoch_length = nudge(v, p.epoch_length, 10, 30 * DAYS),
			1 => p.epoch_emission = nudge(v, p.epoch_emission, 0, 1_000 * UNIT),
			2 => {
				let w = nudge(v, p.pool_weights.dataset, 0, 100);
				match v % 3 {
					0 => p.pool_weights.dataset = w,
					1 => p.pool_weights.participation = w,
					_ => {
						p.pool_weights = pallet_contributions::PerPool {
							dataset: 0,
							model: 0,
							code: 0,
							documentation: 0,
							other: 0,
							participation: 0,
						}
					},
				}
			},
			3 => p.royalty = nudge_perbill(v, p.royalty, Perbill::from_percent(50)),
			4 => p.royalty_depth = nudge(v, p.royalty_depth, 0, 2),
			5 => p.acceptance_threshold = nudge_score(v, p.acceptance_threshold),
			6 => p.deposit_base = nudge(v, p.deposit_base, 0, 1_000 * UNIT),
			7 => p.deposit_per_byte = nudge(v, p.deposit_per_byte, 0, UNIT),
			8 => p.evaluation_fee = nudge(v, p.evaluation_fee, 10 * UNIT, 1_000 * UNIT),
			9 => p.rejection_slash = nudge_perbill(v, p.rejection_slash, Perbill::from_percent(50)),
			10 => p.acceptance_reputation = nudge(v, p.acceptance_reputation, 0, 10_000),
			11 => p.rejection_penalty = nudge(v, p.rejection_penalty, 0, 50_000),
			_ => {},
		}
		RuntimeCall::Contributions(pallet_contributions::Call::set_params { params: p })
	}

	fn election_params(&mut self) -> RuntimeCall {
		let mut p = pallet_council_elections::Pallet::<Runtime>::params();
		let v = self.bytes.u8();
		match self.bytes.u8() % 4 {
			0 => p.candidacy_bond = nudge(v, p.candidacy_bond, 0, 10_000 * UNIT),
			1 => p.min_candidate_reputation = nudge(v, p.min_candidate_reputation, 0, 1_000_000),
			2 => p.desired_members = nudge(v, p.desired_members, p.min_members, 13),
			_ => p.min_members = nudge(v, p.min_members, 3, p.desired_members),
		}
		RuntimeCall::CouncilElections(pallet_council_elections::Call::set_params { params: p })
	}

	fn validator_call(&mut self) -> RuntimeCall {
		use pallet_validator_set::{Call as V, OperatorStatus};
		let mut operators: Vec<(AccountId, bool)> = pallet_validator_set::Operators::<Runtime>::iter()
			.map(|(who, op)| (who, op.status == OperatorStatus::Applied))
			.collect();
		operators.sort();
		let applicants: Vec<AccountId> = operators.iter().filter(|o| o.1).map(|o| o.0.clone()).collect();
		match self.bytes.u8() % 8 {
			0..=3 => {
				let who = self.bytes.pick(&applicants).unwrap_or_else(|| self.any_account());
				RuntimeCall::ValidatorSet(V::approve { who: who.into() })
			},
			4 | 5 => {
				let all: Vec<AccountId> = operators.iter().map(|o| o.0.clone()).collect();
				let who = self.bytes.pick(&all).unwrap_or_else(|| self.any_account());
				let slash = Perbill::from_percent([0, 10, 50, 51][self.bytes.u8() as usize % 4]);
				RuntimeCall::ValidatorSet(V::remove { who: who.into(), slash })
			},
			_ => {
				let mut p = pallet_validator_set::Params::<Runtime>::get();
				let v = self.bytes.u8();
				match self.bytes.u8() % 4 {
					0 => p.min_bond = nudge(v, p.min_bond, perspective_runtime::currency::EXISTENTIAL_DEPOSIT, 10_000 * UNIT),
					1 => {
						let set = pallet_validator_set::Validators::<Runtime>::decode_len().unwrap_or(0) as u32;
						p.min_validators = nudge(v, p.min_validators, 1, set)
					},
					2 => p.unbonding_period = nudge(v, p.unbonding_period, 20, 28 * DAYS),
					_ => p.offence_slash = nudge_perbill(v, p.offence_slash, Perbill::from_percent(50)),
				}
				RuntimeCall::ValidatorSet(V::set_params { params: p })
			},
		}
	}

	/// Cancel, kill, veto or nudge an ongoing referendum.
	fn referenda_governance(&mut self) -> Option<RuntimeCall> {
		let ongoing: Vec<u32> = Self::ongoing_referenda().into_iter().map(|(i, _)| i).collect();
		let index = self.bytes.pick(&ongoing)?;
		Some(match self.bytes.u8() % 8 {
			0..=3 => RuntimeCall::ReferendaAdmin(pallet_referenda_admin::Call::veto { index }),
			4 => RuntimeCall::Referenda(pallet_referenda::Call::cancel { index }),
			5 => RuntimeCall::Referenda(pallet_referenda::Call::kill { index }),
			_ => RuntimeCall::Referenda(pallet_referenda::Call::nudge_referendum { index }),
		})
	}

	fn set_track(&mut self) -> RuntimeCall {
		let records = pallet_referenda_admin::Pallet::<Runtime>::track_records();
		let record = self.bytes.pick(&records).expect("the runtime has tracks");
		let mut info = record.track.info.clone();
		let mut reputation = record.reputation;
		let v = self.bytes.u8();
		match self.bytes.u8() % 9 {
			0 => info.max_deciding = nudge(v, info.max_deciding, 1, 16),
			1 => info.decision_deposit = nudge(v, info.decision_deposit, 10 * UNIT, 10_000 * UNIT),
			2 => info.prepare_period = nudge(v, info.prepare_period, 1, 90 * DAYS),
			3 => info.decision_period = nudge(v, info.decision_period, info.confirm_period, 90 * DAYS),
			4 => info.confirm_period = nudge(v, info.confirm_period, 1, info.decision_period),
			5 => info.min_enactment_period = nudge(v, info.min_enactment_period, 1, 90 * DAYS),
			6 => reputation.min_approval = nudge_perbill(v, reputation.min_approval, Perbill::from_percent(90)),
			7 => reputation.min_support = nudge_perbill(v, reputation.min_support, Perbill::from_percent(50)),
			_ => info.min_support = pallet_referenda::Curve::LinearDecreasing {
				length: Perbill::from_percent(100),
				floor: Perbill::zero(),
				ceil: Perbill::from_percent([10, 50, 51, 100][v as usize % 4]),
			},
		}
		RuntimeCall::ReferendaAdmin(pallet_referenda_admin::Call::set_track {
			id: record.track.id,
			info,
			reputation,
		})
	}

	/// Whitelisting (the council's fast track) and dispatching whitelisted calls.
	fn whitelist_call(&mut self, depth: u8) -> RuntimeCall {
		use pallet_whitelist::Call as W;
		match self.bytes.u8() % 6 {
			0 | 1 if depth == 0 => {
				// A new call to whitelist (remembered, so it can be dispatched later).
				let call = self.gov_call(depth + 1);
				let hash = hash_of(&call);
				self.names.insert(hash.0, call_name(&call));
				self.whitelistable.push((hash, call));
				RuntimeCall::Whitelist(W::whitelist_call { call_hash: hash })
			},
			2 => {
				let hashes: Vec<H256> = self.whitelistable.iter().map(|w| w.0).collect();
				let call_hash = self.bytes.pick(&hashes).unwrap_or_else(|| H256::repeat_byte(self.bytes.u8()));
				RuntimeCall::Whitelist(W::remove_whitelisted_call { call_hash })
			},
			3 => {
				// By hash: the call must have been noted as a preimage.
				let whitelisted = self.whitelistable.clone();
				match self.bytes.pick(&whitelisted) {
					Some((call_hash, call)) => {
						let call_encoded_len = call.encoded_size() as u32;
						let call_weight_witness = call.get_dispatch_info().call_weight;
						RuntimeCall::Whitelist(W::dispatch_whitelisted_call { call_hash, call_encoded_len, call_weight_witness })
					},
					None => remark(2),
				}
			},
			_ => {
				let whitelisted = self.whitelistable.clone();
				let call = self.bytes.pick(&whitelisted).map(|w| w.1).unwrap_or_else(|| remark(1));
				RuntimeCall::Whitelist(W::dispatch_whitelisted_call_with_preimage { call: Box::new(call) })
			},
		}
	}

	/// `referenda.submit` by `who`: a governance call on the track of the origin it needs, inline
	/// or as a noted preimage.
	pub(crate) fn submit_referendum(&mut self, _who: u8) -> Option<RuntimeCall> {
		let (origin, proposal_call) = match self.bytes.u8() % 8 {
			0..=2 => (OriginCaller::system(frame_system::RawOrigin::Root), self.gov_call(0)),
			3..=5 => (OriginCaller::Origins(origins::Origin::GeneralAdmin), self.gov_call(0)),
			_ => {
				// The fast track dispatches a call the council whitelisted.
				let whitelisted = self.whitelistable.clone();
				let call = self.bytes.pick(&whitelisted).map(|w| w.1).unwrap_or_else(|| self.gov_call(1));
				(
					OriginCaller::Origins(origins::Origin::WhitelistedCaller),
					RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
						call: Box::new(call),
					}),
				)
			},
		};
		let encoded = proposal_call.encode();
		let noted: Vec<(H256, u32)> = self.preimages.iter().map(|p| (p.1, p.2)).collect();
		let proposal = match self.bytes.u8() % 4 {
			// A noted preimage (whatever it holds).
			0 if !noted.is_empty() => {
				let (hash, len) = self.bytes.pick(&noted)?;
				Bounded::Lookup { hash, len }
			},
			_ => match encoded.clone().try_into() {
				Ok(inline) => Bounded::Inline(inline),
				// Too long to inline: by hash (it needs a noted preimage to be enacted).
				Err(_) => Bounded::Lookup { hash: hash_of(&proposal_call), len: encoded.len() as u32 },
			},
		};
		let enactment_moment = match self.bytes.u8() % 4 {
			0 => DispatchTime::After(0),
			1 => DispatchTime::After(5),
			2 => DispatchTime::At(System::block_number() + 30),
			_ => DispatchTime::After(1),
		};
		// The enactment is scheduled under this name: remember what it dispatches.
		let index = pallet_referenda::ReferendumCount::<Runtime, ()>::get();
		let name = (*b"assembly", "enactment", index).using_encoded(sp_io::hashing::blake2_256);
		self.names.insert(name, call_name(&proposal_call));
		Some(RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal_origin: Box::new(origin),
			proposal,
			enactment_moment,
		}))
	}
}

/// `system.remark`: a harmless call any origin may make (`remarkWithEvent` needs a signed one).
fn remark(byte: u8) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![byte; 1 + byte as usize % 8] })
}
