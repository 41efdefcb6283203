"""The book's published numbers, and whether the data is the one they were measured on.

From *Deep Learning for Coders with fastai & PyTorch*, chapter 4 ("Under the Hood: Training a Digit
Classifier"), as printed in fastbook's notebook 04_mnist_basics: fast.ai's MNIST_SAMPLE image counts
(threes and sevens, train and valid), the pixel-similarity baseline, and the validation accuracy of
each recipe the chapter trains.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonlib.data import DigitData

SOURCE = "Deep Learning for Coders with fastai & PyTorch, ch. 4"
MNIST_SAMPLE_COUNTS = {("train", 3): 6131, ("train", 7): 6265, ("valid", 3): 1010,
                       ("valid", 7): 1028}
BASELINE = {3: 0.9168, 7: 0.9854}  # L1 distance to the mean 3 and 7: is_3(valid_3s),
                                   # 1 - is_3(valid_7s)
BASELINE_MEAN = 0.9511


@dataclass(frozen=True)
class BookResult:
    """A validation accuracy the book reports for one of its recipes."""

    model: str
    learning_rate: float
    epochs: int
    accuracy: float

    @property
    def label(self) -> str:
        epochs = "1 epoch" if self.epochs == 1 else f"{self.epochs} epochs"
        return f"the book: {self.accuracy:.2%} after {epochs} at lr {self.learning_rate:g}"


RESULTS = {  # the outputs stored in 04_mnist_basics.ipynb (bench/RESULTS.md names each cell)
    # linear1 by hand, batch size 256: one epoch in the cell before, then 20 more: 0.9696 after 21
    # epochs
    "linear1": BookResult("linear1", 1.0, 21, 0.9696),
    "linear": BookResult("linear", 1.0, 20, 0.9785),  # nn.Linear with BasicOptim, batch size 256
    # simple_net with Learner, batch size 256
    "simple_net": BookResult("simple_net", 0.1, 40, 0.9828),
    # "Going Deeper": `cnn_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
    # metrics=accuracy)` then `learn.fit_one_cycle(1, 0.1)`; its one-row table: train_loss 0.082089,
    # valid_loss 0.009578, accuracy 0.997056
    "resnet18": BookResult("resnet18", 0.1, 1, 0.997056),
}
RESNET18_TIME = "00:11"  # the time column of that table: one epoch on the authors' machine
RESNET18_BATCH = 64  # ImageDataLoaders.from_folder(path) with fastai's default batch size, bs=64

# "Creating an Optimizer": the validation accuracy the book prints after each epoch of
# train_model(linear_model, 20) with its BasicOptim, then with fastai's SGD on a new nn.Linear (new
# random weights; its DataLoader(dset, batch_size=256) keeps one order of batches); and the
# batch_accuracy column of learn.fit(10, lr=lr) with its Learner. All at lr 1, batch size 256, on
# MNIST_SAMPLE's 3s and 7s.
OPTIMISER_RUNS = {
    "BasicOptim": (0.4932, 0.8618, 0.8203, 0.9102, 0.9331, 0.9468, 0.9555, 0.9629, 0.9658, 0.9673,
                   0.9687, 0.9707, 0.9726, 0.9751, 0.9761, 0.9761, 0.9775, 0.978, 0.9785, 0.9785),
    "SGD": (0.4932, 0.852, 0.8335, 0.9116, 0.9326, 0.9473, 0.9555, 0.9624, 0.9648, 0.9668, 0.9692,
            0.9712, 0.9731, 0.9746, 0.9761, 0.9765, 0.9775, 0.978, 0.9785, 0.9785),
    "Learner": (0.495584, 0.866045, 0.831207, 0.911187, 0.932777, 0.946516, 0.955348, 0.962218,
                0.965162, 0.967615),
}


def is_mnist_sample(data: DigitData) -> bool:
    """True when the data has exactly MNIST_SAMPLE's digits and image counts (3s and
    7s, 12,396 + 2,038)."""
    if data.digits != [3, 7]:
        return False
    return all(data.count(split, digit) == n for (split, digit), n in MNIST_SAMPLE_COUNTS.items())


def has_books_validation(data: DigitData) -> bool:
    """True when the data validates on as many 3s and 7s as the book (1,010 and 1,028):
    MNIST_SAMPLE, the bundled data (MNIST's test set) or full MNIST, which all hold the book's own
    validation images."""
    return all(data.count("valid", d) == MNIST_SAMPLE_COUNTS[("valid", d)] for d in (3, 7))


def book_result(data: DigitData, model: str, digits: tuple[int, ...]) -> BookResult | None:
    """The book's number for this model, when the task is the book's (3 as target 1, vs 7) and the
    validation images are the book's; the training images may differ (see is_mnist_sample)."""
    if tuple(digits) != (3, 7) or not has_books_validation(data):
        return None
    return RESULTS.get(model)


# ---- The MNIST Loss Function, SGD and Mini-Batches, Putting It All Together ----------------------
# The loss example: cells `trgts = tensor([1,0,1])`, `prds = tensor([0.9, 0.4, 0.2])`, then
# `torch.where(trgts==1, 1-prds, prds)` -> tensor([0.1000, 0.4000, 0.8000]),
# `mnist_loss(prds,trgts)` -> tensor(0.4333) and `mnist_loss(tensor([0.9, 0.4, 0.8]),trgts)` ->
# tensor(0.2333).
LOSS_TARGETS = (1, 0, 1)
LOSS_PREDICTIONS = (0.9, 0.4, 0.2)
LOSS_WHERE = (0.1, 0.4, 0.8)
LOSS = 0.4333
LOSS_BETTER_PREDICTIONS = (0.9, 0.4, 0.8)
LOSS_BETTER = 0.2333
# `corrects.float().mean().item()` for random weights on train_x, then the same after
# `weights[0] *= 1.0001`.
RANDOM_ACCURACY = 0.4912068545818329
NUDGED_ACCURACY = 0.4912068545818329
# SGD and Mini-Batches: `list(DataLoader(range(15), batch_size=5, shuffle=True))`.
RANGE15_BATCHES = ((3, 12, 8, 10, 2), (9, 4, 7, 14, 5), (1, 13, 0, 6, 11))
# `train_x.shape, train_y.shape` -> (torch.Size([12396, 784]), torch.Size([12396, 1])).
TRAIN_SHAPES = ((12396, 784), (12396, 1))
