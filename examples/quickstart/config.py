"""Fixed parameters of a small training program: no tuning."""

from enum import Enum

from spockc import spock


class Activation(Enum):
    """Activation function of the hidden layers."""

    relu = "relu"
    gelu = "gelu"


@spock
class Optimizer:
    """How the weights are updated.

    Attributes:
        lr: learning rate
        betas: Adam's two decay rates
    """

    lr: float = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)


@spock
class Train:
    """One training run.

    Attributes:
        epochs: passes over the data
        hidden: width of each hidden layer
        act: activation of the hidden layers
        clip: gradient-norm limit; None turns clipping off
        optimizer: optimiser settings
    """

    epochs: int
    hidden: list[int] = [64, 64]
    act: Activation = Activation.relu
    clip: float | None = None
    shuffle: bool = True  # visit the examples in a new order each epoch
    optimizer: Optimizer = Optimizer(lr=0.01)
