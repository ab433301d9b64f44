"""DuckDB extensions from their package-index wheels, with no download.

The duckdb wheel carries only core_functions, icu, json and parquet, and
`INSTALL name` downloads from DuckDB's own server, which a machine limited to
the package registries cannot reach. The `duckdb-extension-<name>` wheels
(declared in pyproject.toml, matching the duckdb version) ship each build as
a file: INSTALL from that file puts it in DuckDB's extension folder, then
LOAD works by name, in this process and in any other DuckDB client.
"""

from __future__ import annotations

from importlib import resources

import duckdb


class ExtensionMissing(RuntimeError):
    """The extension's wheel for this duckdb version is not installed."""


def extension_file(name: str) -> str:
    """The wheel's build of extension `name` for the running duckdb version."""
    package = f"duckdb_extension_{name}"
    try:
        folder = resources.files(package)
    except ModuleNotFoundError:
        raise ExtensionMissing(
            f"DuckDB extension {name!r} needs the package duckdb-extension-{name}=={duckdb.__version__}"
        ) from None
    built = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not built.is_file():
        raise ExtensionMissing(f"duckdb-extension-{name} has no build for duckdb {duckdb.__version__}: {built}")
    return str(built)


def load_extension(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD `name`, installing it from its wheel first when DuckDB's extension folder lacks it (never a
    download: DuckDB would try one for a known extension it has not installed)."""
    installed = conn.execute("SELECT installed FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    if not (installed and installed[0]):
        path = extension_file(name).replace("'", "''")
        conn.execute(f"INSTALL '{path}'")
    conn.execute(f"LOAD {name}")
