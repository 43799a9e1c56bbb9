"""audio_track_upload: content sniffing, size limit, replacement, and the demo's generated tracks."""

import shutil

import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.kits import services
from crowdsci.kits.audio_demo import TRACK_TITLES, load_demo_audio, spoken_wav, tone_wav
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import AudioTrack

pytestmark = pytest.mark.django_db


def upload(actor, data, **fields):
    values = {"language": "es", "number": 3, "title": "Estilo de vida", "transcript": "Texto", **fields}
    return services.audio_track_upload(actor=actor, data=data, **values)


def test_staff_upload_a_track_with_its_duration_and_an_audit_entry(staff):
    track = upload(staff, tone_wav(3, seconds=1.5))
    assert (track.content_type, track.extension) == ("audio/wav", ".wav")
    assert track.duration_seconds == pytest.approx(1.5, abs=0.01)
    assert track.duration_display == "0:01"  # whole seconds, as the players show it
    assert track.file.name.startswith("kits/audio/es/track-03")
    assert track.file.storage.exists(track.file.name)
    assert AuditEntry.objects.filter(action="audio_track.upload", actor=staff).exists()


def test_not_audio_is_refused_whatever_its_name_and_nothing_is_stored(staff):
    with pytest.raises(KitsError, match="not audio we can use"):
        upload(staff, b"%PDF-1.7\n" + b"x" * 500)
    assert AudioTrack.objects.count() == 0


def test_the_size_limit(staff, settings):
    settings.KITS_AUDIO_MAX_BYTES = 1000
    with pytest.raises(KitsError, match="larger than"):
        upload(staff, tone_wav(1, seconds=1))


def test_only_staff_upload(rep2):
    with pytest.raises(KitsError, match="Only network staff"):
        upload(rep2, tone_wav(1))


def test_replacing_a_track_removes_the_old_file(staff, django_capture_on_commit_callbacks):
    first = upload(staff, tone_wav(1))
    old_name, storage = first.file.name, first.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(staff, tone_wav(2, seconds=1.2), title="Nuevo")
    assert second.pk == first.pk and second.title == "Nuevo"
    assert second.file.name != old_name
    assert not storage.exists(old_name) and storage.exists(second.file.name)


def test_demo_audio_makes_sixty_playable_tracks_once(monkeypatch):
    monkeypatch.setattr("crowdsci.kits.audio_demo.spoken_wav", lambda text, language: None)  # the tone fallback
    assert load_demo_audio() == 60
    assert load_demo_audio() == 0
    assert AudioTrack.objects.count() == 60
    assert set(AudioTrack.objects.values_list("language", flat=True)) == set(TRACK_TITLES)
    assert all(track.duration_seconds > 0 for track in AudioTrack.objects.all())
    assert sum(AudioTrack.objects.values_list("size", flat=True)) < 1_000_000


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make apt-deps installs it)")
@pytest.mark.parametrize("language", sorted(TRACK_TITLES))
def test_espeak_speaks_each_language_into_a_small_wav(language):
    data = spoken_wav(TRACK_TITLES[language][0], language)
    assert data is not None and data[:4] == b"RIFF"
    assert 2_000 < len(data) < 120_000
