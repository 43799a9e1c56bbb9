"""/kits/resources/: the sanitation guide (HTML, PDF), the audio in six languages (UI language first), upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crowdsci.kits import services
from crowdsci.kits.audio_demo import tone_wav
from crowdsci.kits.models import AudioTrack

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_guide_and_the_ui_language_first(client, kit_type, staff):
    services.audio_track_upload(
        actor=staff, language="ar", number=1, title="اختبر المياه", transcript="نص", data=tone_wav(1)
    )
    services.audio_track_upload(
        actor=staff, language="en", number=1, title="Test the Waters", transcript="", data=tone_wav(1)
    )
    text = client.get("/kits/resources/").content.decode()
    assert "Wipe, replace, check." in text
    assert text.index('id="language-en"') < text.index('id="language-ar"')
    client.cookies["django_language"] = "ar"
    text = client.get("/kits/resources/").content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert text.index('id="language-ar"') < text.index('id="language-en"')
    assert 'lang="ar" dir="rtl"' in text and 'lang="en" dir="ltr"' in text
    assert "اختبر المياه" in text


def test_the_pdf_download(client, kit_type):
    response = client.get("/kits/resources/sanitation.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_a_track_is_served_with_its_sniffed_type_and_downloads(client, staff):
    track = services.audio_track_upload(
        actor=staff, language="ko", number=2, title="키트", transcript="", data=tone_wav(2)
    )
    response = client.get(f"/kits/resources/audio/{track.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    download = client.get(f"/kits/resources/audio/{track.pk}/?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="test-the-waters-ko-02.wav"'
    assert client.get("/kits/resources/audio/999999/").status_code == 404


def test_upload_page_staff_only_with_clear_errors(client, staff, rep2):
    client.force_login(rep2)
    assert client.get("/kits/resources/audio/upload/").status_code == 403
    client.force_login(staff)
    fake = SimpleUploadedFile("track.mp3", b"<html>not audio</html>", content_type="audio/mpeg")
    response = client.post(
        "/kits/resources/audio/upload/", {"language": "vi", "number": "4", "title": "Sức khỏe", "file": fake}
    )
    assert "This file is not audio we can use" in response.content.decode()
    assert AudioTrack.objects.count() == 0
    good = SimpleUploadedFile("anything.bin", tone_wav(4), content_type="application/octet-stream")
    response = client.post(
        "/kits/resources/audio/upload/",
        {"language": "vi", "number": "4", "title": "Sức khỏe", "transcript": "x", "file": good},
        follow=True,
    )
    assert "Track 4 (Tiếng Việt) saved" in response.content.decode()
    assert AudioTrack.objects.get().content_type == "audio/wav"
