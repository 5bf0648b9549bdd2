"""Command-line commands of accounts and backups (docs/cli.md): ``users add|list|disable|
passwd``, ``recovery``, ``recovery-key`` and ``backup create|verify|restore|folder``.
Registered by ``cli``, which unlocks (where a command needs it) and maps errors to exit codes."""

from __future__ import annotations

import argparse
from typing import Any

from invigilator_app.cli_io import Console, data_dir, new_password, open_store, stdin_secret
from invigilator_app.domain.errors import BadInput


def cmd_users_add(station: Any, args: argparse.Namespace, console: Console) -> int:
    from datetime import date

    from invigilator_app.services.admin.accounts import add_user

    expires = None
    if args.expires:
        try:
            expires = date.fromisoformat(args.expires)
        except ValueError:
            raise BadInput(f"users add --expires {args.expires!r}: give a date as YYYY-MM-DD.") from None
    password = new_password(args, console, f"password for {args.name}")
    view = add_user(station, args.name, args.role, password, imi_pin=args.imi_pin, expires=expires)
    until = f", until the end of {view.expires}" if view.expires else ""
    console.err(f"{view.name} can now unlock the station as {view.role}{until}.")
    return 0


def cmd_users_list(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.accounts import list_accounts

    for a in list_accounts(station):
        console.out(f"{a.name}\t{a.role}\t{a.status}\t{a.expires or '-'}\t{'password' if a.login else 'no password'}")
    return 0


def cmd_users_disable(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.accounts import disable_user

    rotated = disable_user(station, args.name)
    console.err(f"{args.name} can no longer unlock the station; their records are kept. {rotated}")
    return 0


def cmd_users_passwd(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.accounts import set_password

    set_password(station, args.name, new_password(args, console, f"new password for {args.name}"))
    console.err(f"The password of {args.name} was changed.")
    return 0


def cmd_recovery(args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.accounts import recover

    key = stdin_secret(args, console, "recovery key", 0)
    password = stdin_secret(args, console, "new coordinator password", 1)
    name = recover(data_dir(args), key, password, user=args.user)
    console.err(f"Unlocked with the recovery key; {name} has a new password. Keep the recovery key locked away.")
    return 0


def cmd_recovery_key(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.recovery_keys import issue_recovery_key

    key = issue_recovery_key(station)
    console.err("New recovery key (shown once; write it down and keep it locked away; the old one no longer works):")
    console.out(key)
    return 0


def cmd_backup_create(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.backups import create_backup

    info = create_backup(station, args.out)
    console.out(str(info.path))
    console.err(f"Wrote and verified the backup {info.path} ({info.entries} audit entries).")
    return 0


def cmd_backup_verify(args: argparse.Namespace, console: Console) -> int:
    if args.recovery_key:
        from invigilator_app.services.admin.backup_checks import verify_backup_with_recovery_key

        report = verify_backup_with_recovery_key(args.file, stdin_secret(args, console, "recovery key", 0))
    else:
        from invigilator_app.services.admin.backups import verify_backup_with_key

        station = open_store(args, console)
        try:
            info = verify_backup_with_key(args.file, station.db.key)
        finally:
            station.close()
        report = (
            f"OK: {args.file} is a sound backup of this store, made {info.created:%Y-%m-%d %H:%M} UTC, "
            f"{info.entries} audit entries."
        )
    console.out(report)
    return 0


def cmd_backup_restore(args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.backup_checks import restore_backup

    if args.data_dir is None:
        raise BadInput("backup restore: give the new data folder with --data-dir.")
    done = restore_backup(args.file, args.data_dir, stdin_secret(args, console, "recovery key", 0), args.checkpoint)
    console.err(
        f"Restored the backup made {done.created:%Y-%m-%d %H:%M} UTC into {done.data_dir}; it passed every check."
    )
    console.err(done.lacking)
    console.err(f"Set a coordinator password now: invigilator-app --data-dir {done.data_dir} recovery")
    return 0


def cmd_backup_folder(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.backups import backup_folder, set_backup_folder

    if args.off or args.folder is not None:
        set_backup_folder(station, None if args.off else args.folder.resolve())
    chosen = backup_folder(station)
    console.out(str(chosen) if chosen else "-")
    return 0


WITH_STATION = {
    ("users", "add"): cmd_users_add,
    ("users", "list"): cmd_users_list,
    ("users", "disable"): cmd_users_disable,
    ("users", "passwd"): cmd_users_passwd,
    ("recovery-key", None): cmd_recovery_key,
    ("backup", "create"): cmd_backup_create,
    ("backup", "folder"): cmd_backup_folder,
}
"""Commands that run on the unlocked store."""
ON_THEIR_OWN = {
    ("recovery", None): cmd_recovery,
    ("backup", "verify"): cmd_backup_verify,
    ("backup", "restore"): cmd_backup_restore,
}
"""Commands that open what they need themselves (with the recovery key, or a backup)."""
