//! Offences the chain proves by itself, end to end on the `local_testnet` genesis (Alice, Bob,
//! Charlie and Dave validate; `min_validators` 4; 10% of a 1,000 PRSP bond burnt per offence).
//!
//! Blocks are produced the way a BABE node's blocks are executed: a header with a BABE pre-digest
//! naming the slot's author, the slot's timestamp, and every pallet's hooks through `Executive`,
//! so sessions end with BABE's epochs (10 slots). A report is the unsigned
//! `reportEquivocationUnsigned` call a node submits when it sees a validator author two blocks in
//! one slot (BABE) or cast two prevotes in one round (GRANDPA), with the offender's
//! key-ownership proof from pallet-session's historical module. Bob is the offender throughout;
//! Alice, Charlie and Dave author the blocks (BABE refuses blocks by a disabled validator).
//!
//! The block and session helpers are `pub(super)` so that the other validator tests can use them.

use crate::{
	currency::UNIT,
	test_utils::{acc, externalities, free, signed},
	time::{DAYS, EPOCH_DURATION_IN_SLOTS, MILLI_SECS_PER_BLOCK},
	validators::{MinUnbondingPeriod, SessionKeyDeposit},
	AccountId, Authorship, Babe, Balance, Balances, BlockNumber, Executive, Grandpa, Hash, Header,
	Historical, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Session, SessionKeys, System,
	Timestamp, ValidatorSet,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, KeyOwnerProofSystem},
};
use pallet_validator_set::{Error, OperatorStatus, Params, SessionIndex};
use sp_consensus_babe::{
	digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
	AuthorityIndex, Slot,
};
use sp_consensus_grandpa::RoundNumber;
use sp_keyring::{
	Ed25519Keyring,
	Sr25519Keyring::{self, *},
};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	traits::{Dispatchable, Header as _},
	Digest, DigestItem, DispatchResult, KeyTypeId, Perbill,
};
use sp_session::MembershipProof;

type ValidatorSetEvent = pallet_validator_set::Event<Runtime>;
type BabeError = pallet_babe::Error<Runtime>;
type GrandpaError = pallet_grandpa::Error<Runtime>;
type BabeEquivocationProof = sp_consensus_babe::EquivocationProof<Header>;
type GrandpaEquivocationProof = sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>;

/// Every genesis validator's bond.
const BOND: Balance = 1_000 * UNIT;
/// What one offence burns of a full bond: `offence_slash` (10%) of 1,000 PRSP.
const OFFENCE_SLASH: Balance = 100 * UNIT;
/// The validators that author the blocks: they never misbehave in these tests.
const HONEST_AUTHORS: [Sr25519Keyring; 3] = [Alice, Charlie, Dave];

// ---------------------------------------------------------------------------------------------
// Blocks and sessions
// ---------------------------------------------------------------------------------------------

/// Runs `test` on the `local_testnet` genesis inside its first block (block 2, which starts
/// BABE's epoch 0), then checks the validator set's invariants.
pub(super) fn execute(test: impl FnOnce()) {
	let mut ext = externalities(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET);
	// Session keys are generated in a keystore, as `author_rotateKeysWithOwner` does on a node.
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| {
		next_block();
		test();
		ValidatorSet::do_try_state().expect("validator-set invariants");
	});
}

/// Finishes the open block (if any) and opens the next one, one slot later: its header carries
/// a BABE secondary-slot pre-digest by an honest, enabled authority, and its timestamp is the
/// slot's. The test then runs inside the new block, after every pallet's `on_initialize`.
pub(super) fn next_block() {
	let parent_hash = if pallet_babe::Initialized::<Runtime>::exists() {
		Executive::finalize_block().hash()
	} else {
		System::parent_hash()
	};
	let slot = Babe::current_slot() + 1;
	let header = Header::new(
		System::block_number() + 1,
		Default::default(),
		Default::default(),
		parent_hash,
		Digest { logs: vec![babe_pre_digest(author_index(slot), slot)] },
	);
	let _ = Executive::initialize_block(&header);
	assert_ok!(Timestamp::set(RuntimeOrigin::none(), *slot * Babe::slot_duration()));
	assert!(
		Babe::authorities().len() as u32 >= Params::<Runtime>::get().min_validators,
		"BABE's authority set fell below min_validators"
	);
}

