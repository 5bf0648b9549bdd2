#!/bin/sh
# Install the invigilation station from the unpacked archive (run as root for all users).
#
#   sudo ./install.sh                 # bundle in /opt/invigilator-app, launcher in /usr/local
#   ./install.sh --prefix "$HOME/.local" --opt "$HOME/.local/opt"    # one user, no root
#   sudo ./install.sh --uninstall     # removes the program; never the users' data
#
# Each user's store stays in their own data folder (~/.local/share/InvigilationStation)
# and is never touched by installing, upgrading or uninstalling.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/usr/local
OPT=/opt
UNINSTALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$2; shift 2 ;;
        --opt) OPT=$2; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

APP_ID=org.invigilationstation.Station
TARGET="$OPT/invigilator-app"
SHARE="$PREFIX/share"

remove() {
    rm -rf "$TARGET"
    rm -f "$PREFIX/bin/invigilator-app" "$SHARE/applications/$APP_ID.desktop" \
          "$SHARE/metainfo/$APP_ID.metainfo.xml" "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
    for size in 16 32 48 64 128 256; do
        rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
}

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "$UNINSTALL" = 1 ]; then
    remove
    refresh
    echo "Removed the invigilation station. Users' stores (~/.local/share/InvigilationStation) were kept."
    exit 0
fi

[ -x "$HERE/invigilator-app/invigilator-app" ] || { echo "install.sh: no bundle beside this script" >&2; exit 2; }
remove
mkdir -p "$OPT" "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
cp -a "$HERE/invigilator-app" "$TARGET"
ln -s "$TARGET/invigilator-app" "$PREFIX/bin/invigilator-app"
sed "s|^Exec=.*|Exec=$TARGET/invigilator-app|; s|^TryExec=.*|TryExec=$TARGET/invigilator-app|" \
    "$HERE/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
ICONS="$TARGET/_internal/resources/icons"
cp "$ICONS/invigilator-app.svg" "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in 16 32 48 64 128 256; do
    mkdir -p "$SHARE/icons/hicolor/${size}x${size}/apps"
    cp "$ICONS/invigilator-app-$size.png" "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh
echo "Installed the invigilation station in $TARGET; start it from the menu or with: $PREFIX/bin/invigilator-app"
