//! Runtime-level tests: the pallets as configured here, on the development genesis.

use crate::{
	configs::{PreimageBaseDeposit, PreimageByteDeposit, RuntimeBlockLength, RuntimeBlockWeights},
	currency::{EXISTENTIAL_DEPOSIT, MICRO_UNIT, UNIT},
	genesis_config_presets::ENDOWMENT,
	Balances, Preimage, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	RuntimeOrigin, System, TransactionPayment,
};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::fungible::InspectHold,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::Hash as _;

use crate::test_utils::{acc as account, dev_externalities};

#[test]
fn metadata_v16_is_offered() {
	let versions = Runtime::metadata_versions();
	assert!(versions.contains(&16), "offered metadata versions: {versions:?}");
	// Metadata reads the referendum tracks from storage (they are governance-set), so it is
	// built inside externalities, as the node does.
	sp_io::TestExternalities::default()
		.execute_with(|| assert!(Runtime::metadata_at_version(16).is_some()));
}

#[test]
fn normal_transactions_leave_a_quarter_of_the_block_for_operational_ones() {
	let length = RuntimeBlockLength::get();
	assert_eq!(*length.max.get(DispatchClass::Operational), 5 * 1024 * 1024);
	assert_eq!(*length.max.get(DispatchClass::Normal), 5 * 1024 * 1024 * 3 / 4);
	// Weight: 2 s of compute per block; normal transactions may fill 1.5 s of it, operational
	// ones the whole block, and 0.5 s is reserved for operational ones even in a full block.
	let weights = RuntimeBlockWeights::get();
	let second = frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND;
	assert_eq!(weights.max_block.ref_time(), 2 * second);
	let normal = weights.get(DispatchClass::Normal);
	let operational = weights.get(DispatchClass::Operational);
	assert_eq!(normal.max_total.map(|w| w.ref_time()), Some(3 * second / 2));
	assert_eq!(normal.reserved, Some(frame_support::weights::Weight::zero()));
	assert_eq!(operational.max_total.map(|w| w.ref_time()), Some(2 * second));
	assert_eq!(operational.reserved.map(|w| w.ref_time()), Some(second / 2));
	// The largest single normal extrinsic also leaves room for the average block's hooks (10 %).
	assert_eq!(
		normal.max_extrinsic.map(|w| w.ref_time()),
		Some(3 * second / 2 - second / 5 - normal.base_extrinsic.ref_time())
	);
}

#[test]
fn development_genesis_endows_every_dev_account_and_sets_alice_as_sudo() {
	dev_externalities().execute_with(|| {
		for k in Sr25519Keyring::iter() {
			// Alice, the validator, has her validator bond held.
			let bond = if k == Sr25519Keyring::Alice { 1_000 * UNIT } else { 0 };
			assert_eq!(Balances::free_balance(account(k)), ENDOWMENT - bond);
			assert_eq!(<Balances as frame_support::traits::fungible::Inspect<_>>::total_balance(&account(k)), ENDOWMENT);
		}
		// The endowments, plus one existential deposit keeping the contribution reward pot alive.
		assert_eq!(
			Balances::total_issuance(),
			ENDOWMENT * Sr25519Keyring::iter().count() as u128 + crate::currency::EXISTENTIAL_DEPOSIT
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Sr25519Keyring::Alice)));
	});
}

#[test]
fn transfer_fee_charges_one_micro_token_per_byte_plus_weight() {
	dev_externalities().execute_with(|| {
		let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account(Sr25519Keyring::Bob).into(),
			value: UNIT,
		});
		let info = call.get_dispatch_info();
		let len = 140u32;
		let fee = TransactionPayment::compute_fee(len, &info, 0);
		let fee_for_100_more_bytes = TransactionPayment::compute_fee(len + 100, &info, 0);
		assert_eq!(fee_for_100_more_bytes - fee, 100 * MICRO_UNIT);
		// The fee is a small fraction of a token but not dust.
		assert!(fee > EXISTENTIAL_DEPOSIT / 10 && fee < UNIT / 100, "fee {fee}");
	});
}

