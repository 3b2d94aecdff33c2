"""Fixtures of the Python runtime kit's tests: a real redis-server and a real
moto_server, each on a free loopback port, started once per test session.
Neither is mocked; a missing binary fails the tests (scripts/test-deps.sh installs them).
``loopback_stage`` is an HTTP server on 127.0.0.1 standing in for an API Gateway stage."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "handlers" / "python"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port}")


def start_redis(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (run scripts/test-deps.sh)")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, proc, "redis-server")
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def redis_port():
    port = free_port()
    proc = start_redis(port)
    yield port
    stop(proc)


@pytest.fixture()
def redis_client(redis_port):
    import redis

    client = redis.Redis(host="127.0.0.1", port=redis_port, decode_responses=True)
    client.flushall()
    yield client
    client.config_set("maxmemory", "0")
    client.close()


@pytest.fixture(scope="session")
def moto_endpoint():
    binary = shutil.which("moto_server")
    if binary is None:
        pytest.fail("moto_server is not installed (run scripts/test-deps.sh)")
    port = free_port()
    env = {**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log, env=env)
    wait_for_port(port, proc, "moto_server")
    yield f"http://127.0.0.1:{port}"
    stop(proc)
    log.close()


@pytest.fixture()
def aws_env(monkeypatch):
    """Credentials moto accepts; never real ones."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


class LoopbackStage:
    """An HTTP server on a free loopback port that records each request (method, raw
    path with query, lower-cased headers) and answers ``status`` with a small JSON body."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        stage = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                stage.requests.append({"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                body = b'{"ok":true}'
                self.send_response(stage.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = _record  # noqa: N815 (http.server's names)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        #: what synthesis puts in CACHESTACK_REST_STAGE_URL (stage name ``v1``)
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def loopback_stage():
    stage = LoopbackStage()
    yield stage
    stage.close()
