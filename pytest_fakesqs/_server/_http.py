"""The HTTP server: routing, protocol choice, body limits, and the FakeSQSServer handle.

Each connection gets a thread (``ThreadingHTTPServer``), kept alive between requests. Once its
body is read, an SQS request is answered by ``_exchange`` (decode, ``Engine.handle``, encode).
Paths under ``/_fakesqs/`` are the control plane (``_control``), not SQS.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from .. import _errors
from .._engine import Engine
from . import _control, _exchange, _models
from . import _wire_errors as wire
from ._request_log import RequestLog

if TYPE_CHECKING:
    from .._fake import FakeSQS

#: Largest request body served. SQS takes 1 MiB of message payload per call; a query-encoded
#: batch of non-ASCII text can be three times that, plus the form's keys.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: An oversized body up to this many times the limit is read and dropped, so the client gets
#: the error on a connection still usable; beyond, the connection is closed after the error.
_DRAIN_FACTOR = 4
#: How long stop() waits for each connection's thread to finish, in real seconds.
_STOP_JOIN_SECONDS = 5.0


class FakeSQSServer:
    """A localhost HTTP endpoint for one `FakeSQS`: subprocesses,
    the AWS CLI, other SDKs and boto 2 reach the same queues, on the same clock, as the test.

    Made by `FakeSQS.serve()` or the `fake_sqs_server`
    fixture; the constructor is private. Speaks SQS's JSON protocol and its query protocol
    (XML responses). Use it as a context manager, or call `stop()`:

    ```python
    with mock_sqs() as fake, fake.serve() as server:
        subprocess.run([sys.executable, "producer.py"], env={**os.environ, **server.env()})
        assert fake.queue("jobs").messages
    ```
    """

    def __init__(
        self,
        fake: FakeSQS,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        max_body_bytes: int = MAX_BODY_BYTES,
        request_log: TextIO | None = None,
    ) -> None:
        fake.engine  # noqa: B018 -- fails now, with a clear message, if the fake is not active
        # Both models load now, not inside the first request.
        _models.json_model()
        _models.query_model()
        self._fake = fake
        self.region = region
        """The region of requests whose signature names none."""
        log = None if request_log is None else RequestLog(request_log)
        self._httpd = _Server((host, port), fake, region, max_body_bytes, log)
        self.host: str = host
        """The address the server listens on."""
        self.port: int = self._httpd.server_address[1]
        """The port the server listens on (the one chosen by the system for `port=0`)."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"pytest-fakesqs server :{self.port}",
            daemon=True,
        )
        self._thread.start()
        # Its accept loop never acts on the fake: long polls need not wait for it (its
        # connections' threads, which do, count as soon as they serve a call).
        fake.engine.polls.exempt(self._thread)
        self._stopped = False

    @property
    def endpoint_url(self) -> str:
        """`http://HOST:PORT`: the `endpoint_url` to give clients."""
        return _endpoint_url(self.host, self.port)

    def env(self, *, global_endpoint: bool = False) -> dict[str, str]:
        """Environment variables that point an AWS SDK or the AWS CLI in a subprocess at this
        server, with dummy credentials: `subprocess.run(..., env={**os.environ, **server.env()})`.

        Only SQS's endpoint is set (`AWS_ENDPOINT_URL_SQS`): the subprocess's S3, SNS or other
        calls keep their own endpoints. `global_endpoint=True` also sets `AWS_ENDPOINT_URL`,
        which sends every service without an endpoint of its own to this server: only for a
        tool that reads no service-specific variable.
        """
        env = {
            "AWS_ENDPOINT_URL_SQS": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }
        if global_endpoint:
            env["AWS_ENDPOINT_URL"] = self.endpoint_url
        return env

    @property
    def running(self) -> bool:
        """Whether the server is accepting requests: True until `stop()`."""
        return not self._stopped

    def stop(self) -> None:
        """Close the socket and every connection; long polls waiting in the server's threads
        return at once (empty). The fake itself stays active. Does nothing the second time."""
        if self._stopped:
            return
        self._stopped = True
        engine = self._fake._engine
        self._httpd.shutdown()
        self._httpd.server_close()
        threads = self._httpd.close_connections()
        idents = [thread.ident for thread in threads if thread.ident is not None]
        if engine is not None:
            # Only the server's own polls end: the test's keep waiting as before.
            engine.end_long_polls(threads=idents)
        try:
            for thread in threads:
                thread.join(_STOP_JOIN_SECONDS)  # real-time: a handler finishing its answer
            self._thread.join(_STOP_JOIN_SECONDS)  # real-time: serve_forever's last poll
        finally:
            if engine is not None:
                engine.resume_long_polls(idents)

    def __enter__(self) -> FakeSQSServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<FakeSQSServer {self.endpoint_url} {state}>"


