"""Releases for the kiosks: the signed wheels themselves (served without a login: the
kiosk trusts only its own key, not this server), the list, and asking a store's kiosks
(or one) to update to one of them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from fleet.services import commands
from fleet.services.release_shelf import ReleaseError, ReleaseShelf
from fleet.web.auth import ApiAccess, CsrfApi


class UpdateIn(BaseModel):
    """Which release, and ``device``: one kiosk's id or ``all`` for the whole store."""

    release: str = Field(description="a wheel's file name from GET /api/releases")
    device: str = commands.ALL


def add_release_routes(
    app: FastAPI, engine: sa.Engine, publish: commands.Publish | None, shelf: ReleaseShelf
) -> None:
    @app.get("/releases/{name}", include_in_schema=False)
    def release_file(name: str) -> FileResponse:
        try:
            path = shelf.file(name)
        except ReleaseError as err:
            raise HTTPException(status_code=404, detail=str(err)) from None
        return FileResponse(path, media_type="application/octet-stream", filename=path.name)

    @app.get("/api/releases", summary="The signed releases this fleet serves")
    def api_releases(access: ApiAccess) -> list[dict[str, Any]]:
        return [asdict(release) for release in shelf.releases()]

    @app.post("/api/stores/{store}/update", status_code=202,
              summary="Ask a store's kiosks (or one) to update to a release "
                      "(applied in each kiosk's update window)")  # fmt: skip
    def api_update(store: str, wanted: UpdateIn, access: CsrfApi) -> dict[str, Any]:
        if publish is None:
            raise HTTPException(status_code=503, detail="no broker: start with --broker")
        try:
            body = shelf.update_body(wanted.release)
            return commands.send(engine, publish, "update", body, store_id=store,
                                 device_id=wanted.device, by=access)  # fmt: skip
        except ReleaseError as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
        except commands.CommandError as err:
            raise HTTPException(status_code=422, detail=str(err)) from None
