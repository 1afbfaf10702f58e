"""POST /v1/batch with a roster (Content-Type: text/csv): the CSV `kaidah sweep` reads, streamed to
the service and answered as the sweep's people.csv, row for row. Every way a spreadsheet writes the
bundled roster (test_roster_faults.py's matrix) must give the sweep's own people.csv for the same
bytes, or the sweep's located error; never other answers with a 200."""

import csv
import io
import re
import socket
import subprocess
import threading
import time

import pytest

import test_roster_faults as faults
from serve_client import SANITIZED, Service

DATE = "2026-11-24"


@pytest.fixture(scope="module")
def service():
    s = Service("--access-log", "off")
    yield s
    assert s.stop() == 0


def dechunked(body: bytes):
    """A chunked body's data, and whether it ended with its last chunk (the answer is whole)."""
    data = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        if not size_line or not rest and size_line != b"0":
            return data, False
        size = int(size_line, 16)
        if size == 0:
            return data, True
        data += rest[:size]
        body = rest[size + 2:]
    return data, False


def csv_batch(service, data: bytes, query=f"date={DATE}", content_type="text/csv", piece=None):
    """(status, headers, body, whole): `data` sent with a Content-Length, or chunked in pieces of
    `piece` bytes; the answer read to its end, de-chunked."""
    head = f"POST /v1/batch?{query} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
    with socket.create_connection((service.host, service.port), timeout=60) as s:
        if piece is None:
            s.sendall(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
        else:
            s.sendall(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
            for at in range(0, len(data), piece):
                part = data[at:at + piece]
                s.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            s.sendall(b"0\r\n\r\n")
        received = b""
        while chunk := s.recv(1 << 16):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(l.split(": ", 1)) for l in lines[1:]]
    if dict(headers).get("Transfer-Encoding") == "chunked":
        body, whole = dechunked(body)
    else:
        whole = True
    return status, headers, body, whole


def swept(tmp_path, data: bytes, *options):
    """The sweep's people.csv for `data`, or its error."""
    run, out = faults.sweep(tmp_path, data, *options)
    people = out / "people.csv"
    return (people.read_bytes() if people.exists() else None), run


@pytest.mark.parametrize("name", faults.SAME_PEOPLE)
def test_a_roster_as_a_spreadsheet_writes_it_is_answered_as_the_sweep_answers_it(name, service, tmp_path):
    data = faults.SAME_PEOPLE[name]
    status, headers, body, whole = csv_batch(service, data)
    assert status == 200 and whole and ("Content-Type", "text/csv; charset=utf-8") in headers
    people, run = swept(tmp_path, data)
    assert body == people
    # The bundled roster's first worker, worked by hand in test_cli.py: iuran_total 190,000.
    assert body.split(b"\n")[1].startswith(b"2,KDMP-0000001,Tono Hidayat,true,true,ppu_badan_usaha,employer,ppu_badan_usaha,"
                                           b"employer_and_worker,190000,152000,38000,")


def test_pieces_of_any_size_give_the_same_answer(service, tmp_path):
    # The body cut anywhere (inside a field, between CR and LF, inside a UTF-8 character) is read
    # as the whole: the roster's reader takes what the network gives as it comes.
    table = faults.rows()
    table[5][1] = "José Ramos-Horta"
    data = faults.BOM + faults.written(table, lineterminator="\r\n")
    people, _ = swept(tmp_path, data)
    for piece in (1, 7, 4096):
        status, _, body, whole = csv_batch(service, data, piece=piece)
        assert status == 200 and whole and body == people, piece
    assert "José Ramos-Horta" in body.decode()


def test_an_indonesian_spreadsheet_is_read_as_the_sweep_reads_it(service, tmp_path):
    data = faults.written(faults.indonesian(faults.rows()), delimiter=";", lineterminator="\r\n")
    people, _ = swept(tmp_path, data)
    assert people == swept(tmp_path, faults.PLAIN)[0]  # person for person the plain roster's answers
    status, headers, body, whole = csv_batch(service, data)  # ';' seen from the header line, and said
    assert status == 200 and whole and body == people
    assert any(k == "Kaidah-Notes" and v.startswith("read as a spreadsheet set to Indonesian saves it")
               and v.endswith("; locale=en to refuse that reading") for k, v in headers)
    assert csv_batch(service, data, query=f"date={DATE}&locale=id")[2] == people
    # Told it is not: refused before any answer, with the sweep's located error.
    status, _, body, _ = csv_batch(service, data, query=f"date={DATE}&locale=en")
    assert status == 422 and b'"kind": "bad_roster"' in body and b"roster:1:1: error: the columns are separated by ';'" in body
    assert b"locale=id reads it that way" in body  # the query's way, not the sweep's --locale
    # A number written neither way is refused alone, as in the sweep (test_roster_faults.py).
    table = faults.indonesian(faults.rows())
    table[2][table[0].index("wage")] = "3.5"
    data = faults.written(table, delimiter=";", lineterminator="\n")
    body = csv_batch(service, data)[2]
    assert body == swept(tmp_path, data)[0]
    row = next(r for r in csv.DictReader(io.StringIO(body.decode())) if r["line"] == "3")
    assert row["error"] == ("input 'wage': '3.5' is not a number written the Indonesian way (3.500.000 or 3.500.000,50)"
                            " (no iuran_total, iuran_employer, iuran_participant)") and row["iuran_total"] == ""


def test_windows_1252_is_read_when_its_charset_says_so(service, tmp_path):
    table = faults.rows()
    table[3][1] = "José Ramos-Horta"
    data = faults.written(table, lineterminator="\r\n").decode().encode("cp1252")
    status, _, body, whole = csv_batch(service, data, content_type="text/csv; charset=windows-1252")
    assert status == 200 and whole and body == swept(tmp_path, data, "--encoding", "windows-1252")[0]
    assert "José Ramos-Horta" in body.decode()
    status, _, body, _ = csv_batch(service, data, content_type="text/csv; charset=iso-8859-15")
    assert status == 415 and b"utf-8 or windows-1252" in body


def test_bytes_that_are_not_text_stop_the_answer_where_they_are(service, tmp_path):
    # Not UTF-8 at line 4 (José in Windows-1252, charset not said): the sweep refuses the whole
    # roster there. The stream has answered lines 2 and 3 already; its last row says why the rest
    # is not read, and the answer ends without its last chunk, so that no client takes it as whole.
    table = faults.rows()
    table[3][1] = "José Ramos-Horta"
    data = faults.written(table, lineterminator="\r\n").decode().encode("cp1252")
    _, run = swept(tmp_path, data)
    assert b"roster.csv:4:17: error: not UTF-8 text (byte 0xE9)" in run.stderr
    status, _, body, whole = csv_batch(service, data)
    assert status == 200 and not whole
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert [r[0] for r in rows[1:]] == ["2", "3", ""]
    assert rows[-1][-1] == "roster:4:17: error: not UTF-8 text (byte 0xE9); save the file as UTF-8; the rest of the roster is not read"
    assert rows[1] == list(csv.reader(io.StringIO(swept(tmp_path, faults.PLAIN)[0].decode())))[1]
    # Counted as a request that could not be processed, never as answered.
    deadline = time.monotonic() + 10
    while 'route="/v1/batch",status="422"' not in service.get("/metrics")[2] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 'route="/v1/batch",status="422"' in service.get("/metrics")[2]


@pytest.mark.parametrize("header, says", [
    ("id,name,kelass,last_month_paid", "roster:1:9: error: column 'kelass' is not an input of jkn; did you mean 'kelas'?"),
    ("id,name,kelas,kelas", "roster:1:15: error: column 'kelas' appears twice (columns 3 and 4)"),
    ("", "roster:1:1: error: the roster is empty"),
])
def test_a_roster_whose_header_is_wrong_is_refused_before_any_answer(service, header, says):
    status, headers, body, _ = csv_batch(service, (header + "\n1,Ani,kelas_3,2026-10\n").encode() if header else b"")
    assert status == 422 and says in body.decode(), body
    assert ("Content-Type", "application/json") in headers


def test_the_columns_ignored_are_said_in_one_header(service):
    status, headers, body, _ = csv_batch(service, b"id,catatan,kelas\n1,x,kelas_3\n", query=f"date={DATE}&decisions=iuran_total")
    assert status == 200 and ("Kaidah-Notes", "column 'catatan' is not an input of jkn; it is ignored") in headers
    assert body.decode().splitlines()[0] == "line,id,name,iuran_total,error"
    # An export with 150 columns beside the inputs: one header, of at most 4 KiB, that says how many
    # more there are (a client reads 100 headers at most, http.client among them).
    extra = ",".join(f"kolom_tambahan_{i}" for i in range(150))
    data = faults.PLAIN.replace(b"\n", b"," * 150 + b"\n")
    data = data.replace(b"," * 150, b"," + extra.encode(), 1)
    status, headers, body, whole = csv_batch(service, data)
    notes = [v for k, v in headers if k.startswith("Kaidah")]
    assert status == 200 and whole and len(notes) == 1 and len(notes[0]) <= 4200
    assert notes[0].startswith("column 'kolom_tambahan_0' is not an input of jkn; it is ignored | ")
    assert re.search(r" \| and \d+ more$", notes[0])
    assert body.count(b"\n") == 321


def test_a_client_that_sends_all_before_reading_sees_why_the_answer_stopped(service):
    # Bytes that are not text on line 5 of a 10 MB roster: the answer stops there, and the rest of
    # the body is read and dropped, so that a client that sends it all before it reads (as
    # http.client and requests do) gets the answer and its last row, not a reset connection.
    table = faults.rows()
    table[4][1] = "José"
    data = faults.written(table, lineterminator="\n").decode().encode("cp1252")
    data += faults.PLAIN.split(b"\n", 1)[1] * 30
    assert len(data) > 1_000_000
    conn = service.connection(timeout=30)
    conn.request("POST", f"/v1/batch?date={DATE}", body=data, headers={"Content-Type": "text/csv"})
    response = conn.getresponse()
    assert response.status == 200
    with pytest.raises(Exception):  # IncompleteRead: the answer has no last chunk
        response.read()
    conn.close()
    status, _, body, whole = csv_batch(service, data)
    assert status == 200 and not whole and body.decode().splitlines()[-1].endswith(
        "roster:5:17: error: not UTF-8 text (byte 0xE9); save the file as UTF-8; the rest of the roster is not read")


def test_a_rulebooks_work_lists_are_evaluated_as_the_sweep_does(tmp_path, service):
    # The sweep also evaluates what its work lists read, and says a failure that blanks only a
    # list's condition ("needs last_month_paid, not given (no suspended)"); the stream, answering
    # the same roster, says it too (a rulebook whose list reads a decision that is no output).
    import shutil
    rules = tmp_path / "mini"
    shutil.copytree(faults.ROOT / "examples" / "mini-jkn", rules)
    book = (rules / "rulebook.yaml").read_text()
    book += "\noutputs: [iuran_employer]\nreport:\n  work_lists:\n    suspended:\n      when: suspended\n      columns: [iuran_employer]\n      label: {en: Suspended}\n"
    (rules / "rulebook.yaml").write_text(book)
    data = b"id,segment,wage,minimum_wage\na,ppu,3500000,2500000\n"
    (tmp_path / "roster.csv").write_bytes(data)
    run = subprocess.run([faults.KAIDAH, "sweep", str(rules), str(tmp_path / "roster.csv"), "--date", DATE, "--out",
                          str(tmp_path / "out")], capture_output=True)
    people = (tmp_path / "out" / "people.csv").read_bytes()
    assert b"(no suspended)" in people, run.stderr
    s = Service(str(rules), "--access-log", "off")
    try:
        assert csv_batch(s, data)[2] == people
    finally:
        assert s.stop() == 0


def test_the_query_is_checked_before_the_roster_is_read(service):
    for query, status, says in [
        (f"date={DATE}&locale=fr", 400, "locale: expected id"),
        (f"date={DATE}&decisions=iuran_totl", 400, "did you mean 'iuran_total'?"),
        ("decisions=iuran_total", 400, "date: required"),
    ]:
        got, _, body, _ = csv_batch(service, faults.PLAIN, query=query)
        assert got == status and says in body.decode(), body


def test_decisions_asked_are_the_answer_columns(service):
    data = b"id,citizenship,work_status,employer_type,enrolled_segment,wage,minimum_wage\n" \
           b"w1,indonesian,employee,cooperative,ppu_badan_usaha,3500000,2500000\n"
    status, _, body, whole = csv_batch(service, data, query=f"date={DATE}&decisions=iuran_total,iuran_participant")
    # A Kopdes worker on Rp 3,500,000: 5% of wage (Perpres 64/2020 Pasal 30 ayat (1)), 175,000;
    # the worker's 1% (Pasal 30 ayat (2) huruf b), 35,000.
    assert status == 200 and whole and body == b"line,id,name,iuran_total,iuran_participant,error\n2,w1,,175000,35000,\n"


def test_a_host_that_waits_for_each_row_gets_its_answer(service):
    with socket.create_connection((service.host, service.port), timeout=10) as s:
        s.sendall(b"POST /v1/batch?date=2026-11-24&decisions=iuran_participant HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
        rows = [b"id,citizenship,work_status,employer_type,enrolled_segment,wage,minimum_wage\r\n"]
        rows += [b"w%d,indonesian,employee,cooperative,ppu_badan_usaha,%d,2500000\r\n" % (i, 3_500_000 + 100 * i) for i in range(3)]
        got = b""
        for i, row in enumerate(rows):
            s.sendall(b"%x\r\n%s\r\n" % (len(row), row))
            while got.count(b",w") < i:  # row i's answer ("2,w0,,35000,"), before the next row is sent
                got += s.recv(65536)
        s.sendall(b"0\r\n\r\n")
        while not got.endswith(b"0\r\n\r\n"):
            got += s.recv(65536)
    # 1% of 3,500,000, 3,500,100 and 3,500,200, rounded to whole rupiah: 35,000, 35,001, 35,002.
    assert re.findall(rb"\n\d,w\d,,(\d+),", dechunked(got.partition(b"\r\n\r\n")[2])[0]) == [b"35000", b"35001", b"35002"]


def test_a_long_roster_is_answered_whole_and_in_order(service, tmp_path):
    data = faults.copies_of_the_roster()  # 25,600 people: several chunks of 4,096
    status, _, body, whole = csv_batch(service, data, piece=100_000)
    assert status == 200 and whole and body == swept(tmp_path, data)[0]
    assert body.count(b"\n") == 25_601


def test_clients_that_leave_midway_leave_no_stream_behind(service):
    data = faults.copies_of_the_roster()
    for leave_after in (10, 300_000, len(data) // 2):
        with socket.create_connection((service.host, service.port), timeout=10) as s:
            s.sendall(f"POST /v1/batch?date={DATE} HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                      f"Content-Length: {len(data)}\r\n\r\n".encode() + data[:leave_after])
            time.sleep(0.2)
    deadline = time.monotonic() + (40 if SANITIZED else 10)
    while "kaidah_requests_in_flight 0" not in service.get("/metrics")[2] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "kaidah_requests_in_flight 0" in service.get("/metrics")[2]
    status, _, body, whole = csv_batch(service, faults.PLAIN)
    assert status == 200 and whole and body.count(b"\n") == 321


def test_a_stream_counts_against_max_concurrent():
    s = Service("--access-log", "off", "--max-concurrent", "1")
    try:
        with socket.create_connection((s.host, s.port), timeout=10) as open_stream:
            open_stream.sendall(f"POST /v1/batch?date={DATE} HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                                f"Transfer-Encoding: chunked\r\n\r\n".encode())
            time.sleep(0.2)
            status, headers, body, _ = csv_batch(s, faults.PLAIN)
            assert status == 503 and ("Retry-After", "1") in headers and b"--max-concurrent" in body
        deadline = time.monotonic() + 10
        while csv_batch(s, faults.PLAIN)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert csv_batch(s, faults.PLAIN)[0] == 200
    finally:
        assert s.stop() == 0


def stream_measured(data: bytes):
    """`data` streamed to a fresh service while its answer is read: (the answer de-chunked, whether
    it is whole, how much the service's resident memory grew at most, in KiB)."""
    s = Service("--access-log", "off")
    try:
        before = s.rss_kib()
        largest = [before]
        with socket.create_connection((s.host, s.port), timeout=60) as conn:
            conn.sendall(f"POST /v1/batch?date={DATE} HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                         f"Content-Length: {len(data)}\r\n\r\n".encode())
            sender = threading.Thread(target=lambda: conn.sendall(data))
            sender.start()
            received = bytearray()
            while chunk := conn.recv(1 << 20):
                received += chunk
                largest.append(s.rss_kib())
            sender.join()
        answer, whole = dechunked(bytes(received).partition(b"\r\n\r\n")[2])
        return answer, whole, max(largest) - before
    finally:
        assert s.stop() == 0


def test_a_long_roster_streams_in_bounded_memory():
    header, body = faults.PLAIN.split(b"\n", 1)
    copies = 190 if SANITIZED else 940  # 60,800 or 300,800 people, about 51 MB
    answer, whole, grew = stream_measured(header + b"\n" + body * copies)
    assert whole and answer.count(b"\n") == 320 * copies + 1
    # Every copy of Tono Hidayat's row is answered as the first (iuran_total 190,000).
    assert answer.count(b",Tono Hidayat,true,true,ppu_badan_usaha,employer,ppu_badan_usaha,employer_and_worker,190000,") == copies
    # ~51 MB in and ~60 MB out went through; the service held a few chunks of rows at a time.
    assert grew < (400_000 if SANITIZED else 70_000), f"grew {grew} KiB"


def test_long_rows_are_answered_in_chunks_of_bounded_bytes():
    # Rows of 16 KB (a column of notes the rulebook ignores): a chunk is answered when its rows
    # pass 8 MiB, not only at 4,096 rows, so that memory holds a few chunks of bytes, not of rows.
    header, body = faults.PLAIN.split(b"\n", 1)
    rows = [line + b"," + b"x" * 16_000 for line in body.split(b"\n") if line]
    copies = 8 if SANITIZED else 20
    answer, whole, grew = stream_measured(header + b",catatan\n" + b"\n".join(rows * copies) + b"\n")  # 40 or 100 MB
    assert whole and answer.count(b"\n") == len(rows) * copies + 1
    # Three chunks of 8 MiB, and their rows' room: well under the 100 MB that went through. (Under
    # AddressSanitizer what is freed waits in its quarantine, up to 256 MB, before it is reused.)
    assert grew < (400_000 if SANITIZED else 70_000), f"grew {grew} KiB"
