"""ui.core.remember: the shared results cache keeps the most recently used entries and computes each once."""

from collections import OrderedDict

from ui.core import remember


def test_a_hit_is_not_computed_again_and_the_least_recently_used_goes_first():
    cache, computed = OrderedDict(), []

    def get(key):
        return remember(cache, key, lambda: computed.append(key) or key.upper(), size=2)

    assert get("a") == "A" and get("b") == "B" and get("a") == "A"  # the second "a" is a hit
    assert computed == ["a", "b"]
    assert get("c") == "C"  # full: "b" was used least recently, so it goes; "a" stays
    assert list(cache) == ["a", "c"]
    assert get("a") == "A" and get("b") == "B" and computed == ["a", "b", "c", "b"]
