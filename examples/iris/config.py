"""Parameters of the iris logistic-regression tuning example."""

from spockc import ChoiceHyperParameter, RangeHyperParameter, spock, spockTuner


@spock
class BasicParams:
    """Fixed parameters of a tuning run.

    Attributes:
        n_trials: how many Optuna trials to run
        max_iter: iteration limit of each logistic-regression fit
    """

    n_trials: int
    max_iter: int = 150


@spockTuner
class LogisticRegressionHP:
    """Hyper-parameters of the logistic regression.

    Attributes:
        c: inverse regularisation strength; bounds come from the config file
        solver: the optimisation algorithm
    """

    c: RangeHyperParameter[float]
    solver: ChoiceHyperParameter = ChoiceHyperParameter(
        type="str", choices=["lbfgs", "saga"]
    )
