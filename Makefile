# The two set-up commands of the README:
#   make run   build the console and start the server with demo data at http://127.0.0.1:8080
#   make test  every test: leptosfmt + rustfmt + clippy (native and wasm), Rust unit/scenario/API
#              tests, then the browser suite in Chromium
# Both install what is missing first (scripts/tools.sh), and skip what is already there.

SHELL := /bin/bash
export PATH := $(CURDIR)/tests/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
ADDR ?= 127.0.0.1:8080
DATA ?= data

.PHONY: run test tools browser-tools bench-tools console server-release rust-test e2e lint fmt bench

run: tools console server-release
	target/release/rollout-server serve --demo --addr $(ADDR) --data-dir $(DATA) --dist dist

test: browser-tools lint rust-test console
	cargo build -p rollout-server
	scripts/schemathesis.sh
	cd tests && npx playwright test
	@echo "All tests passed."

tools:
	@scripts/tools.sh

browser-tools:
	@scripts/tools.sh --browser

# Lighthouse and twiggy: slow to install, so only for `make bench`, never on `make test`'s path.
bench-tools:
	@scripts/tools.sh --bench

# The console, release build (size profile wasm-release, wasm-opt -Oz, lazy pages) into dist/.
console: tools
	scripts/build-console.sh

server-release:
	cargo build --release -p rollout-server

rust-test:
	cargo test --workspace

e2e:
	cargo build -p rollout-server
	cd tests && npx playwright test

# view! markup is formatted by leptosfmt, the rest by rustfmt (`make fmt` applies both).
lint: tools
	leptosfmt --check --quiet src
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p rollout-console --target wasm32-unknown-unknown -- -D warnings

fmt: tools
	leptosfmt --quiet src
	cargo fmt --all

bench: bench-tools
	@for s in scripts/bench-*.sh; do [ -x "$$s" ] && "$$s"; done; true
