"""Catalog files in and out: the format is shared with the fleet, so it lives in
``kiosk.contract.catalog_file``; the kiosk's callers keep importing it from here."""

from kiosk.contract.catalog_file import (
    EXPORT_COLUMNS,
    OPTIONAL,
    REQUIRED,
    CatalogFileError,
    FieldProblem,
    export_csv,
    parse_catalog,
)

__all__ = [
    "EXPORT_COLUMNS",
    "OPTIONAL",
    "REQUIRED",
    "CatalogFileError",
    "FieldProblem",
    "export_csv",
    "parse_catalog",
]
