//! Invariants checked after every block.

use frame_support::traits::fungible::Inspect;
use perspective_runtime::{
	Balances, Contributions, CouncilElections, Evaluation, HybridVoting, ReferendaAdmin, Reputation,
	Runtime, System, ValidatorSet,
};

/// Every check; the first that fails is returned.
pub fn check() -> Result<(), String> {
	issuance()?;
	try_states()?;
	settlement_lag()?;
	Ok(())
}

/// Total issuance equals the sum of every account's free and reserved balance (holds are
/// reserved): nothing is minted or burnt without the issuance following.
pub fn issuance() -> Result<(), String> {
	let mut total: u128 = 0;
	for (_, info) in frame_system::Account::<Runtime>::iter() {
		total = total.saturating_add(info.data.free).saturating_add(info.data.reserved);
	}
	let issuance = <Balances as Inspect<_>>::total_issuance();
	if total != issuance {
		return Err(format!("total issuance {issuance} differs from the accounts' sum {total}"));
	}
	Ok(())
}

/// Every Perspective pallet's `try_state`.
pub fn try_states() -> Result<(), String> {
	let checks: [(&str, fn() -> Result<(), sp_runtime::TryRuntimeError>); 7] = [
		("evaluation", Evaluation::do_try_state),
		("contributions", Contributions::do_try_state),
		("reputation", Reputation::do_try_state),
		("hybrid-voting", HybridVoting::do_try_state),
		("council-elections", CouncilElections::do_try_state),
		("referenda-admin", ReferendaAdmin::do_try_state),
		("validator-set", ValidatorSet::do_try_state),
	];
	for (pallet, check) in checks {
		check().map_err(|e| format!("{pallet} try_state: {e:?}"))?;
	}
	Ok(())
}

/// No unappealed open task is past its due block: the hook settles every task in the block it
/// falls due (lag bound 0, pallet README "Capacity").
pub fn settlement_lag() -> Result<(), String> {
	let now = System::block_number();
	for (id, task) in pallet_evaluation::Tasks::<Runtime>::iter() {
		let open = task.status == pallet_evaluation::TaskStatus::Open;
		let appealed = pallet_evaluation::Disputes::<Runtime>::contains_key(id);
		if open && !appealed && task.due < now {
			return Err(format!("task {id} is open at block {now}, past its due block {}", task.due));
		}
	}
	Ok(())
}
