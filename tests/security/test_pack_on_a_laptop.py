"""The inspection pack checked on an inspector's laptop: the commands its README.txt gives
(sha256sum, openssl, pdfsig, invigilator-app) are run as written, on a genuine pack and
on forged ones. A command whose tool is not installed here is skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from invigilator_app.security import certificates
from invigilator_app.services.demo import DEMO_COORDINATOR
from tests.helpers import cli
from tests.review_helpers import INSPECTOR, INSPECTOR_PASSWORD, demo_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("pack")
    store, password = demo_store(base)
    res = cli(
        "--data-dir",
        store,
        "--user",
        DEMO_COORDINATOR,
        "--password-stdin",
        "station",
        "checkpoint",
        "--out",
        base / "kept.txt",
        stdin=password + "\n",
    )
    assert res.code == 0, res.err
    out = base / "pack"
    res = cli(
        "--data-dir",
        store,
        "--user",
        INSPECTOR,
        "--password-stdin",
        "inspect",
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        out,
        stdin=INSPECTOR_PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    return store, out


def commands(folder: Path) -> list[str]:
    return [
        line.strip()[2:]
        for line in (folder / "README.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("  $ ")
    ]


def run_readme(folder: Path, store: Path | None = None, only: str = "") -> dict[str, subprocess.CompletedProcess[str]]:
    """Every README command (starting with ``only``), in the pack's folder, as a shell runs
    it; ``invigilator-app`` is this checkout's program."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INVIGILATOR_DATA_DIR": str(store or folder / "no-store")}
    shim = folder.parent / "bin"
    shim.mkdir(exist_ok=True)
    launcher = shim / "invigilator-app"
    # The suite's cheap key derivation in the child too (tests.kdf), as for every child process.
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tests.kdf "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env["PATH"] = f"{shim}{os.pathsep}{env['PATH']}"
    results = {}
    for command in commands(folder):
        if not command.startswith(only):
            continue
        tool = command.split()[0] if not command.startswith("for ") else "invigilator-app"
        if shutil.which(tool, path=env["PATH"]) is None:
            continue
        if "--audit" in command and store is None:
            continue
        stdin = INSPECTOR_PASSWORD + "\n" if "--audit" in command else None
        shell = command.replace("verify --audit", f"--user '{INSPECTOR}' --password-stdin verify --audit")
        results[command] = subprocess.run(
            ["bash", "-c", shell],
            cwd=folder,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    return results


@pytest.mark.skipif(os.name == "nt", reason="the README's commands are for a POSIX shell")
def test_the_readme_commands_pass_on_the_genuine_pack(pack: tuple[Path, Path]) -> None:
    store, folder = pack
    fingerprint = certificates.fingerprint(certificates.load((store / "centre.pem").read_bytes()))
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert certificates.grouped(fingerprint) in readme
    assert any(c.startswith("sha256sum -c") for c in commands(folder))
    results = run_readme(folder, store)
    assert results, "no tool of the README is installed here"
    for command, result in results.items():
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    fp_line = next((r.stdout for c, r in results.items() if "-fingerprint" in c), None)
    if fp_line is not None:
        assert fingerprint in fp_line.replace(":", "")
    pdfsig = next((r.stdout for c, r in results.items() if c.startswith("pdfsig")), None)
    if pdfsig is not None:
        assert "Signature is Valid" in pdfsig and "Total document signed" in pdfsig


def _failing(results: dict[str, subprocess.CompletedProcess[str]]) -> list[str]:
    return [c for c, r in results.items() if r.returncode != 0]


@pytest.mark.skipif(os.name == "nt", reason="the README's commands are for a POSIX shell")
def test_a_forged_pack_fails_the_readme_commands(pack: tuple[Path, Path], tmp_path: Path) -> None:
    store, genuine = pack
    records = sorted(genuine.glob("record-*.pdf"))
    # 1. One record swapped for another session's: the manifest no longer fits.
    swapped = tmp_path / "swapped"
    shutil.copytree(genuine, swapped)
    (swapped / records[0].name).write_bytes(records[1].read_bytes())
    failing = _failing(run_readme(swapped, only="sha256sum"))
    if shutil.which("sha256sum"):
        assert any(c.startswith("sha256sum") for c in failing)
    # 2. The manifest rewritten to fit: its signature no longer does.
    rewritten = tmp_path / "rewritten"
    shutil.copytree(swapped, rewritten)
    manifest = (rewritten / "MANIFEST.sha256").read_text(encoding="utf-8")
    import hashlib

    line = next(row for row in manifest.splitlines() if row.endswith(records[0].name))
    new = f"{hashlib.sha256(records[1].read_bytes()).hexdigest()}  {records[0].name}"
    (rewritten / "MANIFEST.sha256").write_text(manifest.replace(line, new), encoding="utf-8")
    failing = _failing(run_readme(rewritten, only="openssl"))
    if shutil.which("openssl"):
        assert any(c.startswith("openssl dgst") for c in failing)
    # 3. A whole pack re-made under a self-made centre: every command passes in itself,
    #    but the fingerprint is not the centre's, and the centre's own certificate refuses it.
    remade = tmp_path / "remade"
    shutil.copytree(genuine, remade)
    _centre_key, centre = certificates.new_centre("Northgate", "X", "forged")
    (remade / "centre.pem").write_text(certificates.pem(centre), encoding="ascii")
    results = {**run_readme(remade, only="openssl"), **run_readme(remade, only="for f in")}
    verify_records = [c for c in results if c.startswith("for f in record-")]
    if shutil.which("openssl"):
        assert any(c.startswith("openssl verify") for c in _failing(results)), "signer.pem is not from that centre"
    for command in verify_records:
        assert results[command].returncode == 4, results[command].stderr
    forged_fp = certificates.fingerprint(centre)
    assert certificates.fingerprint(certificates.load((store / "centre.pem").read_bytes())) != forged_fp
