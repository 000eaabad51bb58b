"""Uploaded files, as the import page and `POST /api/v1/imports` both take them: copied into a private
folder under a name of our own, readable by their owner only, and refused past MAX_UPLOAD."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import UploadFile

from tieline.errors import InvalidInput
from tieline.private_files import open_private

MAX_UPLOAD = 200 * 1024 * 1024  # bytes; a LinkedIn export or a year of mail fits
CHUNK = 1024 * 1024
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
_DIRECTORY_PART = re.compile(r"^.*[\\/]")


class UploadTooLarge(InvalidInput):
    """An upload past MAX_UPLOAD (a larger body is refused before it is read, by web/limits.py)."""

    http_status = 413


def save_upload(upload: UploadFile, workdir: Path, *, limit: int = MAX_UPLOAD) -> Path:
    """Copy an upload into `workdir` as `upload<.ext>`, refusing it past `limit` bytes (and keeping
    nothing of it then). Only the extension of the client's file name is kept, so nothing is written
    outside `workdir`."""
    suffix = Path(upload.filename or "").suffix
    target = workdir / ("upload" + (suffix.lower() if _SAFE_SUFFIX.match(suffix) else ""))
    size = 0
    with open_private(target, "wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        target.unlink()
        shown = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
        raise UploadTooLarge(f"the file is larger than {shown}")
    return target


def shown_name(filename: str | None) -> str:
    """The name a client gave its file, without folders, as reports and errors name it."""
    name = _DIRECTORY_PART.sub("", filename or "").strip()[:255]
    return name or "upload"
