"""Wrong uses of generated code that the type checkers must reject.

Each line marked `# expect:` must get exactly the errors it names, from mypy and
from pyright; no other line may get any. Checked by test_type_checkers.py
against examples/iris/config_spock.py.
"""

from config_spock import BasicParams, LogisticRegressionHP, SampledSpockspace, Spockspace


def misspelled_field(fixed: Spockspace) -> int:
    return fixed.BasicParams.n_trails  # expect: mypy=attr-defined pyright=reportAttributeAccessIssue


def misspelled_class(fixed: Spockspace) -> object:
    return fixed.BasicParam  # expect: mypy=attr-defined pyright=reportAttributeAccessIssue


def tuned_class_missing_from_fixed_space(fixed: Spockspace) -> float:
    return fixed.LogisticRegressionHP.c  # expect: mypy=attr-defined pyright=reportAttributeAccessIssue


def wrong_field_type(fixed: Spockspace) -> str:
    return fixed.BasicParams.n_trials  # expect: mypy=return-value pyright=reportReturnType


def assign_frozen_field(hp: SampledSpockspace) -> None:
    hp.LogisticRegressionHP.c = 0.5  # expect: mypy=misc pyright=reportAttributeAccessIssue


def choice_outside_literal(hp: SampledSpockspace) -> None:
    solver: str = hp.LogisticRegressionHP.solver
    hp2 = LogisticRegressionHP(c=1.0, solver="adam")  # expect: mypy=arg-type pyright=reportArgumentType
    del solver, hp2


def construct_with_wrong_type() -> BasicParams:
    return BasicParams(n_trials="5", max_iter=1)  # expect: mypy=arg-type pyright=reportArgumentType


def construct_positionally() -> BasicParams:
    return BasicParams(5, 1)  # expect: mypy=call-arg pyright=reportCallIssue


def construct_missing_field() -> BasicParams:
    return BasicParams(max_iter=1)  # expect: mypy=call-arg pyright=reportCallIssue


def assign_to_space(fixed: Spockspace, params: BasicParams) -> None:
    fixed.BasicParams = params  # expect: mypy=misc pyright=reportAttributeAccessIssue
