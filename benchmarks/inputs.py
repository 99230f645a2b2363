"""Write the deterministic config sources and YAML files both libraries read.

One source text serves both: it is written the way spock-config users write
config classes (`from spock import spock`), which spock-config imports as it is
and spockc compiles unchanged. Sizes: `small` is the seed page's two classes;
the others are N classes of ten fields of mixed types.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIELDS = 10
SIZES = {"small": 2, "medium": 20, "large": 200, "xlarge": 1000}

_SEED_SOURCE = '''\
"""The seed page's two classes, written for spock-config."""

from spock import spock
from spock.addons.tune import ChoiceHyperParameter, RangeHyperParameter, spockTuner


@spock
class BasicParams:
    n_trials: int
    max_iter: int


@spockTuner
class LogisticRegressionHP:
    c: RangeHyperParameter
    solver: ChoiceHyperParameter
'''

_SEED_YAML = """\
BasicParams:
  n_trials: 10
  max_iter: 150

LogisticRegressionHP:
  c:
    type: float
    bounds: [1E-07, 10.0]
    log_scale: true
  solver:
    type: str
    choices: ["lbfgs", "saga"]
"""

_HEADER = '''\
"""{count} generated config classes of {fields} fields, for the benchmarks."""

from enum import Enum
from typing import List, Optional

from spock import spock


class Color(Enum):
    red = "red"
    green = "green"
    blue = "blue"
'''


@dataclass(frozen=True)
class Case:
    """One benchmark input: a config source, its YAML file and its overrides."""

    name: str
    classes: tuple[str, ...]
    source: Path
    config: Path
    overrides: tuple[str, ...]

    @property
    def module(self) -> str:
        """Return the module name of the source."""
        return self.source.stem

    def command_line(self) -> list[str]:
        """Return the arguments both builders read: the YAML file and two overrides."""
        return ["--config", str(self.config), *self.overrides]


def class_source(index: int) -> str:
    """Return the source of class `C{index}`.

    Every tenth class is a leaf; the nine after it each nest it as a field, so
    nesting is one level deep whatever the size.
    """
    leaf = index - index % 10
    last = '    f9: str = "leaf"' if index == leaf else f"    f9: C{leaf} = C{leaf}"
    lines = [
        "@spock",
        f"class C{index}:",
        f'    """Generated class number {index}."""',
        "",
        "    f0: int",
        f"    f1: float = {index}.5",
        f'    f2: str = "name{index}"',
        "    f3: bool = False",
        f"    f4: List[int] = [1, 2, {index}]",
        "    f5: Optional[float] = None",
        "    f6: Color = Color.red",
        f"    f7: int = {index}",
        "    f8: float",
        last,
    ]
    return "\n".join(lines) + "\n"


def class_yaml(index: int) -> str:
    """Return the YAML section of class `C{index}`: required fields and a few more."""
    lines = [f"C{index}:", f"  f0: {index}", f"  f8: {index}.25"]
    if index % 2:
        lines.append("  f6: blue")
    if index % 3 == 0:
        lines += ["  f4: [3, 2, 1]", "  f5: 0.5"]
    return "\n".join(lines) + "\n"


def generated_source(count: int) -> str:
    """Return the source text of `count` classes."""
    parts = [_HEADER.format(count=count, fields=FIELDS)]
    parts += [class_source(index) for index in range(count)]
    return "\n\n".join(parts)


def generated_yaml(count: int) -> str:
    """Return the YAML text that configures `count` classes."""
    return "\n".join(class_yaml(index) for index in range(count))


def write_case(name: str, folder: Path) -> Case:
    """Write the source and YAML file of the size `name` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    count = SIZES[name]
    source = folder / f"bench_{name}.py"
    config = folder / f"bench_{name}.yaml"

    if name == "small":
        source.write_text(_SEED_SOURCE)
        config.write_text(_SEED_YAML)
        classes: tuple[str, ...] = ("BasicParams", "LogisticRegressionHP")
        overrides = ("--BasicParams.n_trials", "7", "--BasicParams.max_iter", "90")
        return Case(name, classes, source, config, overrides)

    source.write_text(generated_source(count))
    config.write_text(generated_yaml(count))
    classes = tuple(f"C{index}" for index in range(count))
    overrides = ("--C0.f0", "7", f"--C{count - 1}.f2", "from_cli")
    return Case(name, classes, source, config, overrides)
