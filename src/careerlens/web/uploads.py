"""Resume uploads: a size limit enforced while the body streams in, and parsing in memory.

Nothing here trusts the client: the filename is kept only as a display label (never a path), the declared
content type is ignored (``advisor.resume.read_resume_bytes`` decides the type from the magic bytes), and the
body is parsed in memory as it arrives, so a 2 GB upload is refused after the first 10 MB rather than after it
has been written somewhere. No upload touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerlens.web.errors import BadRequestError, UploadTooLargeError, careerlens_error_response

# multipart framing (boundaries, part headers, the small form fields) on top of the file itself
FORM_OVERHEAD = 64 * 1024
MAX_FIELD_BYTES = 64 * 1024


@dataclass
class UploadedFile:
    """One file part, held in memory; ``label`` is a sanitised display name, never used as a path."""

    label: str
    data: bytes


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)


def _label(filename: str | None) -> str:
    """A display label from a client filename: its last path component, printable characters only."""
    if not filename:
        return "resume"
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')[:80].strip(". ")
    return cleaned or "resume"


async def read_form(request: Request, limit: int) -> Form:
    """Parse a multipart/form-data (or urlencoded) body counting bytes; 413 as soon as ``limit`` is passed."""
    declared = request.headers.get("content-length")
    budget = limit + FORM_OVERHEAD
    if declared and declared.isdigit() and int(declared) > budget:
        raise UploadTooLargeError(limit)
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype == b"application/x-www-form-urlencoded":
        return await _read_urlencoded(request, budget, limit)
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise BadRequestError(
            "expected a multipart/form-data upload", hint="send the resume as a form field named 'file'"
        )

    form = Form()
    state: dict[str, object] = {}
    headers: dict[bytes, bytes] = {}
    cur_field: list[bytes] = []
    cur_value: list[bytes] = []
    buf = BytesIO()

    def on_part_begin() -> None:
        headers.clear()
        buf.seek(0)
        buf.truncate()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        cur_field.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        cur_value.append(data[start:end])

    def on_header_end() -> None:
        headers[b"".join(cur_field).lower()] = b"".join(cur_value)
        cur_field.clear()
        cur_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        buf.write(data[start:end])

    def on_part_end() -> None:
        _, disp = parse_options_header(headers.get(b"content-disposition", b""))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        if not name:
            return
        if b"filename" in disp:
            form.files[name] = UploadedFile(
                _label(disp[b"filename"].decode("utf-8", "replace")), buf.getvalue()
            )
        else:
            raw = buf.getvalue()
            if len(raw) > MAX_FIELD_BYTES:
                state["field_too_big"] = name
                return
            value = raw.decode("utf-8", "replace")
            form.fields[name] = value
            form.multi.setdefault(name, []).append(value)

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
        },
    )
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > budget:
                raise UploadTooLargeError(limit)
            parser.write(chunk)
        parser.finalize()
    except UploadTooLargeError:
        raise
    except Exception as exc:  # the parser's own errors: the body is not valid multipart
        raise BadRequestError("the upload is not a valid multipart form", hint="send it from a form") from exc
    if state.get("field_too_big"):
        raise BadRequestError(f"form field {state['field_too_big']!r} is too long")
    for up in form.files.values():
        if len(up.data) > limit:
            raise UploadTooLargeError(limit)
    return form


async def _read_urlencoded(request: Request, budget: int, limit: int) -> Form:
    from urllib.parse import parse_qsl

    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > budget:
            raise UploadTooLargeError(limit)
        chunks.append(chunk)
    form = Form()
    for k, v in parse_qsl(b"".join(chunks).decode("utf-8", "replace"), keep_blank_values=True):
        form.fields[k] = v
        form.multi.setdefault(k, []).append(v)
    return form


class BodyLimit:
    """Pure ASGI middleware: a request body larger than an upload (``limit`` + form framing) is refused with
    413, at once when its Content-Length says so, else as it streams in.

    read_form() counts bytes itself, but FastAPI reads a JSON body (or a urlencoded form) whole before any
    field's max_length is checked; this bounds what any route can be made to hold in memory.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.budget = limit + FORM_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.budget:
            response = await careerlens_error_response(Request(scope), UploadTooLargeError(self.limit))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.budget:
                    raise UploadTooLargeError(self.limit)
            return message

        await self.app(scope, counted_receive, send)
