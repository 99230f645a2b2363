"""Optuna is imported by tuning only: building a config without tuner() skips it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from .conftest import IRIS


def test_optuna_is_imported_by_tuner_and_not_before():
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(IRIS)!r})
        import config_spock as iris
        from spockc import OptunaTunerConfig

        builder = iris.ConfigArgBuilder(
            iris.LogisticRegressionHP, iris.BasicParams,
            args=["--config", {str(IRIS / "tune.yaml")!r}],
        )
        builder.generate()
        print("optuna" in sys.modules)
        builder.tuner(tuner_config=OptunaTunerConfig())
        print("optuna" in sys.modules)
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["False", "True"]
