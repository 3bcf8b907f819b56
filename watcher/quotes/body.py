"""An answer's body, decoded, read never past a size cap — compressed bodies included.

httpx decodes gzip a whole network chunk at a time: a 64 KiB chunk of a "gzip bomb" becomes
tens of megabytes before any cap could look at it. Here the raw bytes are decompressed with a
ceiling on each step's output, so memory stays near the cap whatever the ratio.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

# What the shared client says it reads; an answer in any other encoding is refused in words.
ACCEPT_ENCODING = "gzip, deflate"


class BodyRefused(Exception):
    """The body was not read to its end: `words` say why, for a reason shown to the user."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words


def _decompressor(encoding: str, first: bytes) -> zlib._Decompress | None:
    """None for a body sent as it is; a zlib decompressor for gzip and deflate."""
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        # "deflate" is meant to be zlib-wrapped; some servers send the raw stream.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    raise BodyRefused(f"was sent in an encoding neowatch does not read ({encoding[:40]})")


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The decoded body, at most `limit` bytes of it; BodyRefused past that, or when it cannot be decoded."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if "," in encoding:
        raise BodyRefused("was sent in layered encodings neowatch does not read")
    chunks: list[bytes] = []
    size = 0
    decoder: zlib._Decompress | None = None
    started = False

    def take(data: bytes) -> None:
        nonlocal size
        size += len(data)
        if size > limit:
            raise BodyRefused("was far too large")
        chunks.append(data)

    try:
        async for raw in response.aiter_raw():
            if not raw:
                continue
            if not started:
                decoder, started = _decompressor(encoding, raw), True
            if decoder is None:
                take(raw)
                continue
            pending = raw
            while pending and not decoder.eof:
                # Never more than one byte past the cap per step: a bomb is stopped right there.
                take(decoder.decompress(pending, limit - size + 1))
                pending = decoder.unconsumed_tail
        if decoder is not None:
            take(decoder.flush())
            if not decoder.eof:
                raise BodyRefused("was cut off in the middle of its compressed data")
    except zlib.error:
        raise BodyRefused("was compressed wrongly and could not be read") from None
    return b"".join(chunks)
