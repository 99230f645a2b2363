"""The builder that generated namespace modules subclass, with their `schema`.

`ConfigArgBuilder(...)` reads and validates everything when it is constructed:
config files (and their includes), then the command line, against the schema the
generated module gives. `generate()` returns the typed space of fixed classes;
`tuner()`, `sample()`, `best` and `tuner_status` delegate to
`spockc.runtime.tuning.Tuner`, which is imported (with optuna) only by `tuner()`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, TypedDict, TypeVar

from spockc.runtime.errors import ConfigError, Problem
from spockc.runtime.schema import (
    Schema,
    Spockspace,
    make_space,
)
from spockc.runtime.tuner_config import OptunaTunerConfig

# Reading files, the command line, saving and tuning are imported where they are
# used: a program pays only for what it does, and importing a generated module
# stays cheap.
if TYPE_CHECKING:
    import optuna
    from typing_extensions import Self

    from spockc.runtime.assemble import Gathered as _Gathered
    from spockc.runtime.assemble import Plan
    from spockc.runtime.cmdline import CommandLine
    from spockc.runtime.definitions import Definitions
    from spockc.runtime.tuning import Tuner

FixedT = TypeVar("FixedT", bound=Spockspace)
SampledT = TypeVar("SampledT", bound=Spockspace)


if TYPE_CHECKING:

    class TunerStatus(TypedDict):
        """What `tuner_status` returns: the study and the trial of the last sample."""

        study: optuna.Study
        trial: optuna.trial.Trial

else:
    # The same TypedDict, its value types left unnamed at run time: spelled as
    # strings (as class syntax does here), `typing` would compile each one, and
    # the first compile of a process costs 1.3 ms, a twentieth of importing a
    # generated module.
    TunerStatus = TypedDict("TunerStatus", {"study": object, "trial": object})  # noqa: UP013
    TunerStatus.__doc__ = (
        "What `tuner_status` returns: the study and the trial of the last sample."
    )


class ConfigArgBuilder(Generic[FixedT, SampledT]):
    """Build the classes of a generated module from config files and flags.

    Values come from, lowest to highest: the defaults in the source, config files
    in the order given (`configs=` first, then `-c/--config`), then `--Class.field`
    flags. With `args=` or `no_cmd_line=True` every problem is raised as one
    `ConfigError`; reading `sys.argv`, the problems and the usage are printed to
    stderr and the program exits with status 2, as argparse does.

    Two rules worth knowing: an Enum field takes a member's value, never its
    name (a name is rejected with a hint naming the value, in every format and
    on the command line); and TOML has no null, so `save()` to TOML leaves out a
    None whose default is None and refuses any other None.
    """

    schema: ClassVar[Schema[Any, Any]]

    def __init__(
        self,
        *classes: type,
        desc: str = "",
        configs: Sequence[str | os.PathLike[str]] | None = None,
        args: Sequence[str] | None = None,
        no_cmd_line: bool = False,
    ) -> None:
        if not classes:
            raise TypeError("ConfigArgBuilder() needs at least one config class")
        plan = _plan_of(type(self))
        built = plan.closure(classes)
        self._plan = plan
        self._desc = desc
        self._built = built
        self._tuned = [name for name in built if plan.classes[name].spec.is_tuner]
        self._tuner: Tuner[SampledT] | None = None
        self._run_id = os.urandom(16).hex()  # as uuid4().hex, without importing uuid
        self._written: set[str] = set()

        if isinstance(args, str):
            raise TypeError("args= takes a list of strings, as sys.argv[1:] holds them")
        if isinstance(configs, str | os.PathLike):
            configs = [configs]  # one file given alone
        self._from_argv = from_argv = args is None and not no_cmd_line
        argv: Sequence[str] = (
            [] if no_cmd_line else sys.argv[1:] if args is None else args
        )
        self._argv = argv
        try:
            self._read(argv, configs or ())
        except ConfigError as error:
            if from_argv:
                _exit_with(error.problems)
            raise

    def _read(
        self, argv: Sequence[str], configs: Sequence[str | os.PathLike[str]]
    ) -> None:
        """Read and build with the cyclic garbage collector paused.

        Reading a file makes thousands of short-lived objects (YAML nodes, raw
        values) and no cycles; with the collector running, it looks at them over
        and over. Pausing it makes a build of 200 classes about a tenth faster
        and removes the occasional full collection that made one build in
        eight nearly twice as slow. Whatever survives is collected as
        usual after the build.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._read_and_build(argv, configs)
        finally:
            if was_enabled:
                gc.enable()

    def _read_and_build(
        self, argv: Sequence[str], configs: Sequence[str | os.PathLike[str]]
    ) -> None:
        from spockc.runtime.assemble import Builder, Gathered

        plan, built = self._plan, self._built
        gathered = Gathered(plan, built)
        command = self._command_line(argv) if argv else None
        paths = [(os.fspath(path), "configs=") for path in configs]
        if command is not None:
            paths += [(path, "--config") for path in command.configs]
            gathered.problems += command.problems
        if paths:
            from spockc.runtime.config_files import load_documents

            documents, problems = load_documents(paths)
            gathered.problems += problems
            gathered.quiet_missing = bool(problems)
            for document in documents:
                gathered.read_document(document)
        if command is not None:
            gathered.read_flags(command.values)

        maker = Builder(plan, gathered)
        fixed = {}
        for name in built:
            if not plan.classes[name].spec.is_tuner:
                fixed[name] = maker.instance(name)
        if gathered.problems:
            self._gathered = gathered
            problems = gathered.problems + self._given_definition_problems()
            ordered = _ordered(problems, argv) + _stale_source(plan.schema)
            raise ConfigError(ordered)

        self._gathered = gathered
        self._fixed: FixedT = make_space(plan.schema.fixed_space, fixed)
        self._replay = self._replayed(gathered)

    def _command_line(self, argv: Sequence[str]) -> CommandLine:
        """Split `argv`; print the help and exit 0 when it asks for it."""
        from spockc.runtime.assemble import flag_table
        from spockc.runtime.cmdline import parse_command_line

        plan, built = self._plan, self._built
        command = parse_command_line(argv, flag_table(plan), set(built))
        if command.wants_help:
            print(self.help_text())
            raise SystemExit(0)
        return command

    def _replayed(self, gathered: _Gathered) -> SampledT | None:
        """Return the sampled space when every tuned field has a plain value."""
        classes: dict[str, object] = {}
        for name in self._tuned:
            given = gathered.values.get(name, {})
            fields = self._plan.classes[name].tuned
            if not fields or any(spec.name not in given for spec in fields):
                return None
            kwargs = {spec.name: given[spec.name][0] for spec in fields}
            classes[name] = self._plan.classes[name].spec.cls(**kwargs)
        if not classes:
            return None
        sampled: SampledT = make_space(
            self._plan.schema.sampled_space, {**_classes_of(self._fixed), **classes}
        )
        return sampled

    # --- fixed parameters ---------------------------------------------------------

    def generate(self) -> FixedT:
        """Return the space of fixed classes, nested ones included."""
        return self._fixed

    def help_text(self) -> str:
        """Return the `-h` text: usage, description and a field table per class."""
        from spockc.runtime.help import help_text

        return help_text(_prog(), self._desc, self._plan, self._built)

    # --- tuning -------------------------------------------------------------------

    def tuner(self, tuner_config: OptunaTunerConfig) -> Self:
        """Validate the hyper-parameter definitions and open the Optuna study.

        Problems with the definitions or the study are raised as one
        `ConfigError`, or, when the builder read `sys.argv`, printed with the
        usage before exiting with status 2, like problems found when reading.
        """
        try:
            self._tuner = self._open_tuner(tuner_config)
        except ConfigError as error:
            if self._from_argv:
                _exit_with(error.problems)
            raise
        return self

    def _open_tuner(self, tuner_config: OptunaTunerConfig) -> Tuner[SampledT]:
        if not isinstance(tuner_config, OptunaTunerConfig):
            got = type(tuner_config).__name__
            raise TypeError(f"tuner() takes an OptunaTunerConfig, got {got}")
        if not self._tuned:
            message = (
                "tuner() needs at least one @spockTuner class given to the builder"
            )
            raise ConfigError([Problem("", "", message)])

        problems = self._fixed_tuned_fields()
        definitions, invalid = self._build_definitions()
        problems += invalid
        if problems:
            raise ConfigError(_ordered(problems, self._argv))

        from spockc.runtime.tuning import Tuner

        return Tuner(self._plan.schema, self._tuned, definitions, tuner_config)

    def _build_definitions(
        self, only_given: bool = False
    ) -> tuple[Definitions, list[Problem]]:
        """Merge and check the definitions of the tuned fields without a fixed value.

        With `only_given`, check only those given a definition in a file or a
        flag.
        """
        from spockc.runtime.hyperparams import build_definitions

        fields = []
        given_definitions = self._gathered.definitions
        for name in self._tuned:
            given = self._gathered.values.get(name, {})
            for spec in self._plan.classes[name].tuned:
                key = f"{name}.{spec.name}"
                if spec.name in given or (only_given and key not in given_definitions):
                    continue
                fields.append((key, spec))
        source = self._plan.schema.source
        return build_definitions(fields, given_definitions, source)

    def _given_definition_problems(self) -> list[Problem]:
        """Return the problems of the definitions given in files and flags.

        Called when reading failed, so that one run reports them with the
        rest; a definition given nowhere is reported by `tuner()` only, since
        a program that does not tune needs none.
        """
        if not self._tuned:
            return []
        _, problems = self._build_definitions(only_given=True)
        failed = self._gathered.failed  # its value did not read: said already
        return [problem for problem in problems if problem.key not in failed]

    def _fixed_tuned_fields(self) -> list[Problem]:
        problems = []
        hint = "{type: ..., bounds: [low, high]} or {type: ..., choices: [...]}"
        for name in self._tuned:
            given = self._gathered.values.get(name, {})
            for field_name, (value, where) in given.items():
                message = f"has the fixed value {value!r}; tuner() needs a definition such as {hint}"
                problems.append(Problem(where, f"{name}.{field_name}", message))
        return problems

    def sample(self) -> SampledT:
        """Return the fixed classes plus one sample of the tuned classes.

        Without `tuner()`, when every tuned field was given a plain value (a saved
        sample or best file), return the space of those values.
        """
        if self._tuner is not None:
            return self._tuner.sample(self._fixed)
        if self._replay is not None:
            return self._replay
        message = (
            "call tuner() before sample(), or give every tuned field a plain value"
        )
        raise ConfigError([Problem("", "", message)])

    @property
    def tuner_status(self) -> TunerStatus:
        """Return the Optuna study and the trial of the last `sample()`."""
        return self._need_tuner("reading tuner_status").status

    @property
    def best(self) -> tuple[SampledT, float]:
        """Return the space of the best completed trial and its value."""
        return self._need_tuner("reading best").best(self._fixed)

    def _need_tuner(self, what: str) -> Tuner[SampledT]:
        if self._tuner is None:
            raise ConfigError([Problem("", "", f"call tuner() before {what}")])
        return self._tuner

    # --- saving -------------------------------------------------------------------

    def save(
        self,
        file_name: str | None = None,
        user_specified_path: str | os.PathLike[str] | None = None,
        create_save_path: bool = True,
        extra_info: bool = True,
        file_extension: str = ".yaml",
        add_tuner_sample: bool = False,
    ) -> Self:
        """Write the built values (and tuning definitions or the next sample) to a file.

        The name is `{file_name}.{run id}.spock.cfg{ext}`, or
        `{file_name}.hp.sample.{n}.{run id}.spock.cfg{ext}` with `add_tuner_sample`.
        """
        definitions: dict[str, dict[str, object]] = {}
        if add_tuner_sample:
            tuner = self._need_tuner("save(add_tuner_sample=True)")
            classes = _classes_of(tuner.peek(self._fixed))
            kind = f"hp.sample.{tuner.sample_count + 1}"
        elif self._replay is not None:
            classes, kind = _classes_of(self._replay), ""
        else:
            # The definitions that are valid, so that the file can be tuned again.
            classes, kind = _classes_of(self._fixed), ""
            classes.update((name, None) for name in self._tuned)
            definitions = self._definitions()
        self._write(
            classes,
            definitions,
            kind,
            file_name,
            user_specified_path,
            create_save_path,
            extra_info,
            file_extension,
        )
        return self

    def save_best(
        self,
        file_name: str | None = None,
        user_specified_path: str | os.PathLike[str] | None = None,
        create_save_path: bool = True,
        extra_info: bool = True,
        file_extension: str = ".yaml",
    ) -> Self:
        """Write the fixed values and the best trial's values; rewrite on each call."""
        best, _ = self._need_tuner("save_best()").best(self._fixed)
        classes = _classes_of(best)
        self._write(
            classes,
            {},
            "hp.best",
            file_name,
            user_specified_path,
            create_save_path,
            extra_info,
            file_extension,
        )
        return self

    def _definitions(self) -> dict[str, dict[str, object]]:
        """Return the validated definitions in spock's form, for saving."""
        from spockc.runtime import save as _save

        definitions, _ = self._build_definitions()
        specs = {
            f"{n}.{s.name}": s for n in self._tuned for s in self._plan.classes[n].tuned
        }
        return _save.definitions_as_dicts(definitions, specs)

    def _write(
        self,
        classes: Mapping[str, object],
        definitions: Mapping[str, Mapping[str, object]],
        kind: str,
        file_name: str | None,
        path: str | os.PathLike[str] | None,
        create_save_path: bool,
        extra_info: bool,
        extension: str,
    ) -> None:
        from spockc.runtime import save as _save

        folder = _save.save_folder(path, self._fixed, create_save_path)
        name_parts = [part for part in (file_name, kind, self._run_id) if part]
        target = os.path.join(
            folder, ".".join(name_parts) + ".spock.cfg" + _save.extension(extension)
        )
        payload = _save.payload(
            self._plan, classes, definitions, target.endswith(".toml")
        )
        header = _save.header() if extra_info else []
        if os.path.exists(target) and target not in self._written:
            raise FileExistsError(
                f"{target} exists and was written by another run; not overwriting it"
            )
        _save.write(target, payload, header)
        self._written.add(target)

    # --- dictionaries and evolve, as in spock ---------------------------------------

    def config_2_dict(self) -> dict[str, dict[str, object]]:
        """Return the built fixed classes as plain dictionaries, by class name."""
        return self.spockspace_2_dict(self._fixed)

    def spockspace_2_dict(self, objs: Spockspace) -> dict[str, dict[str, object]]:
        """Return every class of a space as a plain dictionary, by class name."""
        from spockc.runtime import save as _save

        return _save.payload(self._plan, _classes_of(objs), {})

    def obj_2_dict(
        self, obj: object | Iterable[object]
    ) -> dict[str, dict[str, object]]:
        """Return config class instances as plain dictionaries, by class name."""
        from spockc.runtime import save as _save

        items = list(obj) if isinstance(obj, list | tuple) else [obj]
        classes: dict[str, object] = {}
        for item in items:
            name = self._plan.by_type.get(type(item))
            if name is None:
                raise TypeError(
                    f"{item!r} is not an instance of a class of {self._plan.schema.source}"
                )
            classes[name] = item
        return _save.payload(self._plan, classes, {})

    def evolve(self, *args: object) -> FixedT:
        """Return the fixed space with the given instances replacing their classes.

        Fields of other built classes that held the replaced instance hold the new
        one, recursively.
        """
        from spockc.runtime import save as _save

        current = _classes_of(self._fixed)
        replaced: dict[int, object] = {}
        for item in args:
            name = self._plan.by_type.get(type(item))
            if name is None or name not in current:
                raise TypeError(
                    f"evolve() takes instances of the built classes, got {item!r}"
                )
            replaced[id(current[name])] = item
            current[name] = item
        evolved: FixedT = make_space(
            self._plan.schema.fixed_space, _save.propagate(current, replaced)
        )
        return evolved


