"""The chapter's questionnaire and further research, in our words, each with an answer and where the
app shows it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch


@dataclass(frozen=True)
class Question:
    """One question with a concise answer, the slip learners often make (or ""), and where to see
    it: the page that shows it live (its url path in the app; the app's page registry knows the
    rest), or, where no page shows it, the book's section that teaches it."""

    question: str
    answer: str
    pitfall: str
    page: str
    further: bool = False  # one of the chapter's "Further research" projects
    curve: str = ""  # a function to plot with the answer: "sigmoid" or "relu"
    book: str = ""  # the book's section, for a question no page of the app shows (then page is "")


def _q(question: str, answer: str, page: str, pitfall: str = "", further: bool = False,
       curve: str = "", book: str = "") -> Question:
    return Question(question, answer, pitfall, page, further, curve, book)


def curve(name: str, low: float = -2.0, high: float = 2.0) -> pd.DataFrame:
    """x and f(x) for an activation function the questionnaire asks to draw, computed by PyTorch."""
    x = torch.linspace(low, high, 201)
    y = {"sigmoid": torch.sigmoid, "relu": torch.relu}[name](x)
    return pd.DataFrame({"x": x.numpy(), name: y.numpy()})


QUESTIONS = [
    _q("How does a computer store a grayscale image? And a colour image?",
       "As numbers. A grayscale image is a grid with one number per pixel, usually 0–255: a matrix "
       "(rank 2) of shape (height, width). In MNIST, 0 is the background and 255 is full ink. A "
       "colour image has three numbers per pixel (red, green, blue), so it has one more axis: "
       "shape (height, width, 3), rank 3.",
       "pixels",
       "A colour image is not a bigger matrix: the extra colour axis makes it a rank-3 tensor."),
    _q("How are the files and folders of MNIST_SAMPLE arranged, and why?",
       "A `train` and a `valid` folder, each with one sub-folder per label (`3`, `7`) full of PNG "
       "files. The folder name is the label, and keeping the validation images in their own folder "
       "makes sure they are never trained on. It is a common layout that many tools (and this "
       "app's sidebar) can read directly.",
       "", book="Pixels: The Foundations of Computer Vision"),
    _q("How does the \"pixel similarity\" approach classify a digit?",
       "Average all training images of each digit pixel by pixel to get an \"ideal\" 3 and an "
       "ideal 7. To classify a new image, measure its distance (L1 or RMSE) to each ideal image "
       "and pick the nearer one.",
       "similarity", "Nothing is learned by adjusting weights here: it is a baseline that a "
       "trained model should beat."),
    _q("What is a list comprehension? Write one that keeps the odd numbers of a list and doubles "
       "them.",
       "A compact way to build a list from another one: `[2 * x for x in numbers if x % 2 == 1]`. "
       "The book uses one to open every image file: `[tensor(Image.open(o)) for o in threes]`.",
       "", "The filter (`if …`) goes after the `for`; the expression before `for` is what gets "
       "collected.",
       book="Pixels: The Foundations of Computer Vision"),
    _q("What is a rank-3 tensor?",
       "A tensor with three axes, so you need three indices to pick one number. The stack of all "
       "training 3s, shape (6131, 28, 28), is one: a pile of 28×28 matrices.",
       "pixels", "A rank-3 tensor is a stack of matrices, not a matrix. And \"3\" counts the axes; "
       "it is not the size of any axis."),
    _q("What is the difference between a tensor's rank and its shape? How do you get the rank from "
       "the shape?",
       "The shape lists the length of every axis, e.g. (6131, 28, 28). The rank is the number of "
       "axes: the length of the shape, `len(t.shape)` or `t.ndim` (3 here).",
       "pixels", "Rank is not the number of elements (that is the product of the shape), nor the "
       "\"rank\" of linear algebra."),
    _q("What are RMSE and the L1 norm?",
       "Two ways to measure how far apart two tensors are. L1 (mean absolute "
       "difference) = mean(|a − b|). RMSE (root mean squared error) = sqrt(mean((a − b)²)). Both "
       "stop positive and negative differences from cancelling; RMSE punishes a few big "
       "differences more than many small ones.",
       "distances", "L1 is the mean of the absolute differences, not the absolute value of the "
       "mean difference; RMSE takes the square root after the mean."),
    _q("How can you compute on thousands of numbers at once, thousands of times faster than a "
       "Python loop?",
       "Write the calculation as operations on whole tensors (or NumPy arrays) and use "
       "broadcasting. PyTorch then runs it in optimised C/CUDA code, in parallel and on a GPU if "
       "there is one, instead of one Python step per number.",
       "similarity"),
    _q("Make a 3×3 tensor holding 1 to 9, double it, and select the bottom-right four numbers.",
       "`t = torch.arange(1, 10).view(3, 3) * 2` then `t[1:, 1:]`, which gives "
       "`[[10, 12], [16, 18]]`.",
       "", "Slices include the start and exclude the end: `1:` means from the second row (or "
       "column) to the last. The Pixels page slices a real digit the same way.",
       book="NumPy Arrays and PyTorch Tensors"),
    _q("What is broadcasting?",
       "When two tensors of different shapes meet in an operation, PyTorch acts as if the smaller "
       "one were repeated along the missing (or size-1) axes, without copying memory. "
       "`valid_3s - mean3` subtracts a (28, 28) image from each of (1010, 28, 28) images at once.",
       "similarity", "Shapes are matched from the last axis. A (N, 1) minus a (N,) silently "
       "broadcasts to (N, N) — check shapes when a result looks too big."),
    _q("Are metrics usually computed on the training set or the validation set? Why?",
       "On the validation set: we want to know how the model does on data it has not seen. On the "
       "training set a model can look great just by memorising the images (overfitting).",
       "", "A high training accuracy on its own proves little; report the validation numbers. "
       "Every accuracy in this app is measured on validation images.",
       book="First Try: Pixel Similarity"),
    _q("What is SGD?",
       "Stochastic gradient descent: improve the parameters automatically by computing the "
       "gradient of the loss on a random mini-batch and moving every parameter a little against "
       "its gradient, again and again.",
       "training"),
    _q("Why does SGD use mini-batches?",
       "The gradient of one item is very noisy, and the gradient of the whole data set costs a "
       "full pass for a single step. A mini-batch gives a decent estimate cheaply, uses the "
       "hardware's parallelism well and allows many steps per epoch; the random batches also add a "
       "helpful bit of noise.",
       "minibatches", "Batch size is a trade-off: bigger batches give smoother but fewer steps per "
       "epoch, not simply better training."),
    _q("What are the seven steps of SGD for machine learning?",
       "1. Initialise the weights (randomly). 2. Predict with them. 3. Compute the loss. 4. "
       "Compute the gradient of the loss for each weight (`backward()`). 5. Step: change the "
       "weights by −learning rate × gradient. 6. Repeat from step 2. 7. Stop when done (enough "
       "epochs, good enough, or out of time).",
       "gradient", "Deciding when to stop is a step too, and the gradients must be reset before "
       "the next iteration."),
    _q("How do we initialise the weights of a model?",
       "With random numbers, e.g. `torch.randn(size) * std`, marked with `requires_grad_()` so "
       "PyTorch tracks gradients for them. SGD will improve them from there.",
       "training", "Don't give every weight of a layer the same value: identical hidden units get "
       "identical gradients and stay copies of each other."),
    _q("What is \"loss\"?",
       "One number saying how bad the model's predictions are, built so that it changes smoothly "
       "when the weights change a little. SGD adjusts the weights to make it smaller.",
       "mnist-loss"),
    _q("Why can't we always use a high learning rate?",
       "Steps that are too big overshoot the minimum: the loss bounces from side to side "
       "(oscillates) or grows with every step until it becomes infinite or NaN (diverges). Too "
       "small a rate is safe but slow.",
       "gradient", "Too high a learning rate does not cause overfitting: it makes training "
       "unstable, oscillating or diverging."),
    _q("What is a gradient?",
       "The derivative of the loss with respect to a parameter: how much the loss changes for a "
       "tiny change of that parameter. With many parameters it is one such slope for each. It "
       "points uphill, so SGD steps the other way.",
       "gradient",
       "It is the gradient of the loss, not of the predictions, and we move against it."),
    _q("Do you need to know how to calculate gradients yourself?",
       "No: PyTorch's autograd computes them for any calculation made of tensor operations "
       "(`loss.backward()`). What you need is to understand what a gradient means.",
       "gradient"),
    _q("Why can't we use accuracy as a loss function?",
       "Accuracy only changes when a prediction crosses the 0.5 line, so a small change of the "
       "weights almost never changes it: its gradient is zero almost everywhere and SGD gets no "
       "direction. Switch on \"Accuracy as the loss\" on the training page and the weights stop "
       "moving.",
       "mnist-loss",
       "Accuracy is still the right metric to report; it just cannot steer the weights."),
    _q("Draw the sigmoid function. What is special about its shape?",
       "σ(x) = 1 / (1 + e^(−x)): a smooth S rising from near 0 to near 1, with σ(0) = 0.5. It "
       "squashes any number into (0, 1), always increases, and has a gradient everywhere, so "
       "`mnist_loss` can read outputs as probabilities.",
       "mnist-loss", "It never reaches exactly 0 or 1.", curve="sigmoid"),
    _q("What is the difference between a loss function and a metric?",
       "The loss is for the optimiser: smooth, so that its gradients say how to improve. The "
       "metric is for people: what we actually care about, such as accuracy on the validation set. "
       "Sometimes one function can be both.",
       "mnist-loss"),
    _q("What is the function that computes new weights from a learning rate?",
       "The SGD step: for every parameter w, `w.data -= lr * w.grad.data` (or the same inside "
       "`with torch.no_grad():`), then reset `w.grad = None`. The book's `BasicOptim.step` does "
       "exactly this.",
       "optimiser", "Subtract, don't add; the step is the learning rate times the gradient. And a "
       "plain `w -= lr * w.grad` on a parameter that requires gradients raises an error outside "
       "`torch.no_grad()`: PyTorch refuses to change a leaf tensor in place while it is "
       "recording."),
    _q("What does the DataLoader class do?",
       "It takes a data set and hands it out as mini-batches: tuples of stacked inputs and targets "
       "of a chosen batch size, shuffled each epoch if asked.",
       "minibatches"),
    _q("Write pseudocode of the basic steps of one SGD epoch.",
       "`for xb, yb in train_batches: preds = model(xb); loss = loss_func(preds, yb); "
       "loss.backward(); for p in params: p.data -= lr * p.grad; p.grad = None` — then measure "
       "loss and accuracy on the validation set.",
       "optimiser"),
    _q("Write a function that turns `[1, 2, 3, 4]` and `'abcd'` into `[(1, 'a'), (2, 'b'), (3, "
       "'c'), (4, 'd')]`. What is special about that output?",
       "`def pairs(xs, ys): return list(zip(xs, ys))`. A list of (input, label) tuples is exactly "
       "what PyTorch calls a Dataset: indexing it gives one item with its target.",
       "minibatches"),
    _q("What does `view` do in PyTorch?",
       "It gives the same data with a new shape, without copying, e.g. `x.view(-1, 28 * 28)` turns "
       "(N, 28, 28) images into (N, 784) rows; −1 means \"work this size out\".",
       "minibatches",
       "The number of elements must stay the same, and it never moves numbers around."),
    _q("What are the bias parameters of a neural network, and why do we need them?",
       "A number added after the weighted sum: `x @ w + b`. Without it an all-zero input always "
       "gives 0 and the boundary between classes must pass through the origin; the bias lets the "
       "function shift, like b in y = wx + b.",
       "", book="The MNIST Loss Function"),
    _q("What does the `@` operator do in Python?",
       "Matrix multiplication (`torch.matmul`): (N, 784) @ (784, 1) gives (N, 1), one weighted sum "
       "per image.",
       "minibatches", "It is not element-wise multiplication; that is `*`."),
    _q("What does the `backward` method do?",
       "Called on the loss, it computes the gradient of the loss with respect to every tensor that "
       "requires gradients, going backwards through the recorded calculation (the chain rule), and "
       "adds it to the `.grad` of each *leaf* tensor: the parameters made with `requires_grad_()`. "
       "Intermediate results such as the predictions get no `.grad` (unless you ask with "
       "`retain_grad()`).",
       "gradient",
       "backward() only computes gradients; it does not change the weights. The step does that."),
    _q("Why do we have to zero the gradients?",
       "Because `backward()` adds the new gradient to whatever is already in `.grad`. Without "
       "zeroing, each step uses the sum of all earlier gradients and the steps keep growing. Try "
       "\"Skip zeroing the gradients\" on the training page.",
       "training"),
    _q("What do we have to give a Learner?",
       "The DataLoaders (training and validation), the model, the optimiser function (e.g. SGD), "
       "the loss function and, optionally, the metrics to print.",
       "optimiser"),
    _q("Show Python or pseudocode for the basic steps of a training loop.",
       "`for epoch in range(epochs): for xb, yb in train_dl: loss = loss_func(model(xb), yb); "
       "loss.backward(); opt.step(); opt.zero_grad()` — and after each epoch, report the "
       "validation metric.",
       "optimiser"),
    _q("What is ReLU? Plot it from −2 to +2.",
       "`max(0, x)`: negative numbers become 0, positive ones pass unchanged. From −2 to 0 the "
       "plot is flat at 0, then a straight line of slope 1 up to (2, 2).",
       "nonlinearity", curve="relu"),
    _q("What is an activation function?",
       "A nonlinear function such as ReLU or sigmoid placed between linear layers. Without it, "
       "stacked linear layers collapse into a single linear layer.",
       "nonlinearity", "Activation *functions* are not the same as activations, the numbers a "
       "layer computes. The forward pass computes the activations (every layer's output), not "
       "\"the activation function\"; the activation function is one of the steps it applies."),
    _q("What is the difference between `F.relu` and `nn.ReLU`?",
       "The same calculation: `F.relu` is a plain function, `nn.ReLU` is a module (a class you "
       "instantiate), so it can sit inside `nn.Sequential`.",
       "nonlinearity"),
    _q("One nonlinearity is enough to approximate any function (the universal approximation "
       "theorem). Why use more?",
       "Because in practice deeper models reach the same accuracy with far fewer parameters: "
       "smaller matrices in more layers train faster, need less memory and work better than one "
       "huge layer.",
       "deeper"),
    _q("Build your own Learner from scratch, based on the chapter's training loop.",
       "The training page runs such a loop: a class holding the model, an optimiser and the data, "
       "with one method for a mini-batch step and one for an epoch plus validation. Its code is "
       "under \"Show the code\" there.",
       "optimiser", further=True),
    _q("Do the whole chapter with the full MNIST: all ten digits, not just 3s and 7s.",
       "The similarity page's last section and this app's \"Your digit\" page compare an image "
       "with the mean of all ten digits; the sidebar can download the full 70,000-image MNIST. A "
       "trained model for ten classes needs ten outputs and a loss such as cross-entropy instead "
       "of one sigmoid output.",
       "your-digit", further=True),
]
