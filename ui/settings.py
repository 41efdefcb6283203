"""Every setting a link can carry, declared once: its name in the link, label, range or choices,
default and help. Pages draw their widgets from these (ui.widgets.widget); the link checks, teacher
mode and the tests read them too. A name shared by two pages (`lr`, `digit`, `i`) means the same
thing on both, within each page's range."""

from __future__ import annotations

from lessonlib.models import MODELS
from lessonlib.training import TrainConfig
from ui.links import Setting

DEFAULTS = TrainConfig()


def _g(v: object) -> str:
    return f"{v:g}"


def _sci(v: object) -> str:
    return f"{v:.0e}".replace("e-0", "e-")


# ---- a digit image, on the pages that show one (options and range come from the data) ------------
DIGIT = Setting("digit", "Digit", widget="radio")
IMAGE = Setting("i", "Image index", low=0, integer=True, default=0)
ROWS = Setting("rows", "Rows (start:stop)", 0, 28, integer=True, count=2, default=(4, 15),
               help="Python slices leave out the end: rows 4:15 are rows 4 to 14, 11 of them.")
COLS = Setting("cols", "Columns (start:stop)", 0, 28, integer=True, count=2, default=(4, 22),
               help="Columns 4:22 are columns 4 to 21, 18 of them.")

# ---- pixel similarity and distances --------------------------------------------------------------
METRIC = Setting("metric", "Distance used to predict", options=("L1 (the book)", "RMSE"),
                 default="L1 (the book)",
                 widget="radio", help="The book uses L1, the mean absolute difference; Distance "
                 "metrics compares the two.")
MEAN = Setting("mean", "Image b: the mean training image of", widget="selectbox",
               help="Compare with the ideal of the same digit, then another")
SPREAD_TOTAL = 16  # summed absolute error of the spread demo: 16 pixels entirely wrong, or the same
                   # spread thinner
SPREAD = Setting("spread", "Wrong pixels sharing the error", SPREAD_TOTAL, 784, integer=True,
                 default=SPREAD_TOTAL)

# ---- the gradient of x² and the seven steps ------------------------------------------------------
X0 = Setting("x0", "Starting x", -10.0, 10.0, default=3.0, step=0.5, widget="number_input")
STEP_LR = Setting("lr", "Learning rate", 0.01, 1.5, default=0.1, step=0.01,
                  help="How far each step goes, as a multiple of the gradient. Try 0.5, 0.8, 1.0 "
                  "and 1.2.")
STEPS = Setting("steps", "Steps to preview", 1, 50, integer=True, default=10)
FIT_LR = Setting("fitlr", "Learning rate for this fit", options=(1e-6, 3e-6, 1e-5, 3e-5, 1e-4),
                 default=1e-5, widget="select_slider", show=_sci,
                 help="The book uses 1e-5 for this fit. Try 3e-5 (a overshoots back and forth, yet "
                 "the loss still falls) and 1e-4 (the overshoots grow: it blows up).")

# ---- training ------------------------------------------------------------------------------------
# 0.0001 … 10
LEARNING_RATES = tuple(round(m * 10.0**e, 6) for e in range(-4, 1) for m in (1, 2, 5)) + (10.0,)
LR = Setting("lr", "Learning rate", options=LEARNING_RATES, default=DEFAULTS.learning_rate,
             widget="select_slider",
             show=_g, help="How far each step moves the weights, as a multiple of the gradient. "
             "Log scale. Changing it while playing takes effect at the next batch.")
BS = Setting("bs", "Batch size", options=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
             default=DEFAULTS.batch_size,
             widget="select_slider", help="Images per mini-batch: one gradient step per batch.")
