//! Fetches a task's content from its URI into a local file and checks it against the content
//! hash the chain recorded: `file://PATH`, `http://` and `https://`, and `ipfs://CID` through a
//! configured gateway (`{gateway}/ipfs/CID`). At most `max_bytes` are read.

use crate::commitment::content_hash_of;
use http_body_util::BodyExt;
use std::{
	io::Write,
	path::{Path, PathBuf},
	time::Duration,
};

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
	#[error("unsupported URI {0:?} (file:// with --file-root, http://, https:// or ipfs:// with --ipfs-gateway)")]
	Unsupported(String),
	#[error("{uri}: outside the --file-root directory {root}")]
	OutsideFileRoot { uri: String, root: String },
	#[error("{uri}: {reason}")]
	Failed { uri: String, reason: String },
	#[error("{uri}: larger than the {max} bytes allowed")]
	TooLarge { uri: String, max: u64 },
	#[error("{uri}: content hash 0x{got} differs from the task's 0x{want}")]
	HashMismatch { uri: String, got: String, want: String },
}

/// Fetched content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
	pub path: PathBuf,
	/// A download of this agent (deleted once scored), not a `file://` file of the operator's.
	pub downloaded: bool,
}

/// Where and how to fetch.
#[derive(Clone, Debug)]
pub struct Fetcher {
	pub ipfs_gateway: Option<String>,
	pub max_bytes: u64,
	pub timeout: Duration,
	/// Directory for downloaded content.
	pub dir: PathBuf,
	/// The only directory `file://` URIs may point into (after resolving `..` and symbolic
	/// links). `None` refuses `file://`: a task's URI is chosen by whoever opened the task, and
	/// must not make the agent hand an arbitrary local file (a key, a wallet) to the scorer.
	pub file_root: Option<PathBuf>,
}

impl Fetcher {
	/// Fetches `uri` and checks its blake2-256 against `want`. Returns the path of the content
	/// (the file itself for `file://`, a download otherwise).
	pub async fn fetch(&self, uri: &str, want: &[u8; 32]) -> Result<Fetched, FetchError> {
		let failed = |reason: String| FetchError::Failed { uri: uri.into(), reason };
		let downloaded = !uri.starts_with("file://");
		let path = if let Some(local) = uri.strip_prefix("file://") {
			let root = self.file_root.as_ref().ok_or_else(|| FetchError::Unsupported(uri.into()))?;
			let root = root.canonicalize().map_err(|e| failed(format!("--file-root {}: {e}", root.display())))?;
			let path = PathBuf::from(local).canonicalize().map_err(|e| failed(e.to_string()))?;
			if !path.starts_with(&root) {
				return Err(FetchError::OutsideFileRoot { uri: uri.into(), root: root.display().to_string() });
			}
			let len = std::fs::metadata(&path).map_err(|e| failed(e.to_string()))?.len();
			if len > self.max_bytes {
				return Err(FetchError::TooLarge { uri: uri.into(), max: self.max_bytes });
			}
			path
		} else if uri.starts_with("http://") || uri.starts_with("https://") {
			self.download(uri, uri, want).await?
		} else if let Some(cid) = uri.strip_prefix("ipfs://") {
			// A CID and an optional path: nothing that could leave the gateway's /ipfs/ tree.
			let safe = cid.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
			if !safe || cid.split('/').any(|part| part == ".." || part == ".") || cid.is_empty() {
				return Err(FetchError::Unsupported(uri.into()));
			}
			let gateway = self.ipfs_gateway.as_ref().ok_or_else(|| FetchError::Unsupported(uri.into()))?;
			self.download(uri, &format!("{}/ipfs/{cid}", gateway.trim_end_matches('/')), want).await?
		} else {
			return Err(FetchError::Unsupported(uri.into()));
		};
		let file = std::fs::File::open(&path).map_err(|e| failed(e.to_string()))?;
		let got = content_hash_of(file).map_err(|e| failed(e.to_string()))?;
		if &got != want {
			if downloaded {
				let _ = std::fs::remove_file(&path);
			}
			return Err(FetchError::HashMismatch { uri: uri.into(), got: hex::encode(got), want: hex::encode(want) });
		}
		Ok(Fetched { path, downloaded })
	}