pub(super) fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		next_block();
	}
}

/// Produces blocks until the first block of session `index` is open.
pub(super) fn run_to_session(index: SessionIndex) {
	while Session::current_index() < index {
		next_block();
	}
}

pub(super) fn next_session() {
	run_to_session(Session::current_index() + 1);
}

/// The slot's author: the honest validators take turns, skipping any disabled one. The index is
/// the authority's position in BABE's (= pallet-session's) validator list.
fn author_index(slot: Slot) -> AuthorityIndex {
	let disabled = Session::disabled_validators();
	let authors: Vec<AuthorityIndex> = Session::validators()
		.iter()
		.enumerate()
		.map(|(index, validator)| (index as AuthorityIndex, validator))
		.filter(|(index, validator)| {
			!disabled.contains(index) &&
				HONEST_AUTHORS.iter().any(|honest| acc(*honest) == **validator)
		})
		.map(|(index, _)| index)
		.collect();
	assert!(!authors.is_empty(), "no honest, enabled validator to author the block");
	authors[(*slot % authors.len() as u64) as usize]
}

fn babe_pre_digest(authority_index: AuthorityIndex, slot: Slot) -> DigestItem {
	DigestItem::babe_pre_digest(PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index,
		slot,
	}))
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

/// What an operator does on its node and in polkadot.js: generate keys bound to its account,
/// then `session.setKeys(keys, proof)`.
pub(super) fn register_new_keys(who: Sr25519Keyring) -> SessionKeys {
	let generated = SessionKeys::generate(&acc(who).encode(), None);
	assert_ok!(Session::set_keys(signed(who), generated.keys.clone(), generated.proof.encode()));
	generated.keys
}

/// `who` registers keys, applies with the minimum bond, governance (root) approves it, and it
/// validates two sessions later (the function returns in that session's first block).
pub(super) fn add_validator(who: Sr25519Keyring) {
	register_new_keys(who);
	assert_ok!(ValidatorSet::apply(signed(who), BOND));
	assert_ok!(ValidatorSet::approve(RuntimeOrigin::root(), acc(who).into()));
	run_to_session(Session::current_index() + 2);
	assert!(
		Session::validators().contains(&acc(who)),
		"{who:?} validates two sessions after approval"
	);
}

/// The bond held from `who`.
fn bond(who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&pallet_validator_set::HoldReason::ValidatorBond.into(), &acc(who))
}

/// The session-key deposit held from `who`.
fn key_deposit(who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&pallet_session::HoldReason::Keys.into(), &acc(who))
}

fn withdrawable_at(who: Sr25519Keyring) -> BlockNumber {
	match ValidatorSet::operator(&acc(who)).expect("an operator").status {
		OperatorStatus::Unbonding { withdrawable_at } => withdrawable_at,
		status => panic!("{who:?} is not unbonding: {status:?}"),
	}
}

/// `who`'s index in the current session's validators (the index pallet-session disables).
fn session_position(who: Sr25519Keyring) -> u32 {
	Session::validators()
		.iter()
		.position(|validator| *validator == acc(who))
		.expect("in the session set") as u32
}

/// The `OffenceSlashed` events of the open block: (offender, session, amount burnt).
fn slashes_in_block() -> Vec<(AccountId, SessionIndex, Balance)> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ValidatorSet(ValidatorSetEvent::OffenceSlashed {
				who,
				session,
				slashed,
			}) => Some((who, session, slashed)),
			_ => None,
		})
		.collect()
}

/// Dispatches `call` signed by `who` through the runtime's call filter.
fn dispatch(call: RuntimeCall, who: Sr25519Keyring) -> DispatchResult {
	call.dispatch(signed(who)).map(|_| ()).map_err(|e| e.error)
}

// ---------------------------------------------------------------------------------------------
// Equivocations and their reports
// ---------------------------------------------------------------------------------------------

/// An equivocation report as a node submits it: the proof and the offender's key-ownership proof.
#[derive(Clone)]
enum Report {
	/// Two blocks in one BABE slot.
	Babe(BabeEquivocationProof, MembershipProof),
	/// Two prevotes in one GRANDPA round.
	Grandpa(GrandpaEquivocationProof, MembershipProof),
}

