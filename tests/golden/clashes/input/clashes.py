"""Field names that clash with names of the generated sampler."""

from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner


@spockTuner
class Enc:
    lr: RangeHyperParameter[float]
    distributions: RangeHyperParameter[int]
    params: ChoiceHyperParameter[str]
    list: RangeHyperParameter


@spockTuner
class Dec:
    lr: RangeHyperParameter[int]
    trial: ChoiceHyperParameter = ChoiceHyperParameter(choices=["a", "b"])
    _hidden: RangeHyperParameter[float]


@spock
class Shadows:
    int: str = "a"
    count: int = 1
    list: float = 0.5
    sizes: list[int] = [1]
    Literal: str = "x"
