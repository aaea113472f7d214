"""A local authorization server for the mail sign-in tests: Starlette on loopback, on the
real providers' paths, behaving as Microsoft's and Google's do as far as we rely on them.

Every guess about the real servers is in the table "What the tests assume about the
providers" in docs/mail.md; this server behaves as that table says.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

MICROSOFT_CLIENT = "11111111-2222-3333-4444-555555555555"
GOOGLE_CLIENT = "1234-abc.apps.googleusercontent.com"
GOOGLE_SECRET = "GOCSPX-desktop-secret"
MICROSOFT_SCOPES = {
    "https://outlook.office.com/SMTP.Send",
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "offline_access",
}
GOOGLE_SCOPES = {"https://mail.google.com/"}


@dataclass
class Issued:
    account: str
    client_id: str
    expired: bool = False


@dataclass
class AuthState:
    account: str
    expires_in: int = 3600
    rotate: bool = True
    #: A refresh token this long (characters), to try the keyring's limits.
    refresh_length: int = 40
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, Issued] = field(default_factory=dict)
    refresh: dict[str, Issued] = field(default_factory=dict)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (path, grant_type) of every token request, in order.
    requests: list[tuple[str, str]] = field(default_factory=list)
    #: Every access and refresh token ever issued, for the canary test.
    issued: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def valid(self, user: str, token: str) -> bool:
        with self.lock:
            issued = self.access.get(token)
            return issued is not None and not issued.expired and issued.account == user

    def expire_access_tokens(self) -> None:
        """The provider ends the access tokens early (it may): the next login is refused."""
        with self.lock:
            for issued in self.access.values():
                issued.expired = True

    def revoke(self) -> None:
        """The user or an admin withdrew consent: every token of the account dies."""
        with self.lock:
            self.refresh.clear()
            self.access.clear()

    def approve(self, user_code: str) -> None:
        with self.lock:
            for device in self.devices.values():
                if device["user_code"] == user_code:
                    device["approved"] = True

    def grants(self, grant_type: str) -> int:
        return sum(1 for _, g in self.requests if g == grant_type)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(account: str, client_id: str) -> str:
    header = _b64(json.dumps({"alg": "none"}).encode())
    claims = {"aud": client_id, "email": account, "preferred_username": account}
    return f"{header}.{_b64(json.dumps(claims).encode())}.sig"


def _error(code: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": code, "error_description": code}, status_code=status)


def create_app(state: AuthState) -> Starlette:
    def known_client(client_id: str, secret: str | None) -> bool:
        if client_id == MICROSOFT_CLIENT:
            return True
        return client_id == GOOGLE_CLIENT and secret in (None, GOOGLE_SECRET)

    def issue(issued: Issued, scope: str) -> JSONResponse:
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(state.refresh_length)[: state.refresh_length]
        state.issued += [access, refresh]
        state.access[access] = Issued(issued.account, issued.client_id)
        state.refresh[refresh] = Issued(issued.account, issued.client_id)
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": state.expires_in,
            "scope": scope,
            "refresh_token": refresh,
            "id_token": id_token(issued.account, issued.client_id),
        }
        return JSONResponse(body)

    async def authorize(request: Request) -> Response:
        q = request.query_params
        if not known_client(q.get("client_id", ""), None):
            return _error("unauthorized_client")
        redirect = q.get("redirect_uri", "")
        wanted = GOOGLE_SCOPES if q["client_id"] == GOOGLE_CLIENT else MICROSOFT_SCOPES
        if (
            not redirect.startswith("http://localhost:")
            or q.get("response_type") != "code"
            or q.get("code_challenge_method") != "S256"
            or not wanted <= set(q.get("scope", "").split())
        ):
            return _error("invalid_request")
        code = secrets.token_urlsafe(16)
        with state.lock:
            state.codes[code] = {
                "client_id": q["client_id"],
                "redirect_uri": redirect,
                "challenge": q.get("code_challenge", ""),
            }
        query = urlencode({"code": code, "state": q.get("state", "")})
        return RedirectResponse(f"{redirect}?{query}", status_code=302)

    async def token(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        grant = form.get("grant_type", "")
        state.requests.append((request.url.path, grant))
        client_id = form.get("client_id", "")
        if not known_client(client_id, form.get("client_secret")):
            return _error("invalid_client", 401)
        if client_id == GOOGLE_CLIENT and form.get("client_secret") != GOOGLE_SECRET:
            return _error("invalid_client", 401)
        with state.lock:
            return grant_answer(form, grant, client_id)

    def grant_answer(form: dict[str, str], grant: str, client_id: str) -> JSONResponse:
        scope = form.get("scope", "")
        if grant == "authorization_code":
            code = state.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            challenge = _b64(hashlib.sha256(verifier).digest())
            if (
                code is None
                or code["client_id"] != client_id
                or code["redirect_uri"] != form.get("redirect_uri")
                or code["challenge"] != challenge
            ):
                return _error("invalid_grant")
            return issue(Issued(state.account, client_id), scope)
        if grant == "refresh_token":
            old = form.get("refresh_token", "")
            issued = state.refresh.get(old)
            if issued is None or issued.client_id != client_id:
                return _error("invalid_grant")
            answer = issue(issued, scope)
            if state.rotate:
                del state.refresh[old]
            else:
                # Without rotation the answer carries no refresh token, as Google's does.
                data = json.loads(bytes(answer.body))
                state.refresh.pop(data.pop("refresh_token"))
                answer = JSONResponse(data)
            return answer
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            device = state.devices.get(form.get("device_code", ""))
            if device is None:
                return _error("expired_token")
            if not device["approved"]:
                return _error("authorization_pending")
            del state.devices[form["device_code"]]
            return issue(Issued(state.account, client_id), scope)
        return _error("unsupported_grant_type")

    async def devicecode(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("client_id") != MICROSOFT_CLIENT:
            return _error("unauthorized_client")
        device_code, user_code = secrets.token_urlsafe(24), secrets.token_hex(4).upper()
        with state.lock:
            state.devices[device_code] = {"user_code": user_code, "approved": False}
        return JSONResponse(
            {
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": "https://microsoft.com/devicelogin",
                "expires_in": 900,
                "interval": 0.05,
                "message": f"Open https://microsoft.com/devicelogin and enter {user_code}.",
            }
        )

    return Starlette(
        routes=[
            Route("/{tenant}/oauth2/v2.0/authorize", authorize),
            Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
            Route("/{tenant}/oauth2/v2.0/devicecode", devicecode, methods=["POST"]),
            Route("/o/oauth2/v2/auth", authorize),
            Route("/token", token, methods=["POST"]),
        ]
    )


class AuthServer:
    """The authorization server on a free loopback port, served by uvicorn in a thread."""

    def __init__(self, state: AuthState) -> None:
        self.auth = state
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(
            create_app(state), log_config=None, access_log=False, lifespan="off", http="h11"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
