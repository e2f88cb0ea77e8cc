"""Plain helpers that tests in several packages share (fixtures live in the conftest.py files).

- :mod:`tests.helpers.processes`  free ports and the environment of a `peer` subprocess
- :mod:`tests.helpers.cli`        `peer` through CliRunner, the one-line-error check, the tiny CLI store
- :mod:`tests.helpers.layers`     tiny memories and a layer's output and gradients, for the reference checks
- :mod:`tests.helpers.trainer`    the tiny language-model config of the trainer tests
- :mod:`tests.helpers.study`      the tiny study config as TOML

A test module imports helpers from here, never from another test module.
"""