impl Report {
	/// `babe.reportEquivocationUnsigned` / `grandpa.reportEquivocationUnsigned`.
	fn submit(self) -> DispatchResult {
		let result = match self {
			Report::Babe(proof, key_owner_proof) => Babe::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(proof),
				key_owner_proof,
			),
			Report::Grandpa(proof, key_owner_proof) => Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(proof),
				key_owner_proof,
			),
		};
		result.map(|_| ()).map_err(|e| e.error)
	}

	/// The `offences.Offence` event an accepted report yields.
	fn offence_event(&self) -> RuntimeEvent {
		let (kind, slot) = match self {
			Report::Babe(proof, _) => (*b"babe:equivocatio", proof.slot.encode()),
			Report::Grandpa(proof, _) => (
				*b"grandpa:equivoca",
				pallet_grandpa::TimeSlot { set_id: proof.set_id(), round: proof.round() }.encode(),
			),
		};
		pallet_offences::Event::Offence { kind, slot }.into()
	}
}

fn babe_key(who: Sr25519Keyring) -> sp_consensus_babe::AuthorityId {
	who.public().into()
}

/// The genesis validators' GRANDPA keys are the ed25519 keys of the same name.
fn ed25519(who: Sr25519Keyring) -> Ed25519Keyring {
	<&'static str>::from(who)
		.parse()
		.unwrap_or_else(|_| panic!("{who:?} has an ed25519 keyring twin"))
}

fn grandpa_key(who: Sr25519Keyring) -> sp_consensus_grandpa::AuthorityId {
	ed25519(who).public().into()
}

/// What a node asks its runtime for: proof that `key` belongs to a validator of the current
/// session.
fn key_owner_proof(key_type: KeyTypeId, key: impl AsRef<[u8]>) -> MembershipProof {
	Historical::prove((key_type, key)).expect("the key belongs to a current validator")
}

/// Two different headers at the current height and slot, both naming `offender` as the slot's
/// author and sealed by `signer`'s BABE key: an equivocation by `offender` when it sealed them.
fn babe_headers_sealed_by(
	offender: Sr25519Keyring,
	signer: Sr25519Keyring,
) -> BabeEquivocationProof {
	let slot = Babe::current_slot();
	let authority_index = Babe::authorities()
		.iter()
		.position(|(authority, _)| *authority == babe_key(offender))
		.expect("the offender is a BABE authority") as AuthorityIndex;
	let pre_digest = babe_pre_digest(authority_index, slot);
	let block = |contents: u8| {
		let mut header = Header::new(
			System::block_number(),
			Hash::repeat_byte(contents),
			Hash::repeat_byte(contents),
			System::parent_hash(),
			Digest { logs: vec![pre_digest.clone()] },
		);
		let seal = signer.sign(header.hash().as_ref());
		header.digest_mut().push(DigestItem::babe_seal(seal.into()));
		header
	};
	BabeEquivocationProof {
		slot,
		offender: babe_key(offender),
		first_header: block(1),
		second_header: block(2),
	}
}

/// `offender` authored two blocks in the current slot.
fn babe_equivocation(offender: Sr25519Keyring) -> Report {
	Report::Babe(
		babe_headers_sealed_by(offender, offender),
		key_owner_proof(sp_consensus_babe::KEY_TYPE, babe_key(offender)),
	)
}

/// Two prevotes by `offender` in `round` of the current GRANDPA set, for `targets`.
fn grandpa_prevotes(
	offender: Sr25519Keyring,
	round: RoundNumber,
	targets: [Hash; 2],
) -> GrandpaEquivocationProof {
	let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
	let voter = ed25519(offender);
	let target_number = System::block_number() - 1;
	let signed_prevote = |target_hash: Hash| {
		let prevote = finality_grandpa::Prevote { target_hash, target_number };
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		let signature: sp_consensus_grandpa::AuthoritySignature = voter.sign(&payload).into();
		(prevote, signature)
	};
	GrandpaEquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: grandpa_key(offender),
			first: signed_prevote(targets[0]),
			second: signed_prevote(targets[1]),
		}),
	)
}

