"""Demo audio for the activity guide: sixty short, real, playable tracks made on this machine, no download.

With Debian's ``espeak-ng`` installed (the Makefile's apt-deps installs it) each track speaks its title in its
language; without it, each is a short tone (Python's ``wave``), so the page still works. Files are small (a few
kilobytes to ~60 KB each) and made once: a track already stored is left alone, so loading again is quick.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from crowdsci.kits import services
from crowdsci.kits.models import AudioTrack

# The ten tracks of the program, in its order, in each of the six languages.
TRACK_TITLES: dict[str, list[str]] = {
    "en": [
        "Test the Waters",
        "Test the Waters Kit",
        "Lifestyle: Water for Life",
        "Health: Test the Intestines",
        "Environment: Down the Drain",
        "Environment: Pipe Up",
        "Environment: Get the Lead Out",
        "Lifestyle: Crowd the Tap",
        "Resources: Test the Waters (part 1)",
        "Resources: Test the Waters (part 2)",
    ],
    "ar": [
        "اختبر المياه",
        "حقيبة اختبر المياه",
        "نمط الحياة: الماء من أجل الحياة",
        "الصحة: اختبر الأمعاء",
        "البيئة: في البالوعة",
        "البيئة: تحدّث عن الأنابيب",
        "البيئة: تخلّص من الرصاص",
        "نمط الحياة: تجمّعوا حول الصنبور",
        "موارد: اختبر المياه (الجزء 1)",
        "موارد: اختبر المياه (الجزء 2)",
    ],
    "es": [
        "Pon a prueba el agua",
        "El kit Pon a prueba el agua",
        "Estilo de vida: agua para la vida",
        "Salud: pon a prueba los intestinos",
        "Medio ambiente: por el desagüe",
        "Medio ambiente: habla de las tuberías",
        "Medio ambiente: fuera el plomo",
        "Estilo de vida: todos al grifo",
        "Recursos: Pon a prueba el agua (parte 1)",
        "Recursos: Pon a prueba el agua (parte 2)",
    ],
    "ko": [
        "물을 검사해요",
        "물 검사 키트",
        "생활: 생명을 위한 물",
        "건강: 장을 검사해요",
        "환경: 하수구 아래로",
        "환경: 배관 이야기",
        "환경: 납을 없애요",
        "생활: 수돗물로 모여요",
        "자료: 물을 검사해요 (1부)",
        "자료: 물을 검사해요 (2부)",
    ],
    "vi": [
        "Kiểm tra nguồn nước",
        "Bộ dụng cụ Kiểm tra nguồn nước",
        "Lối sống: Nước cho sự sống",
        "Sức khỏe: Kiểm tra đường ruột",
        "Môi trường: Xuống cống",
        "Môi trường: Nói về đường ống",
        "Môi trường: Loại bỏ chì",
        "Lối sống: Cùng đến vòi nước",
        "Tài liệu: Kiểm tra nguồn nước (phần 1)",
        "Tài liệu: Kiểm tra nguồn nước (phần 2)",
    ],
    "zh-hans": [
        "检测水质",
        "检测水质工具包",
        "生活方式：生命之水",
        "健康：检测肠道",
        "环境：流入下水道",
        "环境：说说水管",
        "环境：除去铅",
        "生活方式：齐聚水龙头",
        "资源：检测水质（第一部分）",
        "资源：检测水质（第二部分）",
    ],
}

ESPEAK_VOICES = {"en": "en-us", "ar": "ar", "es": "es", "ko": "ko", "vi": "vi", "zh-hans": "cmn"}


def tone_wav(number: int, seconds: float = 0.8, rate: int = 8000) -> bytes:
    """A short tone (a different pitch per track) as an 8-bit mono WAV: a few kilobytes, playable everywhere."""
    frequency = 330 + 40 * number
    frames = int(seconds * rate)
    fade = rate // 20
    samples = bytearray()
    for i in range(frames):
        envelope = min(1.0, i / fade, (frames - i) / fade)
        samples.append(int(128 + 90 * envelope * math.sin(2 * math.pi * frequency * i / rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


def spoken_wav(text: str, language: str) -> bytes | None:
    """``text`` spoken by espeak-ng as a small WAV (11 kHz, 8-bit), or None when espeak-ng is missing or fails."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "track.wav"
        try:
            subprocess.run(  # noqa: S603 -- a fixed program and arguments, the text is an argument, not a shell
                [espeak, "-v", ESPEAK_VOICES[language], "-s", "150", "-w", str(path), text],
                check=True,
                capture_output=True,
                timeout=30,
            )
            return _shrink(path.read_bytes())
        except (subprocess.SubprocessError, OSError, wave.Error):
            return None


def _shrink(data: bytes) -> bytes:
    """espeak-ng writes 22 kHz 16-bit mono; halve the rate and keep 8 bits: a quarter of the size, still clear."""
    with wave.open(io.BytesIO(data)) as source:
        channels, width, rate = source.getnchannels(), source.getsampwidth(), source.getframerate()
        frames = source.readframes(source.getnframes())
    if channels != 1 or width != 2:
        return data
    samples = memoryview(frames).cast("h")
    step = 2 if rate >= 22000 else 1
    shrunk = bytes(((samples[i] >> 8) + 128) & 0xFF for i in range(0, len(samples), step))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate // step)
        out.writeframes(shrunk)
    return buffer.getvalue()


def load_demo_audio() -> int:
    """Make and store every missing track; returns how many were made."""
    made = 0
    stored = {
        (track.language, track.number): track
        for track in AudioTrack.objects.all()
        if track.file and track.file.storage.exists(track.file.name)
    }
    for language, titles in TRACK_TITLES.items():
        for number, title in enumerate(titles, start=1):
            if (language, number) in stored:
                continue
            spoken = spoken_wav(title, language)
            transcript = title if spoken else f"{title} — (demo tone; the recorded track replaces it)"
            services.audio_track_upload(
                actor=None,
                language=language,
                number=number,
                title=title,
                transcript=transcript,
                data=spoken or tone_wav(number),
            )
            made += 1
    return made
