"""Hyper-parameters in every form."""

from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner


@spock
class Fixed:
    n_trials: int = 10


@spockTuner
class Model:
    """Hyper-parameters of the model.

    Attributes:
        lr: learning rate
        units: hidden units
    """

    lr: RangeHyperParameter[float] = RangeHyperParameter(
        type="float", bounds=[1e-4, 0.1], log_scale=True
    )
    units: RangeHyperParameter[int] = RangeHyperParameter(bounds=(8, 512), step=8)
    depth: RangeHyperParameter = RangeHyperParameter(type="int", bounds=[1, 6])
    dropout: RangeHyperParameter
    typed_only: RangeHyperParameter[int]
    act: ChoiceHyperParameter = ChoiceHyperParameter(type="str", choices=["relu", "gelu"])
    batch: ChoiceHyperParameter[int] = ChoiceHyperParameter(choices=[16, 32, 64])
    momentum: ChoiceHyperParameter = ChoiceHyperParameter(type="float", choices=[0.9, 0.99])
    shuffle: ChoiceHyperParameter = ChoiceHyperParameter(choices=[True, False])
    loss: ChoiceHyperParameter[str]
    anything: ChoiceHyperParameter