/// `offender` prevoted for two different blocks in `round`.
fn grandpa_equivocation(offender: Sr25519Keyring, round: RoundNumber) -> Report {
	Report::Grandpa(
		grandpa_prevotes(offender, round, [Hash::repeat_byte(1), Hash::repeat_byte(2)]),
		key_owner_proof(sp_consensus_grandpa::KEY_TYPE, grandpa_key(offender)),
	)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn sessions_follow_babe_epochs_and_stay_provable() {
	execute(|| {
		let genesis_slot = Babe::genesis_slot();
		let genesis_validators = Session::validators();
		for session in 1..=3 {
			next_session();
			assert_eq!(Babe::epoch_index(), session as u64);
			assert_eq!(
				Babe::current_slot(),
				genesis_slot + session as u64 * EPOCH_DURATION_IN_SLOTS,
				"a session is one epoch of {EPOCH_DURATION_IN_SLOTS} slots"
			);
			assert_eq!(pallet_validator_set::CurrentSession::<Runtime>::get(), session);
			assert_eq!(Session::validators(), genesis_validators);
			assert_eq!(Babe::authorities().len(), 4);
			assert_eq!(Grandpa::grandpa_authorities().len(), 4);
			assert!(
				pallet_session::historical::HistoricalSessions::<Runtime>::get(session).is_some(),
				"offences in session {session} can be proven later"
			);
			assert!(Authorship::author().is_some_and(|author| genesis_validators.contains(&author)));
		}
		assert_eq!(
			pallet_timestamp::Now::<Runtime>::get(),
			*Babe::current_slot() * MILLI_SECS_PER_BLOCK,
			"one block every 6 seconds"
		);
	});
}

/// Bob equivocates (as `equivocation` builds it) in a set of four, the minimum: 10% of its bond
/// is burnt, it is disabled at once and for the following sessions, and stays in the set.
fn an_equivocation_slashes_and_disables_the_offender(equivocation: fn(Sr25519Keyring) -> Report) {
	execute(|| {
		run_to_session(3);
		let bob = acc(Bob);
		let session = Session::current_index();
		let report = equivocation(Bob);
		let issuance = Balances::total_issuance();
		let honest_bonds = HONEST_AUTHORS.map(bond);

		assert_ok!(report.clone().submit());

		System::assert_has_event(report.offence_event());
		System::assert_has_event(
			ValidatorSetEvent::OffenceSlashed { who: bob.clone(), session, slashed: OFFENCE_SLASH }
				.into(),
		);
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH);
		assert_eq!(Balances::total_issuance(), issuance - OFFENCE_SLASH, "the slash is burnt");
		assert_eq!(HONEST_AUTHORS.map(bond), honest_bonds, "nobody else pays");
		let operator = ValidatorSet::operator(&bob).expect("Bob is still an operator");
		assert_eq!(operator.bond, BOND - OFFENCE_SLASH);
		assert_eq!(operator.last_offence, Some(session));

		// Disabled at once: its blocks are refused for the rest of the session.
		System::assert_has_event(
			pallet_session::Event::<Runtime>::ValidatorDisabled { validator: bob.clone() }.into(),
		);
		assert_eq!(Session::disabled_validators(), vec![session_position(Bob)]);

		// Removing Bob would leave three validators: it stays, and governance must decide.
		System::assert_has_event(ValidatorSetEvent::OffenderKept { who: bob.clone() }.into());
		assert_eq!(operator.status, OperatorStatus::Validating);
		assert!(ValidatorSet::approved_validators().contains(&bob));

		// Still disabled in the next sessions while it is in the set; the other three author.
		run_to_session(session + 2);
		assert_eq!(Session::validators().len(), 4);
		assert_eq!(Session::disabled_validators(), vec![session_position(Bob)]);
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH, "one offence, one slash");
	});
}

#[test]
fn a_valid_babe_equivocation_report_slashes_and_disables_the_offender() {
	an_equivocation_slashes_and_disables_the_offender(babe_equivocation);
}

#[test]
fn a_valid_grandpa_equivocation_report_slashes_and_disables_the_offender() {
	an_equivocation_slashes_and_disables_the_offender(|who| grandpa_equivocation(who, 1));
}

