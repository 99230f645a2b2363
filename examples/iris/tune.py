"""Tune a logistic regression on the iris data with Optuna, as on spock's Optuna page.

Run from this folder after `spockc compile config.py`:

    python tune.py --config tune.yaml [--BasicParams.n_trials 3]

The study lives in `runs/iris.db` (SQLite), so every run adds trials to the same
study; set IRIS_STORAGE to another Optuna storage (a PostgreSQL URL, or
`journal:PATH`) to share it between machines. Each sample is saved to `runs/` before it is tried, and `runs/` keeps one
file with the best configuration so far; the best one is printed at the end.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from config_spock import BasicParams, ConfigArgBuilder, LogisticRegressionHP

# scikit-learn ships no type hints; mypy would otherwise refuse the imports.
from sklearn.datasets import load_iris  # type: ignore[import-untyped]
from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

from spockc import OptunaTunerConfig

RUNS = Path(__file__).resolve().parent / "runs"


def main() -> None:
    """Run the configured number of trials, then print the best configuration."""
    # A trial that stops at max_iter is a legitimate, worse trial, not a fault.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    RUNS.mkdir(exist_ok=True)

    X, y = load_iris(return_X_y=True)
    X_train, X_valid, y_train, y_valid = train_test_split(
        X, y, test_size=0.3, random_state=42, stratify=y
    )

    # Optuna config -- mirrors optuna.create_study; the storage and the fixed study
    # name let a later run, or another worker, resume this study.
    optuna_config = OptunaTunerConfig(
        storage=os.environ.get("IRIS_STORAGE", f"sqlite:///{RUNS / 'iris.db'}"),
        study_name="Iris Logistic Regression",
        direction="maximize",
        load_if_exists=True,
    )

    # Call tuner to indicate that we are going to do some HP tuning
    attrs_obj = ConfigArgBuilder(
        LogisticRegressionHP,
        BasicParams,
        desc="Example Logistic Regression Hyper-Parameter Tuning",
    ).tuner(tuner_config=optuna_config)

    # The fixed parameters, before the sampling starts
    fixed_params = attrs_obj.generate()

    # Iterate through a bunch of optuna trials
    for _ in range(fixed_params.BasicParams.n_trials):
        # Save the sample that sample() then returns
        hp_attrs = attrs_obj.save(
            add_tuner_sample=True, user_specified_path=RUNS, file_name="iris"
        ).sample()
        # Use the currently sampled parameters in a simple LogisticRegression
        clf = LogisticRegression(
            C=hp_attrs.LogisticRegressionHP.c,
            solver=hp_attrs.LogisticRegressionHP.solver,
            max_iter=hp_attrs.BasicParams.max_iter,
        )
        clf.fit(X_train, y_train)
        val_acc = clf.score(X_valid, y_valid)
        # The study and the trial of this sample, to tell the study the score
        tuner_status = attrs_obj.tuner_status
        tuner_status["study"].tell(tuner_status["trial"], val_acc)
        # Keep one file with the best configuration so far
        attrs_obj.save_best(user_specified_path=RUNS, file_name="iris")

    best, score = attrs_obj.best
    print(f"best validation accuracy: {score:.4f}")
    print(f"best configuration: {best.LogisticRegressionHP}")
    print(f"fixed parameters: {best.BasicParams}")


if __name__ == "__main__":
    main()