SpockBuilder = ConfigArgBuilder


def _plan_of(builder: type[ConfigArgBuilder[Any, Any]]) -> Plan:
    """Return the plan of a builder class's schema, computed once per class."""
    plan: Plan | None = builder.__dict__.get("_spockc_plan")
    if plan is None or plan.schema is not builder.schema:
        from spockc.runtime.assemble import make_plan

        plan = make_plan(builder.schema)
        type.__setattr__(builder, "_spockc_plan", plan)
    return plan


def _classes_of(space: Spockspace) -> dict[str, object]:
    from spockc.runtime.schema import _built

    return _built(space)


def _ordered(problems: Sequence[Problem], argv: Sequence[str]) -> list[Problem]:
    """Drop repeated problems and order the rest as the user reads the input.

    Problems in config files come first, file by file in the order they were
    met, each file's by line; then those of flags, in command-line order
    (`configs=` before them); then those that have no place. The sort is
    stable, so problems of one place keep the order they were found in.
    """
    unique = list(dict.fromkeys(problems))
    files: dict[str, int] = {}
    positions: dict[str, int] = {}
    for index, token in enumerate(argv):
        flag = token.partition("=")[0]
        positions.setdefault("--config" if flag == "-c" else flag, index)

    def rank(problem: Problem) -> tuple[int, int, int]:
        where = problem.where
        if not where:
            return (2, 0, 0)
        path, line = _place(where)
        on_command_line = not line and where in positions  # a stray argument
        if where.startswith("-") or where == "configs=" or on_command_line:
            return (1, positions.get(where, -1), 0)
        return (0, files.setdefault(path, len(files)), line)

    return sorted(unique, key=rank)


def _place(where: str) -> tuple[str, int]:
    """Split `file:line` into its parts; anything else is a place without a line."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (where, 0)


def _stale_source(schema: Schema[Any, Any]) -> list[Problem]:
    """Say so when the source changed after its generated module was written.

    A flag or key the program does not know is often a field added to the source
    and not compiled yet; only the modification times can tell, and only this
    error path pays for looking.
    """
    module = sys.modules.get(schema.fixed_space.__module__)
    generated = getattr(module, "__file__", None)
    if generated is None:
        return []
    source = os.path.join(os.path.dirname(generated), schema.source)
    try:
        is_stale = os.path.getmtime(source) > os.path.getmtime(generated)
    except OSError:
        return []
    if not is_stale:
        return []
    message = (
        f"changed after {os.path.basename(generated)} was generated from it; "
        f"run `spockc compile {source}` and try again"
    )
    return [Problem(source, "", message)]


def _prog() -> str:
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "program"


def _exit_with(problems: Sequence[Problem]) -> NoReturn:
    from spockc.runtime.cmdline import usage

    lines = [usage(_prog()), *(f"{_prog()}: error: {problem}" for problem in problems)]
    print("\n".join(lines), file=sys.stderr)
    raise SystemExit(2)