	async fn download(&self, uri: &str, url: &str, want: &[u8; 32]) -> Result<PathBuf, FetchError> {
		let failed = |reason: String| FetchError::Failed { uri: uri.into(), reason };
		let connector = hyper_rustls::HttpsConnectorBuilder::new()
			.with_provider_and_native_roots(rustls::crypto::ring::default_provider())
			.map_err(|e| failed(format!("TLS roots: {e}")))?
			.https_or_http()
			.enable_http1()
			.build();
		let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
			.build::<_, http_body_util::Empty<bytes::Bytes>>(connector);
		let request: hyper::Uri = url.parse().map_err(|e| failed(format!("{e}")))?;
		let response = tokio::time::timeout(self.timeout, client.get(request))
			.await
			.map_err(|_| failed(format!("no response within {:?}", self.timeout)))?
			.map_err(|e| failed(e.to_string()))?;
		if !response.status().is_success() {
			return Err(failed(format!("HTTP {}", response.status())));
		}
		std::fs::create_dir_all(&self.dir).map_err(|e| failed(e.to_string()))?;
		let path = self.dir.join(format!("content-{}", hex::encode(want)));
		let mut file = std::fs::File::create(&path).map_err(|e| failed(e.to_string()))?;
		let mut body = response.into_body();
		let mut total: u64 = 0;
		let deadline = tokio::time::Instant::now() + self.timeout;
		while let Some(frame) = tokio::time::timeout_at(deadline, body.frame())
			.await
			.map_err(|_| failed(format!("body not read within {:?}", self.timeout)))?
		{
			let frame = frame.map_err(|e| failed(e.to_string()))?;
			if let Some(chunk) = frame.data_ref() {
				total += chunk.len() as u64;
				if total > self.max_bytes {
					drop(file);
					let _ = std::fs::remove_file(&path);
					return Err(FetchError::TooLarge { uri: uri.into(), max: self.max_bytes });
				}
				file.write_all(chunk).map_err(|e| failed(e.to_string()))?;
			}
		}
		file.sync_all().map_err(|e| failed(e.to_string()))?;
		Ok(path)
	}
}

/// The path of a `file://` URI, for tools that write one.
pub fn file_uri(path: &Path) -> String {
	format!("file://{}", path.display())
}

#[cfg(test)]
mod tests {
	use super::*;
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	fn fetcher(dir: &Path) -> Fetcher {
		Fetcher { ipfs_gateway: None, max_bytes: 1_000, timeout: Duration::from_secs(5), dir: dir.into(), file_root: Some(dir.into()) }
	}

	/// A one-shot HTTP server on localhost answering every request with `body`.
	async fn serve(body: Vec<u8>) -> String {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let addr = listener.local_addr().unwrap();
		tokio::spawn(async move {
			while let Ok((mut socket, _)) = listener.accept().await {
				let body = body.clone();
				tokio::spawn(async move {
					let mut buf = [0u8; 1024];
					let _ = socket.read(&mut buf).await;
					let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
					let _ = socket.write_all(head.as_bytes()).await;
					let _ = socket.write_all(&body).await;
				});
			}
		});
		format!("http://{addr}")
	}

