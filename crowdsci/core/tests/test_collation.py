from django.utils import translation

from crowdsci.core.collation import collation_key


def _sorted(names: list[str], language: str) -> list[str]:
    return sorted(names, key=lambda name: collation_key(name, language))


def test_case_and_accents_are_ignored():
    assert _sorted(["Iowa", "Hawái", "idaho", "guam", "Hawaj"], "es") == ["guam", "Hawái", "Hawaj", "idaho", "Iowa"]


def test_letters_of_their_own_come_after_their_base_letter():
    # Spanish ñ after every n; Vietnamese đ after d (not after z), ơ after ô after o, tone marks ignored.
    assert _sorted(["Ñandú", "Nube", "Oso"], "es") == ["Nube", "Ñandú", "Oso"]
    assert _sorted(["Ơn", "Ông", "Óc", "Đà Nẵng", "Dung", "Zê"], "vi") == ["Dung", "Đà Nẵng", "Óc", "Ông", "Ơn", "Zê"]
    # In English ñ is an n with an accent.
    assert _sorted(["Ñandú", "Nube"], "en") == ["Ñandú", "Nube"]


def test_arabic_hamza_on_alif_sorts_with_alif():
    # أ and إ are alif with a hamza: they sort among the alif words, before ب.
    assert _sorted(["بنسلفانيا", "إلينوي", "ألاباما", "اوهايو"], "ar") == ["ألاباما", "إلينوي", "اوهايو", "بنسلفانيا"]


def test_the_active_language_is_the_default():
    with translation.override("vi"):
        assert collation_key("đ") > collation_key("dz")
    with translation.override("en"):
        assert collation_key("đ") > collation_key("z")  # no decomposition: an unknown letter sorts last
