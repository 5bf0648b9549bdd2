"""The register and the clock of the selected candidate: late arrival, transfer, rest break.

Each action names the candidate in its title ("Late arrival — PC-02 Amelia Hughes"), asks in
a non-blocking form through the window's dialog service, and saves through the console's
``write`` (one service call, then the view reloads and the selection stays)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from invigilator_app.domain.timefmt import time_text
from invigilator_app.services.console import clock, register
from invigilator_app.services.console.sessions import AllocationView
from invigilator_app.ui.console.panel import candidate_title

if TYPE_CHECKING:
    from invigilator_app.ui.console.actions import ConsoleActions

NO_REST_BREAKS = "{name} has no supervised rest breaks among their access arrangements (set them in Candidates)."


class RegisterActions:
    def __init__(self, console: ConsoleActions) -> None:
        self.console = console

    def late_arrival(self) -> None:
        console = self.console
        chosen = console._candidate()
        if chosen is None:
            return
        arrived = time_text(console.station.now(), console.station.zone)
        console.dialogs.register_form(
            f"Late arrival — {candidate_title(chosen)}",
            f"arrived at {arrived} (now); the register shows the arrival time.",
            "&Note (optional):",
            lambda _chosen, note: self._late(chosen, arrived, note),
        )

    def _late(self, chosen: AllocationView, arrived: str, note: str) -> None:
        console = self.console
        console.write(
            f"{candidate_title(chosen)} arrived late at {arrived}",
            lambda sid: register.mark_late(console.station, sid, chosen.registration_number, note),
        )

    def transfer(self) -> None:
        console = self.console
        chosen = console._candidate()
        session_id = console.session_id()
        if chosen is None or session_id is None:
            return
        title = f"Transfer — {candidate_title(chosen)}"
        targets = register.transfer_targets(console.station, session_id, chosen.registration_number)
        if not targets:
            console.dialogs.error(
                title,
                f"{chosen.candidate_name} is not planned in any other session that has not ended; "
                "plan them there first (every rule is checked there), then transfer.",
            )
            return
        labels = dict(targets)
        console.dialogs.register_form(
            title,
            f"moves {chosen.candidate_name}, who has not started, to a session where they are planned.",
            "&Reason:",
            lambda to, reason: self._transfer(chosen, to, labels.get(to or 0, ""), reason),
            targets,
            "&To session:",
        )

    def _transfer(self, chosen: AllocationView, to: int | None, label: str, reason: str) -> None:
        console = self.console
        if to is None:
            return
        console.write(
            f"{candidate_title(chosen)} transferred to {label.split(' — ')[0].lower()}",
            lambda sid: register.transfer_candidate(console.station, sid, chosen.registration_number, to, reason),
        )

    def rest_break(self) -> None:
        """One key starts the break and the same key ends it."""
        console = self.console
        chosen = console._candidate()
        session_id = console.session_id()
        if chosen is None or session_id is None:
            return
        if not chosen.rest_breaks:
            console.dialogs.error(
                f"Rest break — {candidate_title(chosen)}", NO_REST_BREAKS.format(name=chosen.candidate_name)
            )
            return
        station, reg = console.station, chosen.registration_number
        if clock.on_rest_break(station, session_id, reg):
            console.write(
                f"{candidate_title(chosen)}: rest break ended, the clock runs again",
                lambda sid: clock.end_rest_break(station, sid, reg),
            )
        else:
            console.write(
                f"{candidate_title(chosen)}: rest break started, the clock stops (the same key ends it)",
                lambda sid: clock.start_rest_break(station, sid, reg),
            )
