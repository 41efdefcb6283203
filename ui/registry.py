"""Every page of the app, declared once. Navigation, the start page's chapter list, the
questionnaire's links, the tests and the load benchmark all read PAGES; a page's file is pages/<its
url path>.py. Pure: no Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass

START, CHAPTER, BEYOND = "start", "The chapter", "Beyond the book"


@dataclass(frozen=True)
class Page:
    """One page: where it lives, how the navigation names it, and what of the book it teaches."""

    key: str  # its url path; "" for the start page
    title: str
    icon: str
    summary: str  # what a learner does there, in one line
    section: str  # the book's section it teaches, as the book names it; "" when it goes beyond the
                  # book
    part: str = CHAPTER  # START, CHAPTER or BEYOND: where the navigation lists it

    @property
    def file(self) -> str:
        return f"pages/{self.key or 'start'}.py"


PAGES = (
    Page("", "Start here", "🏠", "what this app is, and the path through the chapter", "", START),
    Page("pixels", "Pixels", "🔳", "a digit is a grid of numbers: shapes, ranks, a shaded table",
         "Pixels: The Foundations of Computer Vision"),
    Page("similarity", "Pixel similarity", "🎯",
         "the mean (ideal) digits and a baseline with no learning", "First Try: Pixel Similarity"),
    Page("distances", "Distance metrics", "📏", "L1 vs RMSE, by hand and with PyTorch",
         "First Try: Pixel Similarity"),
    Page("gradient", "Gradient of x²", "📉", "backward(), learning rates, the seven steps of SGD",
         "Stochastic Gradient Descent"),
    Page("mnist-loss", "The MNIST loss", "🎚️",
         "outputs and a threshold, torch.where, sigmoid, why accuracy is no loss",
         "The MNIST Loss Function"),
    Page("minibatches", "Mini-batches", "🧺",
         "(x, y) pairs, shapes with view, DataLoader, the batch-size trade-off",
         "SGD and Mini-Batches"),
    Page("optimiser", "The optimiser and Learner", "⚙️", "one training loop three ways: "
         "BasicOptim, torch.optim.SGD, a Learner", "Creating an Optimizer"),
    Page("training", "SGD training", "🏋️", "train a linear model and a small net, live",
         "Putting It All Together"),
    Page("nonlinearity", "Adding a nonlinearity", "〰️",
         "two linear layers are one; ReLU; curves from ReLUs", "Adding a Nonlinearity"),
    Page("deeper", "Going deeper", "🪜", "resnet18 trained live; deeper against wider",
         "Going Deeper"),
    Page("jargon", "Jargon recap", "📖", "the chapter's words, each measured on a real model",
         "Jargon Recap"),
    Page("your-digit", "Your digit", "✍️", "draw or photograph one and see what the models say", "",
         BEYOND),
    Page("questionnaire", "Questionnaire", "❓", "the chapter's questions, with answers to check",
         "Questionnaire", BEYOND),
)
BY_KEY = {p.key: p for p in PAGES}


def chapter() -> list[Page]:
    """The pages that teach the chapter, in the book's order."""
    return [p for p in PAGES if p.part == CHAPTER]
