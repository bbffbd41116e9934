//! What a referendum proposal dispatches: the *leaf* calls behind wrapper calls
//! (`utility.batch`, `scheduler.schedule`, `whitelist.dispatchWhitelistedCall`, ...).
//!
//! The council's veto bars the hash of the vetoed proposal **and** the hash of every leaf call
//! it dispatches, and `referenda.submit` is refused while any leaf of the new proposal is barred
//! (review L-2: `utility.batchAll([vetoed])` no longer dodges the cool-off).
//!
//! The pallet stays generic: the runtime says which of its calls wrap others
//! ([`CallWrappers`]); [`UnwrapCalls`] walks a proposal with that knowledge, within bounds on the
//! nesting depth, the number of calls and the preimage bytes it reads. A proposal that cannot be
//! walked within them is [`Uninspectable`]; while a cool-off is active, such a proposal is refused
//! (see the README, "Veto cool-off").

use alloc::vec::Vec;
use codec::{Decode, DecodeLimit, Encode};
use core::marker::PhantomData;
use frame_support::traits::{Bounded, Get, QueryPreimage, StorePreimage};
use sp_runtime::traits::Hash;

/// Why the calls of a proposal could not all be listed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Uninspectable {
	/// A preimage the proposal needs is not noted (or not with the stated length).
	PreimageMissing,
	/// Reading its preimages would exceed the byte budget.
	TooLarge,
	/// A preimage does not decode as a call.
	Undecodable,
	/// Wrapper calls nest deeper than allowed.
	TooDeep,
	/// It contains more calls, or dispatches more distinct leaf calls, than allowed.
	TooManyCalls,
}

/// Lists the leaf calls a referendum proposal dispatches.
pub trait ProposalCalls<Proposal, Output> {
	/// Pushes onto `leaves` the hash (`Hashing::hash_of(call)`) of every distinct leaf call (a
	/// call that dispatches no other) `proposal` would dispatch, at most `max_leaves` of them.
	/// On an error, `leaves` holds the leaves found before it.
	fn leaf_hashes(
		proposal: &Proposal,
		max_leaves: u32,
		leaves: &mut Vec<Output>,
	) -> Result<(), Uninspectable>;

	/// A proposal with `leaves` distinct leaf calls that is as costly to walk as the bounds
	/// allow (its preimage noted), for the `veto` benchmark.
	#[cfg(feature = "runtime-benchmarks")]
	fn worst_case(leaves: u32) -> Proposal;
}

/// No wrapper is known: a proposal is its own single leaf (only its hash is barred). For mocks.
impl<Call, H: Hash> ProposalCalls<Bounded<Call, H>, H::Output> for () {
	fn leaf_hashes(
		proposal: &Bounded<Call, H>,
		max_leaves: u32,
		leaves: &mut Vec<H::Output>,
	) -> Result<(), Uninspectable> {
		if max_leaves == 0 {
			return Err(Uninspectable::TooManyCalls);
		}
		leaves.push(proposal.hash());
		Ok(())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn worst_case(_: u32) -> Bounded<Call, H> {
		Bounded::Inline(Default::default())
	}
}

/// What a call dispatches, as far as the veto's cool-off is concerned.
pub enum Wrapped<'a, Call, H: Hash> {
	/// Nothing else: the call is a leaf (its own effect).
	Leaf,
	/// These calls (`utility.batch*`, `utility.dispatchAs`, `scheduler.schedule*`, `sudo.*`,
	/// `whitelist.dispatchWhitelistedCallWithPreimage`, ...).
	Calls(Vec<&'a Call>),
	/// The call behind this bounded proposal (`referenda.submit`).
	Bounded(&'a Bounded<Call, H>),
	/// The call whose preimage has this hash (and, when known, this length)
	/// (`whitelist.dispatchWhitelistedCall`).
	Preimage { hash: H::Output, len: Option<u32> },
}

/// Which of the runtime's calls wrap others (implemented by the runtime on its `RuntimeCall`).
///
/// A call the runtime does not list is a leaf: every call that dispatches another must be listed,
/// or wrapping a vetoed call in it dodges the cool-off.
pub trait CallWrappers<Call, H: Hash> {
	/// What `call` dispatches.
	fn wrapped(call: &Call) -> Wrapped<'_, Call, H>;

	/// A wrapper dispatching `calls` (e.g. `utility.batchAll`), for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn batch(calls: Vec<Call>) -> Call;

	/// A leaf call, distinct for each `index`, whose encoding is about `len` bytes (e.g.
	/// `system.remark`), for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn leaf(index: u32, len: u32) -> Call;
}

/// [`ProposalCalls`] by walking wrapper calls ([`CallWrappers`]) and preimages (`Preimages`):
/// - wrappers nest at most `MaxDepth` deep (the proposal's own call is at depth 0; a wrapper at
///   depth `MaxDepth` is [`Uninspectable::TooDeep`]);
/// - at most `MaxCalls` calls (wrappers and leaves, repeats included) are visited;
/// - at most `MaxBytes` preimage bytes (inline proposals included) are read and decoded;
/// - preimages (of `Bounded::Lookup`/`Legacy` proposals and hash wrappers) must be noted.
pub struct UnwrapCalls<Call, H, Preimages, Wrappers, MaxDepth, MaxCalls, MaxBytes>(
	PhantomData<(Call, H, Preimages, Wrappers, MaxDepth, MaxCalls, MaxBytes)>,
);

/// The budget and the results of one walk.
struct Walk<'a, Output> {
	leaves: &'a mut Vec<Output>,
	max_leaves: u32,
	calls: u32,
	bytes: u32,
}

impl<Call, H, P, W, D, C, B> UnwrapCalls<Call, H, P, W, D, C, B>
where
	Call: Encode + Decode,
	H: Hash,
	P: QueryPreimage<H = H> + StorePreimage,
	W: CallWrappers<Call, H>,
	D: Get<u32>,
	C: Get<u32>,
	B: Get<u32>,
{
	fn charge(walk: &mut Walk<'_, H::Output>, len: u32) -> Result<(), Uninspectable> {
		walk.bytes = walk.bytes.saturating_add(len);
		if walk.bytes > B::get() {
			return Err(Uninspectable::TooLarge);
		}
		Ok(())
	}

	fn decode_call(data: &[u8]) -> Result<Call, Uninspectable> {
		Call::decode_all_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &data[..])
			.map_err(|_| Uninspectable::Undecodable)
	}