#[test]
fn noting_a_preimage_holds_a_deposit_until_it_is_unnoted() {
	dev_externalities().execute_with(|| {
		let who = account(Sr25519Keyring::Charlie);
		let preimage = vec![7u8; 1000];
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&preimage);
		let expected_deposit = PreimageBaseDeposit::get() + 1000 * PreimageByteDeposit::get();
		let reason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);

		let issuance = Balances::total_issuance();
		Preimage::note_preimage(RuntimeOrigin::signed(who.clone()), preimage).unwrap();
		assert_eq!(Balances::balance_on_hold(&reason, &who), expected_deposit);
		assert_eq!(Balances::free_balance(&who), ENDOWMENT - expected_deposit);
		System::assert_has_event(RuntimeEvent::Preimage(pallet_preimage::Event::Noted { hash }));

		Preimage::unnote_preimage(RuntimeOrigin::signed(who.clone()), hash).unwrap();
		assert_eq!(Balances::balance_on_hold(&reason, &who), 0);
		assert_eq!(Balances::free_balance(&who), ENDOWMENT);
		assert_eq!(Balances::total_issuance(), issuance, "no deposit was lost or minted");
	});
}

/// A block's normal-class room in transfers, from the weights a `transfer_keep_alive` is charged:
/// its call, its transaction extensions and the extrinsic base weight, all measured on the
/// project's machine. With FRAME's reference weights a transfer was charged ≈ 596 µs and a block
/// took 2,132 (measured with `scripts/load.sh`); the machine executes one in ≈ 0.2 ms.
#[test]
fn a_block_holds_more_than_2_700_transfers_by_weight() {
	use sp_runtime::{generic::Era, traits::TransactionExtension};
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(Sr25519Keyring::Bob).into(),
		value: UNIT,
	});
	// Mortal, as polkadot.js signs by default (the load benchmark signs immortal: 3 reads, not 4).
	let extensions = crate::tx_extension(0, Era::mortal(64, 1), 0);
	let block = crate::configs::RuntimeBlockWeights::get();
	let normal = block.get(DispatchClass::Normal);
	let per_transfer =
		call.get_dispatch_info().call_weight + extensions.weight(&call) + normal.base_extrinsic;
	let room = normal.max_total.expect("normal transactions have a limit");
	let transfers = room.ref_time() / per_transfer.ref_time();
	println!(
		"transfer_keep_alive charged {} µs (call {} + extensions {} + base {}): {transfers} per block",
		per_transfer.ref_time() / 1_000_000,
		call.get_dispatch_info().call_weight.ref_time() / 1_000_000,
		extensions.weight(&call).ref_time() / 1_000_000,
		normal.base_extrinsic.ref_time() / 1_000_000,
	);
	assert!(transfers > 2_700, "{transfers} transfers per block");
	// The base weights are this machine's, not FRAME's 5 ms block / 108 µs extrinsic defaults.
	assert!(block.base_block.ref_time() < 1_000_000_000, "base block {:?}", block.base_block);
}

/// `CheckMortality` reads the birth block's hash for a mortal transaction; its benchmark
/// whitelists that key, so the runtime adds the read (and its proof) to the measured weight.
#[test]
fn a_mortal_transaction_pays_for_reading_its_birth_block_hash() {
	use frame_system::ExtensionsWeightInfo as _;
	use sp_runtime::{generic::Era, traits::TransactionExtension};
	let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let immortal = crate::tx_extension(0, Era::Immortal, 0).weight(&call);
	let mortal = crate::tx_extension(0, Era::mortal(64, 1), 0).weight(&call);
	let read = <Runtime as frame_system::Config>::DbWeight::get().reads(1);
	let extra = mortal.saturating_sub(immortal);
	assert!(extra.ref_time() >= read.ref_time(), "mortal pays {extra:?} more than immortal, not a read {read:?}");
	let generated = crate::weights::frame_system_extensions::WeightInfo::<Runtime>::check_mortality_mortal_transaction()
		.saturating_sub(crate::weights::frame_system_extensions::WeightInfo::<Runtime>::check_mortality_immortal_transaction());
	assert_eq!(
		extra,
		generated.saturating_add(read).saturating_add(frame_support::weights::Weight::from_parts(0, 3_509)),
		"mortal pays the measured difference, one read and the BlockHash entry's proof (3,509 bytes)"
	);
}
