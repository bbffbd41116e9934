//! Fails fast, naming the port, when a port the node was asked to listen on is taken.
//!
//! Without this, Substrate silently moves JSON-RPC to a random port and litep2p can share a p2p
//! port with another process, so an operator (or a script) ends up talking to the wrong node.

use std::net::{SocketAddr, TcpListener};

use sc_network::multiaddr::Protocol;
use sc_service::Configuration;

/// Checks that the RPC, Prometheus and p2p TCP ports are free, and disables Substrate's fallback
/// to a random RPC port.
pub fn ensure_ports_available(config: &mut Configuration) -> Result<(), String> {
	for endpoint in config.rpc.addr.iter_mut().flatten() {
		endpoint.retry_random_port = false;
		// The IPv6 twin of the default endpoint is optional: it may fail on hosts without IPv6.
		if !endpoint.is_optional {
			check(endpoint.listen_addr, "JSON-RPC", "--rpc-port")?;
		}
	}
	if let Some(prometheus) = &config.prometheus_config {
		check(prometheus.port, "Prometheus", "--prometheus-port")?;
	}
	for address in &config.network.listen_addresses {
		if let Some(socket) = tcp_socket(address.iter()) {
			check(socket, "p2p", "--port")?;
		}
	}
	Ok(())
}

/// The TCP socket address of an `/ip4|ip6/<ip>/tcp/<port>` multiaddr with a fixed port.
fn tcp_socket<'a>(mut protocols: impl Iterator<Item = Protocol<'a>>) -> Option<SocketAddr> {
	let ip = match protocols.next()? {
		Protocol::Ip4(ip) => ip.into(),
		Protocol::Ip6(ip) => ip.into(),
		_ => return None,
	};
	match protocols.next()? {
		Protocol::Tcp(port) if port != 0 => Some(SocketAddr::new(ip, port)),
		_ => None,
	}
}

fn check(address: SocketAddr, what: &str, flag: &str) -> Result<(), String> {
	match TcpListener::bind(address) {
		Ok(_) => Ok(()),
		Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(format!(
			"the {what} port {} is already in use ({address}): stop the process using it \
			 (another node?) or choose a free port with {flag} <port>",
			address.port()
		)),
		// Other failures (e.g. no IPv6 on this host) are left for the service to report.
		Err(_) => Ok(()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_taken_port_is_named_with_the_flag_to_change_it() {
		let taken = TcpListener::bind("127.0.0.1:0").unwrap();
		let address = taken.local_addr().unwrap();
		let err = check(address, "JSON-RPC", "--rpc-port").unwrap_err();
		assert!(err.contains(&format!("JSON-RPC port {}", address.port())), "{err}");
		assert!(err.contains("--rpc-port"), "{err}");
		drop(taken);
		assert!(check(address, "JSON-RPC", "--rpc-port").is_ok());
	}

	#[test]
	fn only_fixed_tcp_ports_are_checked() {
		let tcp: sc_network::Multiaddr = "/ip4/0.0.0.0/tcp/30333".parse().unwrap();
		assert_eq!(tcp_socket(tcp.iter()), Some("0.0.0.0:30333".parse().unwrap()));
		let ephemeral: sc_network::Multiaddr = "/ip6/::/tcp/0".parse().unwrap();
		assert_eq!(tcp_socket(ephemeral.iter()), None);
		let websocket_dns: sc_network::Multiaddr = "/dns/example.com/tcp/30333".parse().unwrap();
		assert_eq!(tcp_socket(websocket_dns.iter()), None);
	}
}
