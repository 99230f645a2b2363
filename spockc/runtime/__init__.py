"""What generated modules import: the schema vocabulary and the builder.

Generated namespace modules derive their classes from `ConfigClass` and
`Spockspace`, describe them with the names below and subclass
`ConfigArgBuilder`; generated sampler modules read `Definitions`. This
package never imports libcst or jinja2, and imports optuna only when tuning.
"""

from spockc.runtime.builder import ConfigArgBuilder, SpockBuilder, TunerStatus
from spockc.runtime.definitions import Choices, Definitions, FloatRange, IntRange
from spockc.runtime.errors import ConfigError, Problem
from spockc.runtime.frozen import ConfigClass
from spockc.runtime.schema import (
    BOOL,
    FLOAT,
    INT,
    MISSING,
    STR,
    ChoiceDefinition,
    ChoiceSpec,
    ClassSpec,
    DictOf,
    EnumOf,
    FieldSpec,
    ListOf,
    NestedDefault,
    NestedOf,
    OptionalOf,
    RangeDefinition,
    RangeSpec,
    Scalar,
    Schema,
    Spockspace,
    TupleOf,
    make_space,
)
from spockc.runtime.tuner_config import OptunaTunerConfig

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "MISSING",
    "STR",
    "ChoiceDefinition",
    "ChoiceSpec",
    "Choices",
    "ClassSpec",
    "ConfigArgBuilder",
    "ConfigClass",
    "ConfigError",
    "Definitions",
    "DictOf",
    "EnumOf",
    "FieldSpec",
    "FloatRange",
    "IntRange",
    "ListOf",
    "NestedDefault",
    "NestedOf",
    "OptionalOf",
    "OptunaTunerConfig",
    "Problem",
    "RangeDefinition",
    "RangeSpec",
    "Scalar",
    "Schema",
    "SpockBuilder",
    "Spockspace",
    "TunerStatus",
    "TupleOf",
    "make_space",
]
