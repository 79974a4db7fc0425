"""Import and export: a JSON backup of everything, Markdown files with front matter."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from storybank.errors import Conflict, InvalidInput
from storybank.web.deps import bank_of, blocking
from storybank.web.rendering import render

router = APIRouter()
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@router.get("/api/export", tags=["import and export"], summary="Full JSON backup")
def export_backup(request: Request) -> dict[str, Any]:
    """Every story (trashed ones too) with every version and question link; `POST /api/import` reads it back."""
    return bank_of(request).export_backup()


@router.post("/api/import", tags=["import and export"], summary="Import a JSON backup")
async def import_backup(request: Request) -> dict[str, Any]:
    """Import a backup document as exported by `GET /api/export`; stories already present are skipped."""
    raw = await request.body()
    result = await blocking(bank_of(request).import_backup, raw, "request body")
    return result.to_dict()


@router.get("/transfer", include_in_schema=False)
def transfer_page(request: Request) -> Response:
    """Export buttons and the import form."""
    return render(request, "transfer.html", {"json_twin": "/api/export"})


@router.get("/transfer/storybank-backup.json", include_in_schema=False)
def download_backup(request: Request) -> Response:
    """The JSON backup as a file download."""
    document = json.dumps(bank_of(request).export_backup(), ensure_ascii=False, indent=2) + "\n"
    return Response(
        document,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="storybank-backup.json"'},
    )


@router.get("/transfer/storybank-stories.zip", include_in_schema=False)
def download_markdown(request: Request) -> Response:
    """One Markdown file per story (front matter + text), zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in bank_of(request).markdown_files():
            archive.writestr(f"storybank-stories/{name}", text.encode("utf-8"))
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="storybank-stories.zip"'},
    )


@router.post("/transfer/import", include_in_schema=False)
async def import_files(request: Request) -> Response:
    """Import uploaded files: one JSON backup, or Markdown stories. All or nothing."""
    form = await request.form()
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename]
    if not uploads:
        return _result_page(request, error="Choose a .json backup or one or more .md files first.", status=422)
    named = [(_safe_name(upload.filename or "upload", index), await upload.read()) for index, upload in enumerate(uploads)]
    try:
        result = await blocking(_import_uploads, bank_of(request), named)
    except (InvalidInput, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return _result_page(request, error=f"Nothing was imported. {error}", status=status)
    return _result_page(request, result=result.to_dict())


def _import_uploads(bank: Any, named: list[tuple[str, bytes]]) -> Any:
    backups = [item for item in named if item[0].lower().endswith(".json")]
    markdown = [item for item in named if item[0].lower().endswith(MARKDOWN_SUFFIXES)]
    if len(backups) + len(markdown) != len(named):
        odd = next(name for name, _ in named if not name.lower().endswith((".json", *MARKDOWN_SUFFIXES)))
        raise InvalidInput(f"{odd}: expected a .json backup or .md files", file=odd)
    if backups and (markdown or len(backups) > 1):
        raise InvalidInput("import one JSON backup on its own, or Markdown files together", field="files")
    if backups:
        name, raw = backups[0]
        return bank.import_backup(raw, name)
    with tempfile.TemporaryDirectory(prefix="storybank-import-") as folder:
        for index, (name, raw) in enumerate(markdown):
            target = Path(folder) / name
            if target.exists():
                target = Path(folder) / f"{index}-{name}"
            target.write_bytes(raw)
        try:
            return bank.import_path(folder)
        except (InvalidInput, Conflict) as error:
            message = str(error).replace(f"{folder}/", "").replace(folder, "upload")
            raise type(error)(message) from error


def _safe_name(filename: str, index: int) -> str:
    """The upload's base name, without path parts or odd characters (never empty, never hidden)."""
    name = SAFE_NAME.sub("_", Path(filename.replace("\\", "/")).name).strip(" .") or "upload"
    return name if not name.startswith(".") else f"{index}{name}"


def _result_page(request: Request, result: dict[str, Any] | None = None, error: str = "", status: int = 200) -> Response:
    return render(request, "transfer.html", {"result": result, "error": error, "json_twin": "/api/export"}, status_code=status)
