"""A local fake of MediaWiki's OAuth 2 provider (``Extension:OAuth``'s REST endpoints), for tests and demos.

It answers the three endpoints django-allauth's MediaWiki provider calls, under ``{base_url}/w/rest.php``:

* ``GET /oauth2/authorize?client_id=&redirect_uri=&response_type=code&state=``: the user's consent. The fake
  "user" is whoever the test put in ``server.next_user`` (a :class:`FakeOAuthUser`); it approves at once and
  redirects to ``redirect_uri`` with a one-time ``code`` and the ``state`` it was given. ``server.deny_next``
  makes it answer ``error=access_denied`` instead, as when a person presses "Cancel".
* ``POST /oauth2/access_token`` (``grant_type=authorization_code``, ``code``, ``client_id``, ``client_secret``,
  ``redirect_uri``): checks all of them, then returns a bearer token. A code is used once.
* ``GET /oauth2/resource/profile`` with ``Authorization: Bearer …``: the profile MediaWiki returns (``sub``,
  ``username``, ``realname``, ``email``, ``confirmed_email``, ``editcount``, ``blocked``, ``registered``,
  ``groups``, ``rights``, ``grants``).

Pure Python, no Django: it runs on 127.0.0.1 in a background thread (port 0 picks a free port).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

REST_PATH = "/w/rest.php"


@dataclass(frozen=True)
class FakeOAuthUser:
    username: str
    sub: int = 12345
    realname: str = ""
    email: str = ""
    confirmed_email: bool = False
    editcount: int = 42

    def profile(self) -> dict[str, Any]:
        return {
            "sub": str(self.sub),
            "username": self.username,
            "editcount": self.editcount,
            "confirmed_email": self.confirmed_email,
            "blocked": False,
            "registered": "20200101000000",
            "groups": ["*", "user", "autoconfirmed"],
            "rights": ["read", "edit"],
            "grants": ["basic"],
            "realname": self.realname,
            "email": self.email,
        }


@dataclass
class _Grant:
    user: FakeOAuthUser
    client_id: str
    redirect_uri: str


@dataclass
class FakeOAuthState:
    client_id: str
    client_secret: str
    next_user: FakeOAuthUser = field(default_factory=lambda: FakeOAuthUser("Example editor"))
    deny_next: bool = False
    codes: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, FakeOAuthUser] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    def do_GET(self) -> None:
        self._route("")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length).decode("utf-8"))

    def _route(self, body: str) -> None:
        split = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        form = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
        state = self.server.state
        with self.server.lock:
            state.requests.append((self.command, split.path))
            if split.path == REST_PATH + "/oauth2/authorize" and self.command == "GET":
                self._authorize(query)
            elif split.path == REST_PATH + "/oauth2/access_token" and self.command == "POST":
                self._access_token(form)
            elif split.path == REST_PATH + "/oauth2/resource/profile" and self.command == "GET":
                self._profile()
            else:
                self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        state = self.server.state
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != state.client_id or not redirect_uri.startswith(("http://", "https://")):
            self._json(400, {"error": "invalid_client"})
            return
        if query.get("response_type") != "code":
            self._json(400, {"error": "unsupported_response_type"})
            return
        separator = "&" if "?" in redirect_uri else "?"
        if state.deny_next:
            state.deny_next = False
            params = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(16)
            state.codes[code] = _Grant(state.next_user, state.client_id, redirect_uri)
            params = {"code": code, "state": query.get("state", "")}
        self.send_response(302)
        self.send_header("Location", redirect_uri + separator + urlencode(params))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _access_token(self, form: dict[str, str]) -> None:
        state = self.server.state
        grant = state.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or form.get("client_id") != state.client_id
            or form.get("client_secret") != state.client_secret
        ):
            self._json(401, {"error": "invalid_client"})
            return
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            self._json(400, {"error": "invalid_grant", "message": "The authorization code is invalid or used."})
            return
        token = secrets.token_urlsafe(24)
        state.tokens[token] = grant.user
        self._json(200, {"token_type": "Bearer", "expires_in": 14400, "access_token": token,
                         "refresh_token": secrets.token_urlsafe(24)})

    def _profile(self) -> None:
        header = self.headers.get("Authorization", "")
        user = self.server.state.tokens.get(header.removeprefix("Bearer ").strip()) if header.startswith(
            "Bearer ") else None
        if user is None:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, user.profile())

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: FakeOAuthState) -> None:
        self.state = state
        self.lock = threading.Lock()
        super().__init__(address, _Handler)


class FakeMediaWikiOAuth:
    """The fake provider; ``rest_api`` is what the MediaWiki provider's ``REST_API`` setting should point at."""

    def __init__(self, *, client_id: str = "fake-client", client_secret: str = "fake-secret",  # noqa: S107
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = FakeOAuthState(client_id=client_id, client_secret=client_secret)
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def rest_api(self) -> str:
        return f"http://{self.host}:{self.port}{REST_PATH}"

    @property
    def client_id(self) -> str:
        return self.state.client_id

    @property
    def client_secret(self) -> str:
        return self.state.client_secret

    def sign_in_as(self, user: FakeOAuthUser) -> None:
        """The next consent is given by this user."""
        self.state.next_user = user

    def deny_next(self) -> None:
        self.state.deny_next = True

    def start(self) -> FakeMediaWikiOAuth:
        self._server = _Server((self.host, self.port), self.state)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fake-oauth-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeMediaWikiOAuth:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
