"""The spockc compiler: source text in, generated module text out.

Pipeline: `syntax` (ast; libcst for newer syntax) -> `parse` -> `ir` -> `check` ->
`emit` (jinja2, then ruff).
`compile_source` is the API; `spockc.compiler.cli` is the command line.
"""

from __future__ import annotations

import os
import posixpath

from spockc.compiler.check import check_module
from spockc.compiler.diagnostics import CompileError, Diagnostic
from spockc.compiler.emit import GeneratedModules, Target, render
from spockc.compiler.load import SourceLoader
from spockc.compiler.parse import parse_source

__all__ = ["CompileError", "Diagnostic", "GeneratedModules", "compile_source"]


def compile_source(
    text: str,
    path: str = "config.py",
    *,
    package: str | None = None,
    namespace_module: str = "config_spock",
) -> GeneratedModules:
    """Compile the source `text` of the file at `path` into generated modules.

    `package` is the dotted package of the file, or None when it is top-level;
    it decides how the sampler module imports the namespace module.

    Raises:
        CompileError: the source has errors; `diagnostics` lists all of them.
    """
    name = posixpath.basename(path.replace(os.sep, "/"))
    # A file without config classes still gets a (nearly empty) namespace module.
    generated = compile_text(
        text,
        path,
        source=name,
        regenerate=f"spockc compile {name}",
        out_dir=os.path.dirname(path) or ".",
        package=package,
        namespace_module=namespace_module,
        allow_empty=True,
    )
    assert generated is not None, "allow_empty always gives modules"
    return generated


def compile_text(
    text: str,
    path: str,
    *,
    source: str,
    regenerate: str,
    out_dir: str,
    package: str | None,
    namespace_module: str,
    allow_empty: bool = False,
) -> GeneratedModules | None:
    """Compile `text`, naming the source `source` and writing for `out_dir`.

    Returns None when the file has no config classes, unless `allow_empty`.
    """
    main = parse_source(text, path)
    has_classes = main.refused or any(cls.decorator for cls in main.classes)
    if not allow_empty and not has_classes:
        return None
    checked = check_module(main, SourceLoader().find)
    target = Target(source, regenerate, out_dir, namespace_module, package)
    return render(checked, target)
