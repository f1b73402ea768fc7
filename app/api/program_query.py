"""A program carried in a URL's query: as text (``?code=``) or as a share link carries it
(``?z=``: base64url of the deflate-raw compressed UTF-8 text; ``?p=``: base64url of the UTF-8
text; static/js/share.js writes both). Inflating is bounded: a small payload that would inflate
past the code limit is refused as too long, never inflated whole."""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass

# UTF-8 takes at most 4 bytes a character: more bytes than this cannot be within the limit.
_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class UnreadableProgram(Exception):
    """The query carried no program, more than one, or one that does not decode."""

    message: str


@dataclass(frozen=True)
class ProgramTooLong(Exception):
    """The program decodes to more than the code limit: ``chars`` characters, or (not
    ``exact``) more bytes than so many characters could be."""

    chars: int
    exact: bool = True


def _unbase64url(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise UnreadableProgram(f"not base64url: {exc}") from exc


def _inflate(data: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits=-15)  # raw deflate, as CompressionStream("deflate-raw")
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise UnreadableProgram(f"not deflate-raw data: {exc}") from exc
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise ProgramTooLong(len(out), exact=False)
    if not inflater.eof:
        raise UnreadableProgram("the compressed program is cut short")
    return out


def program_from_query(code: str | None, z: str | None, p: str | None, max_chars: int) -> str:
    """The program the query carries; ``UnreadableProgram`` or ``ProgramTooLong`` if none."""
    given = [value for value in (code, z, p) if value is not None]
    if len(given) != 1:
        raise UnreadableProgram("give the program once: as code, z or p")
    if code is not None:
        text = code
    else:
        max_bytes = max_chars * _BYTES_PER_CHAR
        raw = _unbase64url(z if z is not None else p or "")
        data = _inflate(raw, max_bytes) if z is not None else raw
        if len(data) > max_bytes:
            raise ProgramTooLong(len(data), exact=False)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableProgram(f"the program is not UTF-8: {exc}") from exc
    if len(text) > max_chars:
        raise ProgramTooLong(len(text))
    return text
