# Builds the Perspective node from this repository and packages it in a slim runtime image.
#   docker build -t perspective-node:local .
# The builder needs network access to crates.io and the Rust toolchain server.

FROM docker.io/library/rust:1.95-bookworm AS builder
RUN apt-get update \
	&& apt-get install -y --no-install-recommends protobuf-compiler \
	&& rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32v1-none
WORKDIR /build
COPY . .
ENV CARGO_TARGET_DIR=/build/target CARGO_INCREMENTAL=0
RUN cargo build --locked --release -p perspective-node \
	&& cp target/release/perspective-node /perspective-node

FROM docker.io/library/debian:bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends ca-certificates curl \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --create-home --uid 1000 --shell /usr/sbin/nologin perspective \
	&& mkdir -p /data && chown perspective:perspective /data
COPY --from=builder /perspective-node /usr/local/bin/perspective-node
USER perspective
# p2p, RPC (WebSocket + HTTP), Prometheus
EXPOSE 30333 9944 9615
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
	CMD curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' http://127.0.0.1:9944 || exit 1
ENTRYPOINT ["/usr/local/bin/perspective-node"]
CMD ["--help"]
