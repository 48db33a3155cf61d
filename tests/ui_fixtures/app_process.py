"""The real `python app.py` in a child process, for the UI tests (browser and concurrency)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Union

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(request: Union[str, urllib.request.Request]) -> int:
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    stdout: Path
    stderr: Path
    served_seconds: float  # from starting `python app.py` to the first answered page request

    def wait_until_ready(self, timeout: float = 300) -> float:
        """Waits for the background load to finish (the app says so on stderr); returns the seconds waited."""
        began = time.perf_counter()
        while "model and index ready" not in self.stderr.read_text(errors="replace"):
            if self.process.poll() is not None:
                raise AssertionError(f"app.py exited with {self.process.returncode}:\n{self.stderr.read_text()}")
            if "could not start" in self.stderr.read_text(errors="replace"):
                raise AssertionError(self.stderr.read_text())
            if time.perf_counter() - began > timeout:
                raise AssertionError(f"the app was not ready within {timeout} s:\n{self.stderr.read_text()}")
            time.sleep(0.2)
        return time.perf_counter() - began


def start_app(tmp: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 90) -> RunningApp:
    """Starts the app on a free loopback port; returns once it serves its page (HTTP 200, or 401 with --auth)."""
    port = free_port()
    stdout, stderr = tmp / "app.stdout", tmp / "app.stderr"
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port), *args], cwd=ROOT,
                               stdout=stdout.open("w"), stderr=stderr.open("w"),
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    while True:
        if process.poll() is not None:
            raise AssertionError(f"app.py exited with {process.returncode}:\n{stderr.read_text()}")
        try:
            if http_status(url) in (200, 401):
                break
        except OSError:
            pass
        if time.perf_counter() - began > timeout:
            process.kill()
            raise AssertionError(f"app.py served nothing within {timeout} s:\n{stderr.read_text()}")
        time.sleep(0.1)
    return RunningApp(url, process, stdout, stderr, time.perf_counter() - began)


def stop_app(app: RunningApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait()