#[test]
fn invalid_equivocation_reports_are_refused() {
	execute(|| {
		run_to_session(2);
		let bob_babe_owner = key_owner_proof(sp_consensus_babe::KEY_TYPE, babe_key(Bob));
		let charlie_babe_owner = key_owner_proof(sp_consensus_babe::KEY_TYPE, babe_key(Charlie));
		let bob_grandpa_owner = key_owner_proof(sp_consensus_grandpa::KEY_TYPE, grandpa_key(Bob));
		let charlie_grandpa_owner =
			key_owner_proof(sp_consensus_grandpa::KEY_TYPE, grandpa_key(Charlie));

		// The same header twice is one block, not two.
		let mut one_block = babe_headers_sealed_by(Bob, Bob);
		one_block.second_header = one_block.first_header.clone();
		assert_noop!(
			Report::Babe(one_block, bob_babe_owner.clone()).submit(),
			BabeError::InvalidEquivocationProof
		);
		// Headers Charlie sealed prove nothing against Bob.
		assert_noop!(
			Report::Babe(babe_headers_sealed_by(Bob, Charlie), bob_babe_owner).submit(),
			BabeError::InvalidEquivocationProof
		);
		// Charlie's key-ownership proof does not make Bob's key Charlie's.
		let wrong_owner = Report::Babe(babe_headers_sealed_by(Bob, Bob), charlie_babe_owner);
		assert_noop!(wrong_owner.clone().submit(), BabeError::InvalidKeyOwnershipProof);

		// GRANDPA: the same prevote twice is no equivocation; Charlie's proof is not Bob's.
		let target = Hash::repeat_byte(1);
		assert_noop!(
			Report::Grandpa(grandpa_prevotes(Bob, 1, [target, target]), bob_grandpa_owner).submit(),
			GrandpaError::InvalidEquivocationProof
		);
		let votes = grandpa_prevotes(Bob, 1, [Hash::repeat_byte(1), Hash::repeat_byte(2)]);
		assert_noop!(
			Report::Grandpa(votes, charlie_grandpa_owner).submit(),
			GrandpaError::InvalidKeyOwnershipProof
		);

		// Checked against the stored root of the session once it is over, too.
		next_session();
		assert_noop!(wrong_owner.submit(), BabeError::InvalidKeyOwnershipProof);

		assert_eq!(bond(Bob), BOND);
		assert_eq!(ValidatorSet::operator(&acc(Bob)).unwrap().last_offence, None);
		assert!(Session::disabled_validators().is_empty());
	});
}

#[test]
fn a_report_counts_once_and_an_offender_is_slashed_once_per_session() {
	execute(|| {
		run_to_session(2);
		let bob = acc(Bob);
		let session = Session::current_index();

		let blocks = babe_equivocation(Bob);
		assert_ok!(blocks.clone().submit());
		assert_noop!(blocks.submit(), BabeError::DuplicateOffenceReport);
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH);

		// The same node also equivocates in GRANDPA in this session: the offence is recorded,
		// but the bond is not slashed twice for one session.
		let votes = grandpa_equivocation(Bob, 1);
		assert_ok!(votes.clone().submit());
		System::assert_has_event(votes.offence_event());
		assert_noop!(votes.submit(), GrandpaError::DuplicateOffenceReport);
		assert_eq!(slashes_in_block(), vec![(bob.clone(), session, OFFENCE_SLASH)]);
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH);

		// A new offence in a later session is slashed again: 10% of the 900 PRSP left.
		next_session();
		assert_ok!(babe_equivocation(Bob).submit());
		assert_eq!(slashes_in_block(), vec![(bob, session + 1, 90 * UNIT)]);
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH - 90 * UNIT);
	});
}

