"""AppTest: the jargon recap shows each term on simple_net at work on the current data, and asks
first."""

import torch
from helpers import open_page, random_sample

from lessonlib import jargon
from lessonlib.loss import mnist_loss
from lessonlib.models import make_model
from lessonlib.training import binary_split
from ui.registry import BY_KEY

GUESS = "predict_jargon_sgd"


def text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_terms_tables_and_quiz_on_the_bundled_digits(bundled):
    at = open_page("jargon")
    assert not at.exception and at.title[0].value == "Jargon recap"
    xb, yb = jargon.first_batch(binary_split(bundled, "train", (3, 7)))
    model = make_model("simple_net", 30, 42)
    params = at.dataframe[0].value
    assert list(params["tensor"]) == [n for n, _ in model.named_parameters()]
    assert list(params["shape"]) == [str(tuple(p.shape)) for p in model.parameters()]
    with torch.no_grad():
        relu = model[1](model[0](xb))
        loss = mnist_loss(model(xb), yb).item()
    assert (f"set {(relu == 0).float().mean().item():.1%} of its {relu.numel():,} inputs to 0"
            in text(at))
    assert f"`mnist_loss` on this batch: {loss:.4f}" in text(at)
    assert f"{int(yb.sum())} 3s and {len(yb) - int(yb.sum())} 7s" in text(at)
    assert len(at.dataframe) == 2, "the step's table waits for a prediction"
    at.radio(key=GUESS).set_value("parameters and activations").run()
    assert not at.exception and len(at.dataframe) == 3
    step = at.dataframe[2].value.set_index("tensor")["changed by opt.step()"]
    assert (step[[n for n, _ in model.named_parameters()]].eq("yes").all()
            and step[["xb", "loss"]].eq("no").all())
    assert "measured: only the parameters" in at.info[0].value


def test_every_term_links_pages_of_the_app():
    at = open_page("jargon")
    # Streamlit raises for a file it does not know
    linked = [link.proto.page for link in at.get("page_link")]
    expected = [k for t in jargon.TERMS for k in t.pages if k in BY_KEY]
    assert linked == expected and len(linked) >= len(jargon.TERMS)


def test_a_tiny_two_digit_folder(tmp_path, open_folders):
    random_sample(tmp_path / "tiny", digits=(3, 7), n_train=2, n_valid=1)
    at = open_page("jargon")
    at.text_input[0].input(str(tmp_path / "tiny"))
    next(b for b in at.button if b.label == "Load folder").click().run()
    at.radio(key=GUESS).set_value("only the parameters").run()
    assert not at.exception and not at.sidebar.error
    assert ("`xb` is a tensor of shape (4, 784)" in text(at)
            and "Right: only the parameters" in at.success[0].value)
