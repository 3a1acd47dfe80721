"""Uploaded files: saved to a private temporary file for the library importers, then removed.

The whole request is already capped while it streams (``bot.web.limits``); the size is
checked again here for the file part alone. Errors name the officer's file, never the temp path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from bot.errors import LoaError
from bot.web.limits import MAX_UPLOAD_BYTES

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class UploadError(LoaError):
    """The uploaded file is missing, too large or of the wrong type."""


@contextmanager
def saved_upload(upload: object) -> Iterator[tuple[Path, str]]:
    """Write an uploaded CSV / XLSX to a temp file; yield (path, original name); delete it after."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadError("Chưa chọn tệp.")
    name = os.path.basename(upload.filename)[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError("Chỉ nhận tệp .csv hoặc .xlsx.")
    fd, tmp = tempfile.mkstemp(prefix="loa-upload-", suffix=suffix)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise UploadError(f"Tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
                out.write(chunk)
        if size == 0:
            raise UploadError("Tệp trống.")
        try:
            yield Path(tmp), name
        except LoaError as exc:
            # The importers name the file they read: show the officer's name, never the
            # server's temporary path.
            def local(text: str) -> str:
                return text.replace(tmp, name).replace(os.path.dirname(tmp) + os.sep, "")

            vi = local(exc.vi)
            raise UploadError(local(str(exc)), vi=vi if name in vi else f"Tệp {name}: {vi}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