#[test]
fn an_offender_is_removed_when_the_set_can_spare_it() {
	execute(|| {
		add_validator(Eve);
		assert_eq!(Session::validators().len(), 5);
		let bob = acc(Bob);
		let session = Session::current_index();

		assert_ok!(babe_equivocation(Bob).submit());

		assert_eq!(slashes_in_block(), vec![(bob.clone(), session, OFFENCE_SLASH)]);
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::ValidatorSet(ValidatorSetEvent::OffenderRemoved { who, inactive_from, .. })
				if *who == bob && *inactive_from == session + 2
		)));
		assert!(!pallet_validator_set::Validators::<Runtime>::get().contains(&bob));
		assert!(matches!(
			ValidatorSet::operator(&bob).unwrap().status,
			OperatorStatus::Unbonding { .. }
		));
		assert_eq!(bond(Bob), BOND - OFFENCE_SLASH, "the rest of the bond unbonds");

		// Bob stays in the session set for one more session, disabled, then is gone.
		next_session();
		assert!(Session::validators().contains(&bob));
		assert_eq!(Session::disabled_validators(), vec![session_position(Bob)]);
		next_session();
		assert!(!Session::validators().contains(&bob));
		assert!(Session::disabled_validators().is_empty());
		assert_eq!(Babe::authorities().len(), 4);
		assert!(!Babe::authorities().iter().any(|(authority, _)| *authority == babe_key(Bob)));
	});
}

#[test]
fn an_unbonding_validator_is_still_slashed_for_what_it_did_while_validating() {
	execute(|| {
		add_validator(Eve);
		let bob = acc(Bob);
		// Bob equivocates while validating; the report reaches the chain two sessions later.
		let offence_session = Session::current_index();
		let late_report = babe_equivocation(Bob);

		assert_ok!(ValidatorSet::resign(signed(Bob)));
		let withdrawable_at = withdrawable_at(Bob);
		System::assert_has_event(
			ValidatorSetEvent::Resigned {
				who: bob.clone(),
				inactive_from: offence_session + 2,
				withdrawable_at,
			}
			.into(),
		);
		assert!(withdrawable_at >= System::block_number() + 28 * DAYS, "local_testnet: 28 days");
		assert_noop!(ValidatorSet::withdraw_bond(signed(Bob)), Error::<Runtime>::StillUnbonding);

		// Governance burns 20% of the unbonding bond; the set stays as it is.
		let validators = pallet_validator_set::Validators::<Runtime>::get();
		let issuance = Balances::total_issuance();
		assert_ok!(ValidatorSet::remove(
			RuntimeOrigin::root(),
			bob.clone().into(),
			Perbill::from_percent(20)
		));
		System::assert_has_event(
			ValidatorSetEvent::BondSlashed { who: bob.clone(), amount: 200 * UNIT }.into(),
		);
		assert_eq!(bond(Bob), 800 * UNIT);
		assert_eq!(Balances::total_issuance(), issuance - 200 * UNIT);
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get(), validators);

		// Bob has left the session set when the report arrives: 10% of the 800 PRSP left.
		run_to_session(offence_session + 2);
		assert!(!Session::validators().contains(&bob));
		assert_ok!(late_report.clone().submit());
		System::assert_has_event(late_report.offence_event());
		assert_eq!(slashes_in_block(), vec![(bob.clone(), offence_session, 80 * UNIT)]);
		assert_eq!(bond(Bob), 720 * UNIT);
		assert!(Session::disabled_validators().is_empty());
		// The report came within the validator's last two sessions: its bond was already held
		// for a full unbonding period after it, so the unbonding is not extended.
		assert!(System::block_number() + Params::<Runtime>::get().unbonding_period <= withdrawable_at);
		assert_eq!(
			ValidatorSet::operator(&bob).unwrap().status,
			OperatorStatus::Unbonding { withdrawable_at },
		);
		assert_noop!(ValidatorSet::withdraw_bond(signed(Bob)), Error::<Runtime>::StillUnbonding);
	});
}

#[test]
fn a_departed_validator_withdraws_its_bond_once_the_unbonding_period_is_over() {
	execute(|| {
		let mut params = Params::<Runtime>::get();
		params.unbonding_period = MinUnbondingPeriod::get();
		assert_ok!(ValidatorSet::set_params(RuntimeOrigin::root(), params));
		add_validator(Eve);
		let bob = acc(Bob);

		assert_ok!(ValidatorSet::resign(signed(Bob)));
		let withdrawable_at = withdrawable_at(Bob);
		run_to_block(withdrawable_at - 1);
		assert_noop!(ValidatorSet::withdraw_bond(signed(Bob)), Error::<Runtime>::StillUnbonding);

		next_block();
		let free_before = free(Bob);
		assert_ok!(ValidatorSet::withdraw_bond(signed(Bob)));
		System::assert_has_event(
			ValidatorSetEvent::BondWithdrawn { who: bob.clone(), amount: BOND }.into(),
		);
		assert_eq!(free(Bob), free_before + BOND);
		assert_eq!(bond(Bob), 0);
		assert!(ValidatorSet::operator(&bob).is_none());
	});
}

