"""Package discovery that pyproject.toml alone cannot express.

polygrad's adapters live in the top-level ``backends/`` folder but install as
``polygrad.backends`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml).
``[tool.setuptools.packages.find]`` only finds packages by folder name, so it
would either miss ``polygrad.backends`` or install a stray top-level
``backends``; hence the two trees are discovered here. Everything else is
configured in pyproject.toml.
"""

from setuptools import find_packages, setup

core = find_packages(include=["polygrad", "polygrad.*"])
backends = ["polygrad." + name for name in find_packages(include=["backends", "backends.*"])]

setup(packages=core + backends)
