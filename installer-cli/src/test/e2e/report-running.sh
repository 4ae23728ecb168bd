#!/bin/sh
# Served as assets/tools/report-running.sh to the e2e test image only: the busybox test OS
# has no systemd to run the installed config's "report running" unit, so the test image's
# bootloader entry runs this instead (yoo.script=...). It does what that unit does: one POST of
# phase "running" to the machine's callback URL (YOO_CALLBACK, from yoo.callback=).
set -eu
: "${YOO_CALLBACK:?no yoo.callback= on the kernel command line}"
i=0
while [ $i -lt 5 ]; do
  if timeout 10 wget -q -O /dev/null --header 'Content-Type: application/json' \
      --post-data '{"phase":"running","status":"succeeded","message":"booted from disk"}' "$YOO_CALLBACK"; then
    echo "report-running: reported"
    exit 0
  fi
  i=$((i + 1)); sleep 1
done
echo "report-running: callback failed" >&2
exit 1
