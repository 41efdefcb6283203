"""How big a model's weights are: one number for all its parameters."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def weight_norm(model: nn.Module) -> float:
    """The L2 norm of every weight and bias together: sqrt(sum of their squares)."""
    return torch.cat([p.reshape(-1) for p in model.parameters()]).norm().item()  # (n_params,) -> ()