#[test]
fn session_keys_are_purged_only_through_the_validator_set() {
	execute(|| {
		// pallet-session's own call would take an authority out of BABE and GRANDPA while it
		// stays in the validator set.
		assert_noop!(
			dispatch(RuntimeCall::Session(pallet_session::Call::purge_keys {}), Bob),
			frame_system::Error::<Runtime>::CallFiltered
		);
		assert_noop!(ValidatorSet::purge_keys(signed(Bob)), Error::<Runtime>::OperatorHasKeysInUse);
		// An applicant's keys are about to be used too.
		register_new_keys(Eve);
		assert_ok!(ValidatorSet::apply(signed(Eve), BOND));
		assert_noop!(ValidatorSet::purge_keys(signed(Eve)), Error::<Runtime>::OperatorHasKeysInUse);

		let session = Session::current_index();
		run_to_session(session + 2);
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(acc(Bob)));
		assert_eq!(Babe::authorities().len(), 4);
		assert_eq!(Grandpa::grandpa_authorities().len(), 4);

		// Ferdie set keys but never applied: it may purge them and gets the deposit back.
		let ferdie = acc(Ferdie);
		let free_before = free(Ferdie);
		register_new_keys(Ferdie);
		assert_eq!(key_deposit(Ferdie), SessionKeyDeposit::get());
		assert_eq!(free(Ferdie), free_before - SessionKeyDeposit::get());
		assert_ok!(ValidatorSet::purge_keys(signed(Ferdie)));
		System::assert_has_event(ValidatorSetEvent::KeysPurged { who: ferdie.clone() }.into());
		assert_eq!(key_deposit(Ferdie), 0);
		assert_eq!(free(Ferdie), free_before);
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(ferdie));
	});
}

#[test]
fn a_resigned_validator_purges_its_keys_once_it_left_the_session_set() {
	execute(|| {
		add_validator(Eve);
		let bob = acc(Bob);
		assert_ok!(ValidatorSet::resign(signed(Bob)));
		let resigned_in = Session::current_index();

		// Bob authors and votes in this session and is queued for the next one.
		assert_noop!(ValidatorSet::purge_keys(signed(Bob)), Error::<Runtime>::StillInSessionSet);
		next_session();
		assert!(Session::validators().contains(&bob));
		assert_noop!(ValidatorSet::purge_keys(signed(Bob)), Error::<Runtime>::StillInSessionSet);

		run_to_session(resigned_in + 2);
		assert!(!Session::validators().contains(&bob));
		assert_ok!(ValidatorSet::purge_keys(signed(Bob)));
		System::assert_has_event(ValidatorSetEvent::KeysPurged { who: bob.clone() }.into());
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(&bob));
		assert_eq!(Babe::authorities().len(), 4);
		assert_eq!(bond(Bob), BOND, "the bond keeps unbonding");
	});
}

#[test]
fn the_signed_report_calls_are_filtered_out() {
	execute(|| {
		// Valid reports pay no fee: signed ones would let a validator spam its own made-up
		// equivocations for free; the nodes report through the unsigned calls.
		let issuance = Balances::total_issuance();
		let Report::Babe(proof, key_owner_proof) = babe_equivocation(Bob) else { unreachable!() };
		let babe = RuntimeCall::Babe(pallet_babe::Call::report_equivocation {
			equivocation_proof: Box::new(proof.clone()),
			key_owner_proof: key_owner_proof.clone(),
		});
		assert_eq!(dispatch(babe, Alice), Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		let Report::Grandpa(proof, key_owner_proof) = grandpa_equivocation(Bob, 1) else {
			unreachable!()
		};
		let grandpa = RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation {
			equivocation_proof: Box::new(proof),
			key_owner_proof,
		});
		assert_eq!(dispatch(grandpa, Alice), Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		assert_eq!(Balances::total_issuance(), issuance, "nothing was slashed");
		// The same evidence through the unsigned call is accepted.
		assert_ok!(babe_equivocation(Bob).submit());
	});
}
