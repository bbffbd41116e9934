//! Custom origins of referendum tracks (a runtime-local pallet, as in Polkadot's runtime).
//!
//! A passed referendum dispatches its call from the origin its track stands for: `Root` for the
//! root track, and the origins below for the others.

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Origins of referendum tracks other than root.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A call the council whitelisted, passed on the fast (whitelisted-caller) track.
		WhitelistedCaller,
		/// Parameter changes of Perspective's pallets (reputation, elections, ...).
		GeneralAdmin,
	}

	macro_rules! ensure_variant {
		($name:ident, $variant:ident) => {
			#[doc = concat!("Succeeds for the `", stringify!($variant), "` track origin.")]
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$variant => Ok(()),
						other => Err(O::from(other)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$variant))
				}
			}
		};
	}

	ensure_variant!(WhitelistedCaller, WhitelistedCaller);
	ensure_variant!(GeneralAdmin, GeneralAdmin);
}
