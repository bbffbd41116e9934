//! The hashes the chain checks, computed exactly as the pallets do (`pallet_evaluation::
//! commitment_of`, `pallet_contributions::registration_commitment_of`), without depending on
//! the runtime: SCALE of a tuple, hashed with blake2-256.

use codec::Encode;

/// `pallet_evaluation::COMMITMENT_TAG`.
pub const EVALUATION_TAG: [u8; 16] = *b"prsp/eval/commit";
/// `pallet_contributions::REGISTRATION_COMMITMENT_TAG`.
pub const REGISTRATION_TAG: [u8; 16] = *b"prsp/contrib/reg";

/// An evaluator's commitment: `blake2_256(SCALE(tag, task, who, scores, salt))`. SCALE writes
/// the tag and salt raw, the task as 8 little-endian bytes, the account's 32 bytes, and the
/// scores as a compact length followed by each `u16` in 2 little-endian bytes.
pub fn evaluation(task: u64, who: &[u8; 32], scores: &[u16], salt: &[u8; 32]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&(EVALUATION_TAG, task, who, scores, salt).encode())
}

/// A contributor's registration commitment: `blake2_256(SCALE(tag, content_hash, owner, salt))`.
pub fn registration(content_hash: &[u8; 32], owner: &[u8; 32], salt: &[u8; 32]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&(REGISTRATION_TAG, content_hash, owner, salt).encode())
}

/// The content hash of a file as Perspective's tools define it: blake2-256 of its raw bytes,
/// read in chunks (the same as polkadot.js `blake2AsU8a(bytes, 256)`).
pub fn content_hash_of(mut reader: impl std::io::Read) -> std::io::Result<[u8; 32]> {
	use blake2::{digest::consts::U32, Blake2b, Digest};
	let mut hasher = Blake2b::<U32>::new();
	let mut buf = vec![0u8; 64 * 1024];
	loop {
		let n = reader.read(&mut buf)?;
		if n == 0 {
			break;
		}
		hasher.update(&buf[..n]);
	}
	Ok(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn evaluation_commitment_hashes_the_documented_bytes() {
		let who = [7u8; 32];
		let salt = [9u8; 32];
		let mut expected = Vec::new();
		expected.extend_from_slice(b"prsp/eval/commit");
		expected.extend_from_slice(&5u64.to_le_bytes());
		expected.extend_from_slice(&who);
		expected.extend_from_slice(&[0x08, 0x50, 0x00, 0x5a, 0x00]); // [80, 90]
		expected.extend_from_slice(&salt);
		assert_eq!(evaluation(5, &who, &[80, 90], &salt), sp_crypto_hashing::blake2_256(&expected));
		// Every input matters.
		assert_ne!(evaluation(5, &who, &[80, 91], &salt), evaluation(5, &who, &[80, 90], &salt));
		assert_ne!(evaluation(6, &who, &[80, 90], &salt), evaluation(5, &who, &[80, 90], &salt));
		assert_ne!(evaluation(5, &who, &[80, 90], &[8u8; 32]), evaluation(5, &who, &[80, 90], &salt));
	}

	#[test]
	fn registration_commitment_hashes_the_documented_bytes() {
		let (hash, owner, salt) = ([1u8; 32], [2u8; 32], [3u8; 32]);
		let mut expected = b"prsp/contrib/reg".to_vec();
		expected.extend_from_slice(&hash);
		expected.extend_from_slice(&owner);
		expected.extend_from_slice(&salt);
		assert_eq!(registration(&hash, &owner, &salt), sp_crypto_hashing::blake2_256(&expected));
	}

	#[test]
	fn content_hash_is_blake2_256_of_the_bytes_however_they_are_chunked() {
		let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
		assert_eq!(content_hash_of(&data[..]).unwrap(), sp_crypto_hashing::blake2_256(&data));
		assert_eq!(content_hash_of(&b""[..]).unwrap(), sp_crypto_hashing::blake2_256(b""));
	}
}