	#[tokio::test]
	async fn a_local_file_with_the_right_hash_is_used_in_place() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("output.txt");
		std::fs::write(&path, b"the model said hello").unwrap();
		let hash = sp_crypto_hashing::blake2_256(b"the model said hello");
		let fetched = fetcher(dir.path()).fetch(&file_uri(&path), &hash).await.unwrap();
		assert_eq!(fetched, Fetched { path: path.canonicalize().unwrap(), downloaded: false });
	}

	#[tokio::test]
	async fn file_uris_stay_inside_the_file_root() {
		let outside = tempfile::tempdir().unwrap();
		let secret = outside.path().join("key.json");
		std::fs::write(&secret, b"secret").unwrap();
		let hash = sp_crypto_hashing::blake2_256(b"secret");
		let root = tempfile::tempdir().unwrap();
		let f = fetcher(root.path());
		// Directly, through `..`, and through a symbolic link inside the root.
		let err = f.fetch(&file_uri(&secret), &hash).await.unwrap_err();
		assert!(matches!(err, FetchError::OutsideFileRoot { .. }), "{err}");
		let dotdot = root.path().join("..").join(outside.path().file_name().unwrap()).join("key.json");
		let err = f.fetch(&file_uri(&dotdot), &hash).await.unwrap_err();
		assert!(matches!(err, FetchError::OutsideFileRoot { .. }), "{err}");
		#[cfg(unix)]
		{
			let link = root.path().join("link.json");
			std::os::unix::fs::symlink(&secret, &link).unwrap();
			let err = f.fetch(&file_uri(&link), &hash).await.unwrap_err();
			assert!(matches!(err, FetchError::OutsideFileRoot { .. }), "{err}");
		}
		// Without a root, no file:// at all.
		let err = Fetcher { file_root: None, ..f }.fetch(&file_uri(&secret), &hash).await.unwrap_err();
		assert!(matches!(err, FetchError::Unsupported(_)), "{err}");
	}

	#[tokio::test]
	async fn a_hash_mismatch_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("output.txt");
		std::fs::write(&path, b"tampered").unwrap();
		let err = fetcher(dir.path()).fetch(&file_uri(&path), &[0u8; 32]).await.unwrap_err();
		assert!(matches!(err, FetchError::HashMismatch { .. }), "{err}");
	}

	#[tokio::test]
	async fn http_content_is_downloaded_and_checked() {
		let dir = tempfile::tempdir().unwrap();
		let url = serve(b"served output".to_vec()).await;
		let hash = sp_crypto_hashing::blake2_256(b"served output");
		let fetched = fetcher(dir.path()).fetch(&format!("{url}/x"), &hash).await.unwrap();
		assert!(fetched.downloaded);
		assert_eq!(std::fs::read(fetched.path).unwrap(), b"served output");
		let err = fetcher(dir.path()).fetch(&format!("{url}/x"), &[1u8; 32]).await.unwrap_err();
		assert!(matches!(err, FetchError::HashMismatch { .. }), "{err}");
		// The mismatching download is not left behind.
		assert!(!dir.path().join(format!("content-{}", hex::encode([1u8; 32]))).exists());
	}

	#[tokio::test]
	async fn ipfs_goes_through_the_gateway_and_content_is_capped() {
		let dir = tempfile::tempdir().unwrap();
		let url = serve(vec![7u8; 2_000]).await;
		let mut f = fetcher(dir.path());
		let err = f.fetch("ipfs://bafy", &[0u8; 32]).await.unwrap_err();
		assert!(matches!(err, FetchError::Unsupported(_)), "no gateway: {err}");
		f.ipfs_gateway = Some(url);
		let err = f.fetch("ipfs://bafy", &[0u8; 32]).await.unwrap_err();
		assert!(matches!(err, FetchError::TooLarge { max: 1_000, .. }), "{err}");
		f.max_bytes = 10_000;
		let hash = sp_crypto_hashing::blake2_256(&[7u8; 2_000]);
		assert!(f.fetch("ipfs://bafy", &hash).await.unwrap().downloaded);
		for escape in ["ipfs://../../etc", "ipfs://bafy/../x", "ipfs://bafy?x=1", "ipfs://"] {
			let err = f.fetch(escape, &hash).await.unwrap_err();
			assert!(matches!(err, FetchError::Unsupported(_)), "{escape}: {err}");
		}
	}

	#[tokio::test]
	async fn other_schemes_are_unsupported() {
		let dir = tempfile::tempdir().unwrap();
		let err = fetcher(dir.path()).fetch("ftp://x", &[0u8; 32]).await.unwrap_err();
		assert!(matches!(err, FetchError::Unsupported(_)));
	}
}
