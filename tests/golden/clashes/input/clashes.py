"""Field names that clash with names of the generated sampler."""

from spockc import ChoiceHyperParameter, RangeHyperParameter, spockTuner


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
