"""One place where an acquirer's HTTP answer becomes JSON or a ``GatewayError``."""

from __future__ import annotations

import json
from typing import Any

import httpx

from kiosk.payments.gateway import GatewayError


def send(client: httpx.Client, request: httpx.Request, provider: str) -> dict[str, Any]:
    """The answer's JSON object. Timeouts, broken connections and 5xx are retryable;
    anything else that is not JSON is not. Messages name the provider and the path only."""
    where = f"{provider} {request.method} {request.url.path}"
    try:
        response = client.send(request)
    except (httpx.ConnectError, httpx.ConnectTimeout) as err:  # nothing left the till
        raise GatewayError(
            f"{where}: cannot connect ({type(err).__name__})", retryable=True, sent=False
        ) from err
    except httpx.TimeoutException as err:
        raise GatewayError(f"{where}: no answer in time", retryable=True) from err
    except httpx.TransportError as err:
        raise GatewayError(
            f"{where}: cannot connect ({type(err).__name__})", retryable=True
        ) from err
    if response.status_code >= 500:
        raise GatewayError(f"{where}: server error {response.status_code}", retryable=True)
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise GatewayError(
            f"{where}: answer is not JSON (HTTP {response.status_code})", retryable=False
        ) from err
    if not isinstance(body, dict):
        raise GatewayError(f"{where}: answer is not a JSON object", retryable=False)
    return body


def rupiah_string(amount: int) -> str:
    """Amounts as the acquirers write them: "12345.00"."""
    return f"{amount}.00"


def parse_rupiah(text: object) -> int:
    """ "275000.00" or 275000 -> 275000; anything with cents or not a number -> ValueError."""
    whole, _, cents = str(text).partition(".")
    if not whole.isdigit() or cents.strip("0"):
        raise ValueError(f"not a whole rupiah amount: {text!r}")
    return int(whole)
