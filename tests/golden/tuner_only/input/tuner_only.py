from spockc import RangeHyperParameter, spockTuner


@spockTuner
class Only:
    x: RangeHyperParameter[float]
