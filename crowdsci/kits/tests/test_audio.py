"""Audio type from the file's bytes, duration from the file, for every format we accept."""

import io
import wave

import pytest

from crowdsci.kits.audio import read_audio, sniff_audio_type
from crowdsci.kits.audio_demo import tone_wav


def test_a_wav_is_recognised_with_its_duration():
    info = read_audio(tone_wav(1, seconds=0.8))
    assert info.content_type == "audio/wav" and info.extension == ".wav"
    assert info.duration_seconds == pytest.approx(0.8, abs=0.01)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),
        (b"OggS\x00\x02", "audio/ogg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "audio/mp4"),
        (b"\xff\xf1\x50\x80", "audio/aac"),
        (b"%PDF-1.7\n", None),
        (b"<html><body>", None),
        (b"\x89PNG\r\n\x1a\n", None),
        (b"", None),
    ],
)
def test_magic_bytes(head, expected):
    kind = sniff_audio_type(head)
    assert (kind[0] if kind else None) == expected


def test_a_file_that_only_looks_like_audio_is_refused():
    assert read_audio(b"RIFF\x24\x00\x00\x00WAVE" + b"\x00" * 100) is None  # a header and nothing playable
    assert read_audio(b"ID3" + b"\x00" * 50) is None


def test_an_empty_wav_has_no_duration_and_is_refused():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(b"")
    assert read_audio(buffer.getvalue()) is None
