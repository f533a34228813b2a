"""Generate the Python protobuf/gRPC code (with .pyi stubs) from protos/ into
shared/src/crm, the one place every service imports it from.

    python scripts/gen_protos.py          # regenerate
    python scripts/gen_protos.py --check  # exit 1 if the checked-in code is stale
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTOS = ROOT / "protos"
TARGET = ROOT / "shared" / "src" / "crm"


def generate(out: Path) -> None:
    files = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    include = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTOS}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for directory in [p for p in (out / "crm").rglob("*") if p.is_dir()] + [out / "crm"]:
        (directory / "__init__.py").touch()


def differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])
    out += [f"only in generated: {n}" for n in cmp.left_only]
    out += [f"only in checked-in: {n}" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    out += [f"differs: {n}" for n in mismatch + errors]
    for sub in cmp.common_dirs:
        out += differences(a / sub, b / sub)
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        fresh = Path(tmp) / "crm"
        if "--check" in sys.argv:
            diff = differences(fresh, TARGET) if TARGET.exists() else ["shared/src/crm missing"]
            for line in diff:
                print(line)
            return 1 if diff else 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(fresh, TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
