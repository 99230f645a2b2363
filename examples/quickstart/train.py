"""Build the quickstart configuration and print it: `python train.py --config train.yaml`.

Every value can be overridden on the command line, e.g. `--Train.epochs 5` or
`--Optimizer.betas "[0.9, 0.99]"`; `--help` lists every field.
"""

from __future__ import annotations

from config_spock import ConfigArgBuilder, Optimizer, Train


def main() -> None:
    """Build the classes from the config files and flags, then print the values."""
    config = ConfigArgBuilder(
        Train, Optimizer, desc="Quickstart training run"
    ).generate()

    train = config.Train
    print(f"epochs:    {train.epochs}")
    print(f"hidden:    {train.hidden}")
    print(f"act:       {train.act.value}")
    print(f"clip:      {train.clip}")
    print(f"shuffle:   {train.shuffle}")
    print(f"optimizer: lr={train.optimizer.lr} betas={train.optimizer.betas}")


if __name__ == "__main__":
    main()