MOMENTUM = Setting("momentum", "Momentum", options=(0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
                   default=DEFAULTS.momentum, widget="select_slider", show=_g,
                   help="0 is the book's plain SGD. With momentum each step also keeps that share "
                   "of the last step's direction: v = momentum·v + grad; w -= lr·v, as "
                   "torch.optim.SGD.")
MODEL = Setting("model", "Model",
                options=tuple(m for m, spec in MODELS.items() if spec.on_training_page),
                default=DEFAULTS.model, widget="selectbox",
                help="The book's order: linear1 by hand, then nn.Linear (the same model from "
                "PyTorch), then a small neural net. Changing the model starts again from the seed, "
                "at the book's learning rate for it.")
CLASSES = Setting("classes", "Classes", options=(2, 10), default=10 if DEFAULTS.all_digits else 2,
                  widget="radio",
                  help="2: the chapter's task, the sidebar's two digits with one output and "
                  "mnist_loss. 10: every digit of the data, one output per digit, softmax and "
                  "cross-entropy loss (chapter 5). Changing it starts again from the seed.")
HIDDEN = Setting("hidden", "Hidden units", 1, 256, integer=True, default=DEFAULTS.hidden,
                 widget="number_input")
SEED = Setting("seed", "Seed", 0, 2**31 - 1, integer=True, default=DEFAULTS.seed,
               widget="number_input",
               help="The same seed and settings give the same starting weights, batches and "
               "curves.")
EPOCHS = Setting("epochs", "Epochs per Play", 1, 1000, integer=True, default=20,
                 widget="number_input")

# ---- the optimiser and Learner: the same loop three ways -----------------------------------------
# (model, lr and seed as on the training page)
OPT_BS = BS.within(options=(16, 32, 64, 128, 256, 512, 1024),
                   help="Images per mini-batch. All three ways draw the same batches from the "
                   "seed.")
OPT_EPOCHS = Setting("epochs", "Epochs", 1, 40, integer=True, default=20, widget="number_input",
                     help="Each way trains this many epochs. The book trains 20 with BasicOptim "
                     "and with SGD, and 10 with its Learner.")

# ---- going deeper: resnet18 (the classes and seed are the training page's settings) --------------
DEEP_EPOCHS = Setting("epochs", "Epochs to train", 1, 20, integer=True, default=3,
                      widget="number_input",
                      help="One epoch is one pass over every training image. The book trains "
                      "resnet18 for one epoch of MNIST_SAMPLE's 12,396 training images.")

# ---- your digit, questionnaire -------------------------------------------------------------------
INPUT = Setting("input", "Your digit", options=("draw", "photo"), default="draw",
                widget="segmented_control")
TODO = Setting("todo", "Only the questions not ticked yet", options=("true", "false"),
               default=False, widget="toggle")

# ---- the MNIST loss (mnist-loss) -----------------------------------------------------------------
THRESHOLD = Setting("thr", "Threshold on the raw outputs", -40.0, 40.0, default=0.0, step=0.5,
                    help="An output above the threshold calls the image the first digit. The book "
                    "uses 0.")
PROB_THRESHOLD = Setting("pthr", "Threshold on sigmoid(output)", 0.0, 1.0, default=0.5, step=0.01,
                         help="sigmoid(output) above the threshold calls the image the first "
                         "digit. The book: 0.5.")
WEIGHT_ROW = Setting("wrow", "Pixel row", 0, 27, integer=True, default=14)
WEIGHT_COL = Setting("wcol", "Pixel column", 0, 27, integer=True, default=14,
                     help="Each pixel has one weight: row r, column c is weights[28·r + c].")
NUDGE = Setting("nudge", "Add to that weight", options=(0.0001, 0.001, 0.01, 0.1, 1.0, 10.0),
                default=0.001, widget="select_slider", show=_g,
                help="The book multiplies weights[0] by 1.0001; here you add.")
PRED_1 = Setting("p1", "Prediction for image 1 (target 1)", 0.0, 1.0, default=0.9, step=0.01)
PRED_2 = Setting("p2", "Prediction for image 2 (target 0)", 0.0, 1.0, default=0.4, step=0.01)
PRED_3 = Setting("p3", "Prediction for image 3 (target 1)", 0.0, 1.0, default=0.2, step=0.01)
RAW = Setting("z", "Raw output z of one image", -8.0, 8.0, default=2.0, step=0.1)
LOSS_PIXEL = (WEIGHT_ROW, WEIGHT_COL)
PREDICTIONS = (PRED_1, PRED_2, PRED_3)

# ---- mini-batches (minibatches); `bs` and `seed` as on the training page -------------------------
SHUFFLE = Setting("shuffle", "shuffle=", options=("True", "False"), default="True", widget="radio",
                  help="DataLoader(shuffle=True) draws a new random order every epoch.")

ALL = (DIGIT, IMAGE, ROWS, COLS, METRIC, MEAN, SPREAD, X0, STEP_LR, STEPS, FIT_LR, LR, BS, MOMENTUM,
       MODEL, CLASSES, HIDDEN, SEED, EPOCHS, OPT_BS, OPT_EPOCHS, DEEP_EPOCHS, INPUT, TODO,
       THRESHOLD, PROB_THRESHOLD, WEIGHT_ROW, WEIGHT_COL, NUDGE, PRED_1, PRED_2,
       PRED_3, RAW, SHUFFLE)
# hideable parts of pages
SECTIONS = ("data", "digits", "code", "link", "mistakes", "sweep", "weights-file")
HIDEABLE = SECTIONS + ("lr", "bs", "model", "classes", "hidden", "seed", "momentum", "epochs")
# every name a link may carry
KNOWN = tuple(dict.fromkeys(s.name for s in ALL)) + ("digits", "hide")
