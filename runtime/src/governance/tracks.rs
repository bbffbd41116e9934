//! Referendum tracks: their defaults, and the `TracksInfo` `pallet-referenda` reads.
//!
//! The table in force lives in `pallet-referenda-admin` storage (genesis presets shorten the
//! periods of development chains; governance changes it with `referendaAdmin.setTrack`); the
//! defaults below are what a production chain starts with.
//!
//! Token house curves (x = elapsed share of the decision period):
//! - approval falls linearly from 100% to 50%;
//! - support (aye + abstain capital / active issuance) falls linearly from the track's ceiling
//!   to 0% (root: 50%, whitelisted: 10%, general admin: 20%).
//!
//! Reputation house thresholds (fixed for the whole decision period): approval ≥ 50% for every
//! track; support ≥ 20% (root), 5% (whitelisted), 10% (general admin) of the total reputation
//! when the referendum was submitted.

use super::origins;
use crate::{
	currency::UNIT,
	time::{DAYS, HOURS, MINUTES},
	Balance, BlockNumber, ReferendaAdmin, Runtime, RuntimeOrigin,
};
use alloc::{borrow::Cow, vec, vec::Vec};
use frame_support::traits::OriginTrait;
use pallet_referenda::{Curve, Track, TrackInfo};
use pallet_referenda_admin::{HouseThresholds, TrackRecordOf};
use sp_runtime::{str_array as s, Perbill};

/// Track of `Root` proposals: runtime upgrades and anything else only root may do.
pub const ROOT: u16 = 0;
/// Fast track for calls the council has whitelisted.
pub const WHITELISTED_CALLER: u16 = 1;
/// Parameter changes of Perspective's pallets.
pub const GENERAL_ADMIN: u16 = 2;

const fn linear(ceil: u32, floor: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(floor),
		ceil: Perbill::from_percent(ceil),
	}
}

const fn house(approval: u32, support: u32) -> HouseThresholds {
	HouseThresholds {
		min_approval: Perbill::from_percent(approval),
		min_support: Perbill::from_percent(support),
	}
}

#[allow(clippy::too_many_arguments)]
fn track(
	id: u16,
	name: &str,
	max_deciding: u32,
	decision_deposit: Balance,
	periods: [BlockNumber; 4],
	support_ceil: u32,
	reputation: HouseThresholds,
) -> TrackRecordOf<Runtime> {
	TrackRecordOf::<Runtime> {
		track: Track {
			id,
			info: TrackInfo {
				name: s(name),
				max_deciding,
				decision_deposit,
				prepare_period: periods[0],
				decision_period: periods[1],
				confirm_period: periods[2],
				min_enactment_period: periods[3],
				min_approval: linear(100, 50),
				min_support: linear(support_ceil, 0),
			},
		},
		reputation,
	}
}

/// The production track table, sorted by id.
pub fn default_tracks() -> Vec<TrackRecordOf<Runtime>> {
	vec![
		track(ROOT, "root", 1, 1_000 * UNIT, [2 * HOURS, 14 * DAYS, DAYS, DAYS], 50, house(50, 20)),
		track(
			WHITELISTED_CALLER,
			"whitelisted_caller",
			10,
			100 * UNIT,
			// The fast track: a day to decide instead of two weeks.
			[30 * MINUTES, DAYS, 10 * MINUTES, 10 * MINUTES],
			10,
			house(50, 5),
		),
		track(
			GENERAL_ADMIN,
			"general_admin",
			10,
			200 * UNIT,
			[HOURS, 14 * DAYS, HOURS, HOURS],
			20,
			house(50, 10),
		),
	]
}

frame_support::parameter_types! {
	pub DefaultTracks: Vec<TrackRecordOf<Runtime>> = default_tracks();
}

// Bounds `referendaAdmin.setTrack` enforces on every track (review L-5; the curve and
// reputation-house bounds are the pallet's: approval 50%..=90% at the end, support ≤ 50% at the
// start, reputation approval 50%..=90% and support ≤ 50%).
frame_support::parameter_types! {
	/// At most 16 referenda deciding at once per track: each holds a scheduler alarm, and a
	/// voter follows at most `MaxVotes` (32) referenda.
	pub const MaxDeciding: u32 = 16;
	/// A decision deposit of at least the submission deposit: free decision slots let anyone
	/// fill a track's deciding slots and queue.
	pub const MinDecisionDeposit: Balance = 10 * UNIT;
	/// A decision deposit of at most 10,000 PRSP (10× the root track's): a deposit nobody can
	/// place bricks the track.
	pub const MaxDecisionDeposit: Balance = 10_000 * UNIT;
	/// Periods (prepare, decision, confirm, minimum enactment) of at most 90 days (and at least
	/// one block).
	pub const MaxPeriod: BlockNumber = 90 * DAYS;
}

/// The tracks `pallet-referenda` uses: the table stored by `pallet-referenda-admin`.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		ReferendaAdmin::track_records().into_iter().map(|record| Cow::Owned(record.track))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<u16, ()> {
		if let Ok(system) = frame_system::RawOrigin::try_from(origin.clone()) {
			return match system {
				frame_system::RawOrigin::Root => Ok(ROOT),
				_ => Err(()),
			};
		}
		match origins::Origin::try_from(origin.clone()) {
			Ok(origins::Origin::WhitelistedCaller) => Ok(WHITELISTED_CALLER),
			Ok(origins::Origin::GeneralAdmin) => Ok(GENERAL_ADMIN),
			Err(_) => Err(()),
		}
	}
}
