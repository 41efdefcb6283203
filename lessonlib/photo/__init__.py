"""A learner's own digit, drawn or photographed: decoding, paper shading, and MNIST's
preprocessing."""
