"""The graph tests' fixture sources and build (`fixtures`, `mini_build`), for the tests of queries run in
this process."""

from tests.graph.conftest import fixtures, mini_build  # noqa: F401 - fixtures, registered by being imported
