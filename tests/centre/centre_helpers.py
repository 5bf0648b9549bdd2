"""A centre with a hub and enrolled stations in temporary folders, driven as people do:
the command line for enrolment and bundles, the services for the sessions themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from invigilator_app.services.access import open_station
from invigilator_app.services.console import checklist, closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.station import Station
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

ALEX = "Alex Patel"
BEA = "Bea Jones"
INVIGILATOR_PASSWORD = "amber kettle meadow ninety"
DAY = "2026-12-01"
PINS = {ALEX: "IMI-PIN-7731", BEA: "IMI-PIN-8842"}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, hhmm: str) -> None:
        h, m = hhmm.split(":")
        self.now = datetime(2026, 12, 1, int(h), int(m), tzinfo=UTC)


@dataclass
class Centre:
    root: Path
    hub: Path
    stations: dict[str, Path] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    usb: Path = Path()
    declared: set[str] = field(default_factory=set)

    def hub_cli(self, *argv: Any, stdin: str = PASSWORD + "\n") -> Any:
        return cli("--data-dir", self.hub, "--password-stdin", *argv, stdin=stdin)

    def station_cli(
        self, name: str, *argv: Any, user: str = ALEX, password: str = INVIGILATOR_PASSWORD, more: str = ""
    ) -> Any:
        """A command at a station as ``user``; ``more``: further lines of standard input."""
        stdin = password + "\n" + more
        return cli("--data-dir", self.stations[name], "--user", user, "--password-stdin", *argv, stdin=stdin)

    def plan(self, name: str, start: str, room: str, regs: tuple[str, ...], assessment: str, invigilator: str) -> Any:
        data = plan(day=DAY, start=start, room=room, regs=regs, assessment=assessment, qualification="603/1465/5")
        data["invigilator"]["name"] = invigilator
        data["invigilator"]["imi_pin"] = PINS[invigilator]
        if invigilator not in self.declared:
            data["invigilator"]["declaration_change"] = {
                "reason": "Declared impartial at induction",
                "confirmed_by": "Sam Coordinator",
            }
            self.declared.add(invigilator)
        for candidate in data["candidates"]:
            candidate["planned_minutes"] = 45
        return self.hub_cli("session", "plan", write_json(self.root / f"{name}.json", data))

    def enrol(self, name: str) -> None:
        res = self.hub_cli("station", "enrol", name, "--out", self.root / f"{name}.enrol")
        assert res.code == 0, res.err
        code = res.out.splitlines()[0]
        folder = self.root / name.replace(" ", "-").lower()
        res = cli(
            "--data-dir",
            folder,
            "init",
            "--enrolment",
            self.root / f"{name}.enrol",
            "--password-stdin",
            stdin=code + "\n",
        )
        assert res.code == 0, res.err
        self.stations[name] = folder
        self.codes[name] = code

    def send(self, name: str, *sessions: int) -> Path:
        args: list[Any] = ["bundle", "export", "--to", name, "--out", self.usb]
        for sid in sessions:
            args += ["--session", sid]
        res = self.hub_cli(*args)
        assert res.code == 0, res.err
        return Path(res.out.strip())

    def receive_at(self, name: str, path: Path) -> Any:
        return self.station_cli(name, "bundle", "import", path)

    def return_from(self, name: str) -> Path:
        res = self.station_cli(name, "bundle", "export", "--to", "hub", "--out", self.usb)
        assert res.code == 0, res.err
        return Path(res.out.strip())

    def open(self, name: str, clock: Clock, user: str = ALEX, password: str = INVIGILATOR_PASSWORD) -> Station:
        return open_station(self.stations[name], password, user=user, clock=clock)


def make_centre(tmp_path: Path, stations: tuple[str, ...] = ("Room A", "Room B")) -> Centre:
    hub = seeded(tmp_path)
    centre = Centre(tmp_path, hub, usb=tmp_path / "usb")
    centre.usb.mkdir()
    for name in (ALEX, BEA):
        res = centre.hub_cli(
            "users",
            "add",
            name,
            "--role",
            "invigilator",
            "--imi-pin",
            PINS[name],
            stdin=f"{PASSWORD}\n{INVIGILATOR_PASSWORD}\n",
        )
        assert res.code == 0, res.err
    for name in stations:
        centre.enrol(name)
    return centre


def run_session(station: Station, sid: int, clock: Clock, regs: tuple[str, ...], start: str, notes: int = 0) -> None:
    """The invigilator runs a session at the station: checklist, identity, start, finish, sign-off."""
    clock.set(start)
    checklist.save_checklist(station, sid, [(i.rule_id, "yes", "") for i in checklist.checklist(station, sid)])
    for reg in regs:
        console.check_identity(station, sid, reg, method="photo_id", id_type="passport")
        console.confirm_logged_on(station, sid, reg)
        console.start_candidate(station, sid, reg)
    console.record_entry(station, sid, "other", note=f"Fire alarm test announced in session {sid}")
    for i in range(notes):
        console.record_entry(station, sid, "other", note=f"Note {i + 1}", registration_numbers=[regs[i % len(regs)]])
    clock.now += timedelta(minutes=50)
    for reg in regs:
        console.finish_candidate(station, sid, reg, result="pass")
    closing.sign_off(station, sid, closing.declaration_for(station, sid))


def copy_centre(built: Centre, tmp_path: Path) -> Centre:
    """A fresh copy of a module's centre (hub, stations, an empty USB folder)."""
    import shutil

    copy = Centre(tmp_path, tmp_path / "store", usb=tmp_path / "usb", declared=set(built.declared))
    shutil.copytree(built.hub, copy.hub)
    copy.usb.mkdir()
    for name, folder in built.stations.items():
        copy.stations[name] = tmp_path / folder.name
        shutil.copytree(folder, copy.stations[name])
    return copy