	/// The call behind a preimage hash; its length is checked against the budget before it
	/// is read.
	fn load_preimage(
		hash: &H::Output,
		len: Option<u32>,
		walk: &mut Walk<'_, H::Output>,
	) -> Result<Call, Uninspectable> {
		let len = match len {
			Some(len) => len,
			None => P::len(hash).ok_or(Uninspectable::PreimageMissing)?,
		};
		Self::charge(walk, len)?;
		let data = P::fetch(hash, Some(len)).map_err(|_| Uninspectable::PreimageMissing)?;
		Self::decode_call(&data)
	}

	fn load(
		bounded: &Bounded<Call, H>,
		walk: &mut Walk<'_, H::Output>,
	) -> Result<Call, Uninspectable> {
		match bounded {
			Bounded::Inline(data) => {
				Self::charge(walk, data.len() as u32)?;
				Self::decode_call(&data[..])
			},
			Bounded::Lookup { hash, len } => Self::load_preimage(hash, Some(*len), walk),
			Bounded::Legacy { hash, .. } => Self::load_preimage(hash, None, walk),
		}
	}

	fn visit(call: &Call, depth: u32, walk: &mut Walk<'_, H::Output>) -> Result<(), Uninspectable> {
		walk.calls = walk.calls.saturating_add(1);
		if walk.calls > C::get() {
			return Err(Uninspectable::TooManyCalls);
		}
		let wrapped = W::wrapped(call);
		if let Wrapped::Leaf = wrapped {
			let hash = H::hash_of(call);
			if !walk.leaves.contains(&hash) {
				if walk.leaves.len() as u32 >= walk.max_leaves {
					return Err(Uninspectable::TooManyCalls);
				}
				walk.leaves.push(hash);
			}
			return Ok(());
		}
		if depth >= D::get() {
			return Err(Uninspectable::TooDeep);
		}
		match wrapped {
			Wrapped::Leaf => Ok(()),
			Wrapped::Calls(inner) => {
				for inner in inner {
					Self::visit(inner, depth.saturating_add(1), walk)?;
				}
				Ok(())
			},
			Wrapped::Bounded(bounded) => {
				let inner = Self::load(bounded, walk)?;
				Self::visit(&inner, depth.saturating_add(1), walk)
			},
			Wrapped::Preimage { hash, len } => {
				let inner = Self::load_preimage(&hash, len, walk)?;
				Self::visit(&inner, depth.saturating_add(1), walk)
			},
		}
	}
}

impl<Call, H, P, W, D, C, B> ProposalCalls<Bounded<Call, H>, H::Output>
	for UnwrapCalls<Call, H, P, W, D, C, B>
where
	Call: Encode + Decode,
	H: Hash,
	P: QueryPreimage<H = H> + StorePreimage,
	W: CallWrappers<Call, H>,
	D: Get<u32>,
	C: Get<u32>,
	B: Get<u32>,
{
	fn leaf_hashes(
		proposal: &Bounded<Call, H>,
		max_leaves: u32,
		leaves: &mut Vec<H::Output>,
	) -> Result<(), Uninspectable> {
		let mut walk = Walk { leaves, max_leaves, calls: 0, bytes: 0 };
		let call = Self::load(proposal, &mut walk)?;
		Self::visit(&call, 0, &mut walk)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn worst_case(leaves: u32) -> Bounded<Call, H> {
		// `MaxDepth` nested wrappers, the innermost holding `leaves` distinct leaves that
		// together use (nearly) the whole byte budget.
		let depth = D::get().max(1);
		let room = B::get().saturating_sub(64u32.saturating_mul(depth));
		let per_leaf = (room / leaves.max(1)).saturating_sub(16);
		let mut call = W::batch((0..leaves).map(|i| W::leaf(i, per_leaf)).collect());
		for _ in 1..depth {
			call = W::batch(alloc::vec![call]);
		}
		P::bound(call).expect("the worst-case proposal fits the preimage pallet")
	}
}
