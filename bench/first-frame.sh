#!/bin/sh
# Milliseconds from starting a command in an 80x24 tmux pane to the pane first showing anything:
# the first frame of `node bin/fleetops.js` (what `npm start` runs) beside a bare Node's first line,
# in turns, five of each. Needs tmux.
# Saves and tmux's sockets go to a folder of their own, so none of the player's is read or written.
set -eu
own=$(mktemp -d)
saves="$own/saves"
mkdir "$saves"
trap 'rm -rf "$own"' EXIT

# Each command gets a tmux server of its own: one just told to quit may still hold its socket.
shown() {
  server="$own/tmux-$2"
  start=$(date +%s%N)
  LANG=C.UTF-8 tmux -S "$server" -f /dev/null -u new-session -d -x 80 -y 24 "$1; sleep 5"
  while [ -z "$(tmux -S "$server" capture-pane -p | tr -d ' \n')" ]; do sleep 0.005; done
  end=$(date +%s%N)
  tmux -S "$server" kill-server
  echo $(((end - start) / 1000000))
}

for run in 1 2 3 4 5; do
  node=$(shown "node -e 'console.log(1)'" "node-$run")
  frame=$(shown "FLEETOPS_SAVES=$saves node bin/fleetops.js" "start-$run")
  echo "bare node ${node} ms   fleetops ${frame} ms"
done
