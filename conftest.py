"""pytest's root configuration: the docs and docstring examples are collected by ``docs_tools.collect``."""

pytest_plugins = ["docs_tools.collect"]
