"""The fleet's web side: pages (Jinja2, plain HTML) and the JSON API behind them."""

from fleet.web.app import create_app

__all__ = ["create_app"]