def _endpoint_url(host: str, port: int) -> str:
    """The URL clients reach a server listening on ``host:port`` at (a wildcard address is
    reached on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        fake: FakeSQS,
        region: str,
        max_body_bytes: int,
        request_log: RequestLog | None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.fake = fake
        self.default_region = region
        self.max_body_bytes = max_body_bytes
        self.request_log = request_log
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)
        #: For requests without a Host header (HTTP/1.0): the URL clients were given.
        self.endpoint = _endpoint_url(address[0], self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"pytest-fakesqs connection {client_address}",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except OSError:
            pass  # the client went away, or stop() closed the connection
        finally:
            with self._connections_lock:
                self._connections.pop(request, None)
            self.shutdown_request(request)

    def close_connections(self) -> list[threading.Thread]:
        """Stop reading from every open connection; their threads, to join."""
        with self._connections_lock:
            connections = dict(self._connections)
        for connection in connections:
            # Reading ends (an idle keep-alive connection sees EOF); an answer being written
            # still goes out.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RD)
        return list(connections.values())

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # never a traceback on stderr: errors are answered in _Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def version_string(self) -> str:
        return "pytest-fakesqs"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _other_method(self) -> None:
        if _control.is_control_path(urlsplit(self.path).path):
            self._serve()  # a JSON 405 naming the method the path takes
        else:
            # As BaseHTTPRequestHandler answers a method it has no do_ method for.
            self.send_error(501, f"Unsupported method ({self.command!r})")

    do_PUT = do_DELETE = do_PATCH = _other_method

    def _serve(self) -> None:
        path = urlsplit(self.path).path
        if _control.is_control_path(path):
            self._serve_control(path)
            return
        server = self.server
        engine = server.fake._engine
        try:
            body = self._read_body()
        except _errors.SQSError as error:
            reply = _exchange.error_answer(engine, _exchange.is_json_protocol(self.headers), error)
        else:
            reply = _exchange.answer(
                engine,
                path=self.path,
                headers=self.headers,
                body=body,
                default_region=server.default_region,
                endpoint=self._endpoint(),
            )
        log = server.request_log
        if log is not None:
            # Before the answer: a client that has its answer finds the line written.
            log.sqs_call(
                self._now(engine), reply.operation, reply.params, reply.status, reply.parsed
            )
        self._send(reply.status, reply.headers, reply.body)

    def _serve_control(self, path: str) -> None:
        try:
            body = self._read_body()
        except _errors.SQSError as error:  # too large, or not readable as HTTP
            kind = error.kind
            answer = _control.error_answer(
                _control.ControlError(kind.status, kind.code, error.message)
            )
        else:
            answer = _control.answer(self.server.fake, self.command, path, body, self._endpoint())
        log = self.server.request_log
        if log is not None:
            refusal = answer.body.get("error")
            code = None if refusal is None else refusal["code"]
            log.control(
                self._now(self.server.fake._engine), self.command, path, answer.status, code
            )
        headers = {"Content-Type": _control.CONTENT_TYPE, **answer.headers}
        self._send(answer.status, headers, answer.encode())

    @staticmethod
    def _now(engine: Engine | None) -> float:
        return time.time() if engine is None else engine.clock.now()

    # --- requests -----------------------------------------------------------------------

    def _read_body(self) -> bytes:
        limit = self.server.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise wire.invalid_http(f"bad Content-Length {length_header!r}") from None
        if length > limit:
            if length <= limit * _DRAIN_FACTOR:
                remaining = length
                while remaining:
                    chunk = self.rfile.read(min(remaining, 65536))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            else:
                self.close_connection = True
            raise wire.too_large(length, limit)
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            raise wire.invalid_http("the body ended before its Content-Length")
        return body

    def _read_chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        size_so_far = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise wire.invalid_http("a malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers
                    pass
                return b"".join(parts)
            size_so_far += size
            if size_so_far > limit:
                self.close_connection = True
                raise wire.too_large(size_so_far, limit)
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _endpoint(self) -> str:
        host = self.headers.get("Host")
        if host:
            return f"http://{host}"
        return self.server.endpoint

    # --- responses ----------------------------------------------------------------------

    def _send(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
