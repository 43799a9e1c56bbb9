"""Audio files for the activity guide: the type is read from the file's own bytes (magic numbers), never from its
name or the browser's claim, and the duration from the file itself (mutagen)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import mutagen

# (content type, extension, mutagen's class names that may read it)
_MP3 = ("audio/mpeg", ".mp3")
_OGG = ("audio/ogg", ".ogg")
_WAV = ("audio/wav", ".wav")
_M4A = ("audio/mp4", ".m4a")
_AAC = ("audio/aac", ".aac")


@dataclass(frozen=True)
class AudioInfo:
    content_type: str
    extension: str
    duration_seconds: float


def sniff_audio_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes of a file, or None if it is none of MP3, Ogg, WAV, M4A, AAC."""
    if head[:4] == b"OggS":
        return _OGG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _WAV
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"M4B", b"mp4", b"iso", b"MSN", b"dash"):
        return _M4A
    if head[:3] == b"ID3":
        return _MP3
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: sync word, layer bits 00 (AAC)
            return _AAC
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06 != 0:  # MPEG audio frame sync, layer I-III
            return _MP3
    return None


def read_audio(data: bytes) -> AudioInfo | None:
    """What the file really is and how long it plays; None if it is not audio we accept or cannot be read."""
    kind = sniff_audio_type(data[:64])
    if kind is None:
        return None
    try:
        parsed = mutagen.File(io.BytesIO(data))
    except Exception:
        return None
    length = getattr(getattr(parsed, "info", None), "length", None)
    if not length or length <= 0:
        return None
    return AudioInfo(content_type=kind[0], extension=kind[1], duration_seconds=float(length))
