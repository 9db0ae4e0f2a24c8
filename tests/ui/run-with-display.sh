#!/bin/sh
# Runs a command on its own Xvfb display and D-Bus session bus, with a
# temporary HOME and XDG folders, and stops the X server afterwards.
# Each run picks a free display number, so tests may run in parallel.
# Exits with the command's status.
#
# Usage: run-with-display.sh COMMAND [ARGS...]

set -u

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sparse-trainer-ui.XXXXXX") || exit 1
xvfb_pid=

cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each run takes its own display number: Xvfb started with an explicit
# number writes its process id to /tmp/.X<n>-lock and exits when another
# server holds that lock, so parallel runs (meson runs tests in parallel,
# and other checkouts may run theirs) never share a display.  -displayfd
# is not used because Xvfb then takes no lock at all.  The server is
# ready once the lock names it and its socket exists.
display=
number=$(( 100 + $$ % 400 ))
for attempt in $(seq 1 50); do
  # -noreset: by default the server resets whenever its last client
  # disconnects, and a client that connects during the reset fails with
  # "cannot open display".  That happens when one client of a test
  # exits just as the next one starts.
  Xvfb ":$number" -screen 0 1280x1024x24 -nolisten tcp -noreset 2>"$scratch/xvfb.log" &
  xvfb_pid=$!

  tries=0
  while kill -0 "$xvfb_pid" 2>/dev/null && [ "$tries" -lt 200 ]; do
    owner=
    if [ -r "/tmp/.X$number-lock" ]; then
      owner=$(tr -d ' \n' <"/tmp/.X$number-lock")
    fi
    if [ "$owner" = "$xvfb_pid" ] && [ -S "/tmp/.X11-unix/X$number" ]; then
      display=$number
      break
    fi
    tries=$((tries + 1))
    sleep 0.1
  done

  if [ -n "$display" ]; then
    # The socket file appears when it is bound; give listen() a moment.
    sleep 0.2
    break
  fi

  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
  xvfb_pid=
  number=$(( number + 1 ))
done

if [ -z "$display" ]; then
  echo "run-with-display.sh: no Xvfb display could be started:" >&2
  cat "$scratch/xvfb.log" >&2
  exit 1
fi

DISPLAY=":$display"
HOME="$scratch/home"
XDG_RUNTIME_DIR="$scratch/runtime"
XDG_CONFIG_HOME="$HOME/.config"
XDG_DATA_HOME="$HOME/.local/share"
XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
GDK_BACKEND=x11
export DISPLAY HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME GDK_BACKEND
unset WAYLAND_DISPLAY

# A private session bus keeps GApplication from autolaunching one that
# would outlive the test.
dbus-run-session -- "$@"
