"""DuckDB extensions install from their package-index wheels, without a download."""

from __future__ import annotations

import duckdb
import pytest

from newsdesk.warehouse.extensions import ExtensionMissing, load_extension

# name as loaded -> name duckdb_extensions() lists once loaded
WHEELS = {"fts": "fts", "ducklake": "ducklake", "sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}


@pytest.mark.parametrize("name", sorted(WHEELS))
def test_an_extension_installs_from_its_wheel_into_an_empty_extension_folder(name, tmp_path):
    conn = duckdb.connect(config={"extension_directory": str(tmp_path), "autoinstall_known_extensions": False})
    load_extension(conn, name)
    loaded = conn.execute(
        "SELECT loaded, install_path FROM duckdb_extensions() WHERE extension_name = ?", [WHEELS[name]]
    ).fetchone()
    assert loaded[0] and loaded[1].startswith(str(tmp_path))
    load_extension(conn, name)  # loading again is a no-op


def test_an_extension_without_a_wheel_is_a_clear_error(tmp_path):
    conn = duckdb.connect(config={"extension_directory": str(tmp_path)})
    with pytest.raises(ExtensionMissing, match=r"needs the package duckdb-extension-spatial==1\.5\.5"):
        load_extension(conn, "spatial")
