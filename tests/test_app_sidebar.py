"""AppTest: the sidebar's data source and digit choice, and bad folders that must not lose the
current data."""

from helpers import open_page, random_sample
from streamlit.testing.v1 import AppTest


def start() -> AppTest:
    at = open_page("")
    assert not at.exception
    return at


def caption(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def load_folder(at: AppTest, path: str) -> None:
    at.sidebar.text_input[0].input(path)
    at.sidebar.button[0].click().run()  # "Load folder"
    assert not at.exception


def test_a_folder_in_mnist_sample_layout_becomes_the_data(tmp_path, open_folders):
    random_sample(tmp_path, digits=(3, 7))
    at = start()
    assert "bundled MNIST" in caption(at)
    load_folder(at, str(tmp_path))
    assert tmp_path.name in caption(at) and "digits 3, 7" in caption(at)
    assert at.selectbox(key="digit_a").options == ["3", "7"]


def test_bad_folders_show_a_message_and_keep_the_data_and_digits(tmp_path, open_folders):
    at = start()
    at.selectbox(key="digit_a").set_value(5).run()
    for bad in [str(tmp_path / "missing"), str(tmp_path), "../../etc/passwd",
                "<script>alert(1)</script>"]:
        load_folder(at, bad)
        assert at.sidebar.error, bad
        assert "bundled MNIST" in caption(at)
        assert at.session_state["digit_pair"] == (5, 7)


def test_choosing_the_first_digit_equal_to_the_second_moves_the_second():
    at = start()
    at.selectbox(key="digit_a").set_value(7).run()
    assert not at.exception
    a, b = at.session_state["digit_pair"]
    assert a == 7 and b != 7
    assert "7" not in at.selectbox(key="digit_b").options


def test_a_public_server_keeps_folders_inside_its_data_root(tmp_path, monkeypatch):
    root = tmp_path / "data"
    random_sample(root / "sample", digits=(3, 7))
    outside = tmp_path / "private"
    random_sample(outside, digits=(1, 2))
    (root / "sneaky").symlink_to(outside)
    monkeypatch.setenv("LESSONLIB_DATA_ROOT", str(root))
    at = start()
    messages = []
    for bad in [str(outside), str(tmp_path / "missing"), "../private", "sneaky", "/etc"]:
        load_folder(at, bad)
        messages.append(at.sidebar.error[0].value)
        assert "bundled MNIST" in caption(at), bad
    # existing or not: the same words
    assert len(set(messages)) == 1 and "must be inside data/" in messages[0]
    load_folder(at, "sample")  # relative to the root
    assert "sample" in caption(at) and "digits 3, 7" in caption(at)


def test_by_default_the_folder_box_reads_only_the_apps_data_folders(tmp_path, monkeypatch):
    """No setting made: a probe of an existing and of a missing folder outside the data roots gets
    the same answer, and a folder inside the download cache loads."""
    cache = tmp_path / "cache"
    random_sample(cache / "mnist_sample", digits=(3, 7))
    monkeypatch.delenv("LESSONLIB_OPEN_FOLDERS", raising=False)
    monkeypatch.delenv("LESSONLIB_DATA_ROOT", raising=False)
    monkeypatch.setattr("lessonlib.data.download.CACHE", cache)
    monkeypatch.setenv("FASTAI_HOME", str(tmp_path / "fastai"))
    existing = tmp_path / "private"
    random_sample(existing, digits=(1, 2))
    at = start()
    answers = []
    for probe in [str(existing), str(tmp_path / "missing"), "/etc", "/nonexistent",
                  "../private", "~"]:
        load_folder(at, probe)
        answers.append(at.sidebar.error[0].value)
        assert "bundled MNIST" in caption(at), probe
    assert len(set(answers)) == 1 and "must be inside cache/ or data/" in answers[0], answers
    load_folder(at, "mnist_sample")  # relative: found in the cache
    assert "mnist_sample" in caption(at) and "digits 3, 7" in caption(at)


def test_the_operator_may_open_every_folder(tmp_path, monkeypatch):
    random_sample(tmp_path / "anywhere", digits=(4, 9))
    monkeypatch.setenv("LESSONLIB_OPEN_FOLDERS", "1")
    at = start()
    load_folder(at, str(tmp_path / "anywhere"))
    assert "anywhere" in caption(at) and "digits 4, 9" in caption(at)
    load_folder(at, str(tmp_path / "missing"))
    assert "no such folder" in at.sidebar.error[0].value


def test_the_operator_can_make_mnist_sample_the_default_data(tmp_path, monkeypatch):
    """LESSONLIB_DEFAULT_DATA=mnist_sample: fetched once for the server with progress, then every
    new visitor starts on it; the download is not repeated for the next visitor."""
    import ui.core

    calls = []

    def fake_fetch(progress=None):
        calls.append(progress)
        progress(1, 2)  # the bar moves
        random_sample(tmp_path / "mnist_sample", digits=(3, 7))
        return tmp_path / "mnist_sample"

    monkeypatch.setitem(ui.core.DEFAULTS, "mnist_sample",
                        (fake_fetch, "folder", "fast.ai's MNIST_SAMPLE"))
    monkeypatch.setattr(ui.core, "_fetched", {})
    monkeypatch.setenv("LESSONLIB_DEFAULT_DATA", "mnist_sample")
    first, second = start(), start()
    for at in (first, second):
        assert "Using **mnist_sample**" in caption(at) and "digits 3, 7" in caption(at)
    assert len(calls) == 1


def test_a_default_that_cannot_be_downloaded_falls_back_to_the_bundled_digits(monkeypatch):
    import ui.core
    from lessonlib.data.download import DownloadError

    def offline(progress=None):
        raise DownloadError("No connection to s3.amazonaws.com. You keep working on the current "
                            "data.")

    monkeypatch.setitem(ui.core.DEFAULTS, "mnist_sample",
                        (offline, "folder", "fast.ai's MNIST_SAMPLE"))
    monkeypatch.setattr(ui.core, "_fetched", {})
    monkeypatch.setenv("LESSONLIB_DEFAULT_DATA", "mnist_sample")
    at = start()
    assert "bundled MNIST" in caption(at)
    assert "could not be downloaded: No connection" in at.sidebar.warning[0].value
