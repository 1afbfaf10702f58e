"""`kaidah serve` against hostile and broken clients: each must leave the service answering others,
in bounded memory. make test runs these in the sanitizer build too (KAIDAH_SANITIZED=1)."""

import json
import re
import resource
import socket
import threading
import time

import pytest

from serve_client import SANITIZED, Service

DATE = "2026-11-24"
# Perpres 75/2019 Pasal 30 ayat (1)-(2): 1% of Rp 3,500,000 is the worker's Rp 35,000.
WORKER = {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative",
          "enrolled_segment": "ppu_badan_usaha", "wage": "3500000", "minimum_wage": "2500000"}
ASK = {"date": DATE, "decisions": ["iuran_worker"], "case": WORKER}
SLOW = 4 if SANITIZED else 1  # how much longer things may take under the sanitizers


def still_serving(service):
    """A normal client is answered, and the answer is right."""
    start = time.monotonic()
    status, _, body = service.post("/v1/evaluate", ASK)
    assert status == 200 and body["result"]["values"] == {"iuran_worker": "35000"}
    assert time.monotonic() - start < 2 * SLOW


def raw(service, data: bytes, read=True, timeout=10.0) -> bytes:
    """Sends `data` on a new connection; returns what the service answers until it closes."""
    with socket.create_connection((service.host, service.port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


@pytest.fixture
def service():
    s = Service("--header-timeout", "2", "--body-timeout", "2", "--max-body-bytes", "1000000", "--access-log", "off")
    yield s
    assert s.stop() == 0


def test_a_1_gb_body_is_refused_before_it_is_read(service):
    header = (b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1073741824\r\n\r\n")
    with socket.create_connection((service.host, service.port), timeout=10) as s:
        s.sendall(header + b"[" * 65536)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ") and b'"kind": "body_too_large"' in answer
    assert b"1000000 bytes, --max-body-bytes" in answer
    # Sent in chunks, with no length said, it is cut off at the limit all the same.
    with socket.create_connection((service.host, service.port), timeout=10) as s:
        s.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        answer = b""
        try:
            for _ in range(40):  # 40 x 64 KiB: 2.6 MB, past the limit
                s.sendall(b"10000\r\n" + b" " * 65536 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 413 ")  # said before the connection closes, however much was sent
    still_serving(service)
    assert service.rss_kib() < (1_000_000 if SANITIZED else 200_000)


def test_a_byte_per_second_client_is_cut_off_and_holds_no_thread(service):
    # The service has 2 threads (one per core); three clients trickling their header a byte at a
    # time would hold every thread of a server that gave each connection one.
    def trickle(times):
        with socket.create_connection((service.host, service.port), timeout=30) as s:
            start = time.monotonic()
            try:
                for byte in b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n":
                    s.send(bytes([byte]))
                    time.sleep(0.25)
                    if time.monotonic() - start > 10:
                        break
                s.recv(1)  # the service closed it
            except (BrokenPipeError, ConnectionResetError):
                pass
            times.append(time.monotonic() - start)

    times = []
    slow = [threading.Thread(target=trickle, args=(times,)) for _ in range(3)]
    for t in slow:
        t.start()
    time.sleep(0.5)
    still_serving(service)
    for t in slow:
        t.join()
    # --header-timeout 2: cut off after 2 s, not after the 10 s it would take.
    assert len(times) == 3 and all(1.5 < t < 2 + 3 * SLOW for t in times), times
    # A body that does not come is cut off at --body-timeout.
    with socket.create_connection((service.host, service.port), timeout=30) as s:
        s.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        start = time.monotonic()
        answer = s.recv(65536)
        assert answer == b"" and 1.5 < time.monotonic() - start < 2 + 3 * SLOW  # closed: a 408 in the log
    still_serving(service)


def test_malformed_http_is_answered_and_closed(service):
    assert raw(service, b"GARBAGE\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert raw(service, b"GET / HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431 ")
    answer = raw(service, b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    # Two requests in one write (pipelining) are both answered, in order.
    one = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = raw(service, one + b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.count(b"HTTP/1.1 200 OK") == 2 and answer.index(b'"ok"') < answer.index(b'"ready"')
    still_serving(service)


def test_clients_that_leave_midway(service):
    # Each is computed whether or not its client stays: fewer under the sanitizers, which are slow.
    body = json.dumps({"date": DATE, "decisions": ["iuran_worker"], "cases": [WORKER] * (1000 if SANITIZED else 5000)}).encode()
    header = (b"POST /v1/explain HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
              + str(len(body)).encode() + b"\r\n\r\n")
    # Half a body, then gone.
    raw(service, header + body[: len(body) // 2], read=False)
    # The whole request, then gone before the answer is read: the answer is written into nothing.
    for _ in range(3):
        raw(service, header + body, read=False)
    with socket.create_connection((service.host, service.port), timeout=30 * SLOW) as s:
        s.sendall(header + body)
        s.recv(100)  # a first part of the answer, then gone
    still_serving(service)
    status, _, text = service.get("/metrics")
    assert status == 200


def test_past_max_concurrent_a_request_is_answered_503():
    s = Service("--max-concurrent", "1", "--access-log", "off")
    try:
        # 3 s of work in the normal build (the explanations of 10,000 cases).
        big = json.dumps({"date": DATE, "decisions": ["iuran_total", "iuran_employer", "iuran_worker"],
                          "cases": [WORKER] * (2000 if SANITIZED else 10000)})
        first = s.connection(timeout=120)
        first.request("POST", "/v1/explain", body=big, headers={"Content-Type": "application/json"})
        time.sleep(0.3 * SLOW)
        status, headers, body = s.post("/v1/evaluate", ASK)
        assert status == 503 and body["error"]["kind"] == "busy" and headers["Retry-After"] == "1"
        assert first.getresponse().status == 200
        still_serving(s)
        assert "kaidah_requests_busy_total 1" in s.get("/metrics")[2]
    finally:
        assert s.stop() == 0


def test_5000_connections_leave_the_service_serving_in_bounded_memory():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 5200:
        pytest.skip(f"this system allows {hard} open files; the test needs 5,200")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    s = Service("--header-timeout", "60", "--access-log", "off")
    sockets = []
    try:
        before = s.rss_kib()
        for _ in range(5000):
            sockets.append(socket.create_connection((s.host, s.port), timeout=10))
        # Half of them start a request and stall in its header.
        for c in sockets[::2]:
            c.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n")
        still_serving(s)
        deadline = time.monotonic() + 10 * SLOW
        # The 5,000, and the one asking (and still_serving's, if the service has not seen it leave).
        def open_now():
            text = s.get("/metrics")[2]
            return int(next(l for l in text.splitlines() if l.startswith("kaidah_connections_open ")).split()[1])
        while open_now() < 5001 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert 5001 <= open_now() <= 5002
        grown = s.rss_kib() - before
        assert grown < (2_000_000 if SANITIZED else 150_000), f"{grown} KiB for 5,000 connections"
    finally:
        for c in sockets:
            c.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    try:
        still_serving(s)
    finally:
        assert s.stop() == 0


def test_past_max_connections_a_connection_is_answered_503_and_closed():
    s = Service("--max-connections", "10", "--access-log", "off")
    held = [socket.create_connection((s.host, s.port), timeout=10) for _ in range(10)]
    try:
        time.sleep(0.2 * SLOW)
        answer = raw(s, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503 ") and b"too many connections" in answer
        body = answer.split(b"\r\n\r\n", 1)[1]
        assert json.loads(body)["error"]["kind"] == "busy"
    finally:
        for c in held:
            c.close()
    time.sleep(0.2 * SLOW)
    try:
        still_serving(s)
        assert "kaidah_connections_refused_total 1" in s.get("/metrics")[2]
    finally:
        assert s.stop() == 0


def stream_batch(service, lines, read_answers=True, stop_after=None):
    """Sends `lines` to /v1/batch in chunks from one thread while this one reads the answers, as a
    streaming host does. Returns (answer lines read, the service's largest RSS seen in KiB)."""
    sock = socket.create_connection((service.host, service.port), timeout=60)
    sock.sendall(b"POST /v1/batch?date=2026-11-24&decisions=iuran_total,iuran_worker HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
    largest = [service.rss_kib()]

    def send():
        try:
            part = []
            for i, line in enumerate(lines):
                part.append(line)
                if len(part) == 500:
                    data = ("\n".join(part) + "\n").encode()
                    sock.sendall(b"%x\r\n%s\r\n" % (len(data), data))
                    part = []
                    if i % 20000 < 500:
                        largest.append(service.rss_kib())
                    if stop_after is not None and i >= stop_after:
                        return
            data = ("\n".join(part) + "\n").encode() if part else b""
            sock.sendall((b"%x\r\n%s\r\n" % (len(data), data) if data else b"") + b"0\r\n\r\n")
        except OSError:
            pass

    sender = threading.Thread(target=send)
    sender.start()
    received = b""
    if read_answers:
        while chunk := sock.recv(1 << 20):
            received += chunk
            if stop_after is not None and received.count(b"\n") > stop_after:
                break
    sender.join()
    sock.close()
    return received, max(largest)


def test_a_long_streamed_batch_runs_in_bounded_memory():
    s = Service("--access-log", "off")
    try:
        n = 60_000 if SANITIZED else 300_000
        line = json.dumps(WORKER)
        before = s.rss_kib()
        received, largest = stream_batch(s, [line] * n)
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK") and b"Transfer-Encoding: chunked" in head
        assert body.endswith(b"0\r\n\r\n")  # the last chunk: the answer is whole
        assert body.count(b'"iuran_worker": "35000"') == n
        # ~70 MB in and ~40 MB out went through; the service held a chunk of rows at a time.
        assert largest - before < (400_000 if SANITIZED else 100_000), f"grew {largest - before} KiB"
        still_serving(s)
    finally:
        assert s.stop() == 0


def batch_statuses(service):
    text = service.get("/metrics")[2]
    return {status: int(n) for status, n in re.findall(r'kaidah_requests_total\{route="/v1/batch",status="(\w+)"\} (\d+)', text)}


def test_a_disconnect_in_the_middle_of_a_streamed_batch(service):
    line = json.dumps(WORKER)
    received, _ = stream_batch(service, [line] * 50_000, stop_after=10_000)
    assert b'"iuran_worker": "35000"' in received and not received.endswith(b"0\r\n\r\n")
    # Cut off before its end: counted as a client that left (499), never as answered.
    deadline = time.monotonic() + 10 * SLOW
    while "499" not in batch_statuses(service) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert batch_statuses(service) == {"499": 1}
    # Gone without reading: the service stops writing into nothing, and serves others.
    stream_batch(service, [line] * 20_000, read_answers=False)
    still_serving(service)


def test_a_host_that_waits_for_each_answer_gets_it(service):
    # A host that sends a line and waits for its answer before the next: each is answered at once,
    # not when 4,096 rows have come.
    with socket.create_connection((service.host, service.port), timeout=10) as s:
        s.sendall(b"POST /v1/batch?date=2026-11-24&decisions=iuran_worker HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
        got = b""
        for i in range(3):
            data = (json.dumps(dict(WORKER, wage=str(3_500_000 + 100 * i))) + "\n").encode()
            s.sendall(b"%x\r\n%s\r\n" % (len(data), data))
            while got.count(b'"line": ') <= i:
                got += s.recv(65536)
        s.sendall(b"0\r\n\r\n")
        while not got.endswith(b"0\r\n\r\n"):
            got += s.recv(65536)
    # 1% of 3,500,000, 3,500,100 and 3,500,200, rounded to whole rupiah: 35,000, 35,001, 35,002.
    assert re.findall(rb'"iuran_worker": "(\d+)"', got) == [b"35000", b"35001", b"35002"]


def test_a_chunk_of_failures_then_a_line_that_is_not_a_case(service):
    # 4,096 rows that each lack a fact (a chunk the batch finds failures in), then a last line that
    # is not JSON: that last chunk has no row for the batch, and must not read the chunk before's.
    lines = [json.dumps({"citizenship": "indonesian", "work_status": "self_employed", "enrolled_segment": "pbpu"})] * 4096
    received, _ = stream_batch(service, lines + ['{"wage": '])
    answers = [json.loads(l) for l in received.split(b"\r\n\r\n", 1)[1].decode().splitlines() if l.startswith("{")]
    assert len(answers) == 4097 and answers[-1]["error"]["kind"] == "malformed_json"
    assert all(a["errors"][0]["error"]["input"] == "kelas" for a in answers[:-1])
    # A line past the limit (1,000,000 bytes here) is answered with why, and the next one read.
    received, _ = stream_batch(service, ['{"wage": "' + "9" * 1_100_000 + '"}', json.dumps(WORKER)])
    body = received.split(b"\r\n\r\n", 1)[1]
    assert b'"kind": "line_too_long"' in body and b'"iuran_total": "175000"' in body
    still_serving(service)
