"""The Clockwork sandbox: a stateful, fault-injecting stand-in for the Clockwork API.

`create_app(state, knobs)` for in-process use (httpx.ASGITransport), `SandboxServer` for a
real loopback socket, `run_forever` for `main.py sandbox`, `harness.sandbox_client` for tests.
"""
