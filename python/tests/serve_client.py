"""`kaidah serve` started on a free loopback port, and a real HTTP client for it (http.client)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KAIDAH = os.environ.get("KAIDAH_CLI", str(ROOT / "build" / "kaidah"))
# Under AddressSanitizer the service is slower and larger: the time and memory bounds widen.
SANITIZED = os.environ.get("KAIDAH_SANITIZED") == "1"


class Service:
    """A `kaidah serve` process: started with `args`, on port 0 (a free one, read from its first
    line), its standard error collected. Stop it with stop(), which returns its exit status."""

    def __init__(self, *args: str, cwd: str | None = None):
        self.process = subprocess.Popen([KAIDAH, "serve", "--listen", "127.0.0.1:0", *args], cwd=cwd,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first_line = self.process.stdout.readline()
        if "on http://" not in self.first_line:
            self.process.wait(timeout=30)
            raise RuntimeError(f"kaidah serve did not start: {self.first_line}{self.process.stderr.read()}")
        address = self.first_line.split("on http://")[1].split("/")[0]
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)
        self.stderr_lines: list[str] = []
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method: str, path: str, body=None, headers: dict | None = None, connection=None):
        """(status, headers, parsed JSON or text): a dict or list body is sent as JSON."""
        own = connection is None
        conn = connection or self.connection()
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode()
            content_type = response.getheader("Content-Type", "")
            parsed = json.loads(data) if content_type.startswith("application/json") and data else data
            return response.status, dict(response.getheaders()), parsed
        finally:
            if own:
                conn.close()

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, body, **kw):
        return self.request("POST", path, body, **kw)

    def rss_kib(self) -> int:
        """The service's resident memory."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def signal(self, number: int):
        self.process.send_signal(number)

    def wait_for_stderr(self, text: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.stderr:
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return status
