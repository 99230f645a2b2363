"""spockc: typed configuration and hyper-parameter tuning, compiled.

This package is what user source files import. The names here are cheap markers:
the compiler reads them from the source text and never runs them, and at run time
they leave the decorated classes as they are. Programs use the generated modules,
which import `spockc.runtime`.
"""

from spockc._markers import (
    ChoiceHyperParameter,
    RangeHyperParameter,
    spock,
    spockTuner,
)
from spockc.runtime.errors import ConfigError
from spockc.runtime.tuner_config import OptunaTunerConfig

__all__ = [
    "ChoiceHyperParameter",
    "ConfigError",
    "OptunaTunerConfig",
    "RangeHyperParameter",
    "spock",
    "spockTuner",
]
