"""The generated code matches the protos, and the protos pass buf lint."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.support.infra import BIN, ROOT


def test_generated_code_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_protos.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"run `make protos`:\n{result.stdout}{result.stderr}"


def test_buf_lint_passes() -> None:
    buf = shutil.which("buf", path=str(BIN))
    assert buf, "buf not installed (buf-bin)"
    result = subprocess.run([buf, "lint"], check=False, cwd=ROOT / "protos", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
