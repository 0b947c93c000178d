"""Signing in to the dashboard: the login page (rate-limited), sessions in a cookie, CSRF
tokens, and the FastAPI dependencies every page and API route takes.

- The session cookie is HttpOnly, SameSite=Lax, and Secure when the request came over
  HTTPS (or ``secure_cookies=True``, for a server behind a TLS proxy).
- Form posts carry the session's CSRF token in a hidden ``csrf`` field; JSON API posts
  carry it in the ``X-CSRF-Token`` header (``/api/me`` tells a script its token). The
  login form, which has no session yet, uses a double-submit cookie instead.
- A route about a store takes ``StoreApi``/``StorePage``: a store not granted is a
  403 on the API (and on ``/events``) and a 403 page, never its data.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

import sqlalchemy as sa
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from fleet.services import users
from fleet.services.users import Access, AccessDenied, Session

COOKIE = "fleet_session"
LOGIN_COOKIE = "fleet_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
Page = Callable[..., HTMLResponse]


class LoginRequired(Exception):  # noqa: N818 (a signal to the handler, not an error)
    """A page asked for without a session: the handler sends the browser to /login."""


class LoginLimiter:
    """At most ``attempts`` failed logins per name and per client address within
    ``window_s``; past that, logins from them are refused until the window moves on."""

    def __init__(self, attempts: int = 5, window_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.attempts, self.window_s, self.clock = attempts, window_s, clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= self.clock() - self.window_s:
            stamps.popleft()
        return stamps

    def blocked(self, name: str, client: str) -> bool:
        keys = (f"name:{name.lower()}", f"client:{client}")
        return any(len(self._recent(k)) >= self.attempts for k in keys)

    def failed(self, name: str, client: str) -> None:
        for key in (f"name:{name.lower()}", f"client:{client}"):
            self._recent(key).append(self.clock())


def session_of(request: Request, engine: sa.Engine) -> Session | None:
    """The request's live session (looked up once per request)."""
    if hasattr(request.state, "session"):
        found: Session | None = request.state.session
        return found
    token = request.cookies.get(COOKIE, "")
    found = None
    if token:
        with engine.connect() as conn:
            found = users.find_session(conn, token)
    request.state.session = found
    return found


def _safe_next(target: str) -> str:
    """Only a path on this site (never ``//host`` or a full URL) to go to after login."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _engine(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.fleet_engine
    return engine


def api_access(request: Request) -> Access:
    """Any signed-in caller of the API (401 otherwise)."""
    session = session_of(request, _engine(request))
    if session is None:
        raise HTTPException(status_code=401, detail="sign in first (POST /login)")
    return session.access


def page_access(request: Request) -> Access:
    """Any signed-in person; a browser without a session goes to the login page."""
    session = session_of(request, _engine(request))
    if session is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(request.url.path + query)
    return session.access


ApiAccess = Annotated[Access, Depends(api_access)]
PageAccess = Annotated[Access, Depends(page_access)]


def store_api(store: str, access: ApiAccess) -> Access:
    access.check_store(store)
    return access


def store_page(store: str, access: PageAccess) -> Access:
    access.check_store(store)
    return access


def api_csrf(request: Request, access: ApiAccess) -> Access:
    """A signed-in API caller whose post carries the session's token in the header."""
    session = session_of(request, _engine(request))
    sent = request.headers.get(CSRF_HEADER, "")
    if session is None or not hmac.compare_digest(sent, session.csrf):
        raise HTTPException(status_code=403, detail=f"missing or wrong {CSRF_HEADER} header")
    return access


StoreApi = Annotated[Access, Depends(store_api)]  # the path's {store} granted, API
StorePage = Annotated[Access, Depends(store_page)]  # the path's {store} granted, page
CsrfApi = Annotated[Access, Depends(api_csrf)]  # signed in, with the CSRF header


def add_auth(
    app: FastAPI,
    engine: sa.Engine,
    page: Page,
    *,
    limiter: LoginLimiter | None = None,
    secure_cookies: bool = False,
) -> None:
    """The login routes and the handlers that turn a refusal into a page or a 403."""
    app.state.fleet_engine = engine
    _add_handlers(app, page)
    _add_login(app, engine, page, limiter or LoginLimiter(), secure_cookies)
    _add_session_routes(app, engine)


def _add_handlers(app: FastAPI, page: Page) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        lang = request.query_params.get("lang", "")
        target = f"/login?next={quote(str(exc), safe='')}" + (
            f"&lang={quote(lang)}" if lang else ""
        )
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(AccessDenied)
    async def denied(request: Request, exc: AccessDenied) -> Response:
        if request.url.path.startswith(("/api/", "/events")):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return page(request, "denied.html", status_code=403)


def _add_login(
    app: FastAPI, engine: sa.Engine, page: Page, limiter: LoginLimiter, secure_cookies: bool
) -> None:
    def login_form(
        request: Request, error: str = "", next_url: str = "/", status: int = 200
    ) -> HTMLResponse:
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        response = page(request, "login.html", error=error, next_url=_safe_next(next_url),
                        login_csrf=token, status_code=status)  # fmt: skip
        secure = secure_cookies or request.url.scheme == "https"
        response.set_cookie(
            LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/login"
        )
        return response

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        return login_form(request, next_url=next)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        fields = {
            k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()
        }
        name, password = fields.get("name", "").strip(), fields.get("password", "")
        next_url = _safe_next(fields.get("next", "/"))
        cookie_token = request.cookies.get(LOGIN_COOKIE, "")
        if not cookie_token or not hmac.compare_digest(fields.get("csrf", ""), cookie_token):
            return login_form(request, "expired_form", next_url, 403)
        client = request.client.host if request.client else "?"
        if limiter.blocked(name, client):
            return login_form(request, "too_many_logins", next_url, 429)

        def check() -> Session | None:
            with engine.begin() as conn:
                access = users.authenticate(conn, name, password)
                return users.open_session(conn, access) if access is not None else None

        session = await run_in_threadpool(check)
        if session is None:
            limiter.failed(name, client)
            return login_form(request, "bad_login", next_url, 401)
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(
            COOKIE, session.token, max_age=users.SESSION_DAYS * 86400, httponly=True,
            samesite="lax", secure=secure_cookies or request.url.scheme == "https",
        )  # fmt: skip
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response


def _add_session_routes(app: FastAPI, engine: sa.Engine) -> None:
    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        session = await run_in_threadpool(session_of, request, engine)
        if session is not None and hmac.compare_digest(fields.get("csrf", [""])[0], session.csrf):

            def close() -> None:
                with engine.begin() as conn:
                    users.close_session(conn, session.token)

            await run_in_threadpool(close)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/api/me", summary="Who is signed in, their role, stores and CSRF token")
    def me(request: Request, access: ApiAccess) -> dict[str, Any]:
        session = session_of(request, engine)
        assert session is not None  # api_access found it
        stores = None if access.stores is None else sorted(access.stores)
        return {"user": access.user, "role": access.role, "stores": stores, "csrf": session.csrf}


def check_form_csrf(request: Request, engine: sa.Engine, fields: dict[str, list[str]]) -> None:
    """A form post must carry its session's token (another site cannot read it)."""
    session = session_of(request, engine)
    sent = fields.get("csrf", [""])[0]
    if session is None or not hmac.compare_digest(sent, session.csrf):
        raise AccessDenied("the form has expired or came from another site: reload the page")
