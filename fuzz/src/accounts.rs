//! The fuzz accounts and their keys, and signed extrinsics built and signed exactly as a wallet
//! would (the runtime's `TxExtension`, an immortal era, the account's current nonce, no tip).
//!
//! | index | account | genesis |
//! |---|---|---|
//! | 0–5 | Alice, Bob, Charlie, Dave, Eve, Ferdie (`sp_keyring`) | what the development preset gives them: 1,000,000 PRSP each; reputation 1M (Alice, Bob, Charlie), 250k (Dave, Eve), 10k (Ferdie); Alice, Bob and Charlie are the council, Alice the only validator and the sudo key |
//! | 6–29 | `//fuzz//{i}` (sr25519) | [`RICH`] (1,000,000 PRSP) |
//! | 30 | `//fuzz//30` | [`POOR_BALANCE`]: 10 × the existential deposit (a few fees) |
//! | 31 | `//fuzz//31` | [`MID_BALANCE`]: 300 PRSP (evaluator and candidacy bonds, not a validator bond) |
//!
//! Accounts 24–31 form the ghost coalition of the ghost profile (see [`crate::ghost`]).

use codec::Encode;
use perspective_runtime::{
	currency::{EXISTENTIAL_DEPOSIT, UNIT},
	AccountId, Balance, RuntimeCall, SignedPayload, System, TxExtension, UncheckedExtrinsic,
};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, transaction_validity::TransactionValidityError, MultiAddress, MultiSignature};
use std::{collections::BTreeMap, sync::OnceLock};

/// How many accounts the steps act from.
pub const FUZZ_ACCOUNTS: u8 = 32;
/// Accounts `0..DEV_ACCOUNTS` are the development keyring's Alice..Ferdie.
pub const DEV_ACCOUNTS: u8 = 6;
/// The poorest account (10 × ED) and the middling one.
pub const POOR: u8 = 30;
pub const MID: u8 = 31;
/// What the fresh rich accounts hold at genesis: 1,000,000 PRSP.
pub const RICH: Balance = 1_000_000 * UNIT;
pub const POOR_BALANCE: Balance = 10 * EXISTENTIAL_DEPOSIT;
pub const MID_BALANCE: Balance = 300 * UNIT;

pub struct FuzzAccount {
	pub pair: sr25519::Pair,
	pub account: AccountId,
}

const DEV: [Sr25519Keyring; DEV_ACCOUNTS as usize] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// Every fuzz account, by index.
pub fn all() -> &'static [FuzzAccount] {
	static ALL: OnceLock<Vec<FuzzAccount>> = OnceLock::new();
	ALL.get_or_init(|| {
		(0..FUZZ_ACCOUNTS)
			.map(|i| {
				let pair = match DEV.get(i as usize) {
					Some(key) => key.pair(),
					None => sr25519::Pair::from_string(&format!("//fuzz//{i}"), None)
						.expect("a valid derivation path"),
				};
				FuzzAccount { account: AccountId::from(pair.public()), pair }
			})
			.collect()
	})
}

/// The account of fuzz account `i` (`i < FUZZ_ACCOUNTS`).
pub fn account(i: u8) -> AccountId {
	all()[i as usize].account.clone()
}

/// The fuzz index of an account, if it is one.
pub fn index_of(who: &AccountId) -> Option<u8> {
	static INDEX: OnceLock<BTreeMap<AccountId, u8>> = OnceLock::new();
	INDEX
		.get_or_init(|| all().iter().enumerate().map(|(i, a)| (a.account.clone(), i as u8)).collect())
		.get(who)
		.copied()
}

/// What fresh account `i` (≥ `DEV_ACCOUNTS`) is endowed with at genesis.
pub fn endowment(i: u8) -> Balance {
	match i {
		POOR => POOR_BALANCE,
		MID => MID_BALANCE,
		_ => RICH,
	}
}

/// The runtime's transaction extensions for a transaction from an account at `nonce`: immortal,
/// no tip, no metadata hash.
pub fn tx_extension(nonce: perspective_runtime::Nonce) -> TxExtension {
	perspective_runtime::tx_extension(nonce, Era::Immortal, 0)
}

/// `call` as a transaction signed by fuzz account `i` with its current nonce. Fails only if the
/// extensions' implicit data cannot be computed (a harness bug).
pub fn signed_extrinsic(i: u8, call: RuntimeCall) -> Result<UncheckedExtrinsic, TransactionValidityError> {
	let signer = &all()[i as usize];
	let nonce = System::account_nonce(&signer.account);
	let payload = SignedPayload::new(call, tx_extension(nonce))?;
	let signature = payload.using_encoded(|bytes| signer.pair.sign(bytes));
	let (call, extension, _) = payload.deconstruct();
	Ok(UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(signer.account.clone()),
		MultiSignature::Sr25519(signature),
		extension,
	))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// What signing and checking a transaction costs natively (printed; the seeded test prints
	/// the time spent on it in whole sequences).
	#[test]
	fn signed_extrinsics_verify_and_their_cost() {
		use sp_runtime::traits::Checkable;
		crate::chain::new_chain().execute_with(|| {
			let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![1; 32] });
			let n = 200u32;
			let started = std::time::Instant::now();
			let xts: Vec<UncheckedExtrinsic> =
				(0..n).map(|k| signed_extrinsic((k % FUZZ_ACCOUNTS as u32) as u8, call.clone()).unwrap()).collect();
			let sign = started.elapsed() / n;
			let started = std::time::Instant::now();
			for xt in xts {
				xt.check(&frame_system::ChainContext::<perspective_runtime::Runtime>::default()).expect("a valid signature");
			}
			let verify = started.elapsed() / n;
			eprintln!("per transaction: build + sign {sign:?}, signature check {verify:?}");
		});
	}

	#[test]
	fn accounts_are_distinct_and_dev_accounts_are_the_keyring() {
		let accounts: std::collections::BTreeSet<_> = all().iter().map(|a| a.account.clone()).collect();
		assert_eq!(accounts.len(), FUZZ_ACCOUNTS as usize);
		assert_eq!(account(0), Sr25519Keyring::Alice.to_account_id());
		assert_eq!(account(5), Sr25519Keyring::Ferdie.to_account_id());
		for i in 0..FUZZ_ACCOUNTS {
			assert_eq!(index_of(&account(i)), Some(i));
		}
	}
}
