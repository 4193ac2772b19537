#!/bin/sh
# make bench loads the pages with wrk, as issue 15 measured them: a C client with a small share of the CPU.
# Without it the bench falls back to Python threads, whose own CPU bounds the bare view's rate (three quarters
# of wrk's in a paired run here), so every throughput ratio would come out too high. Install it when we may.
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing wrk (the benchmark's load generator)..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null && exit 0
fi
echo "wrk is missing: the throughput ratios will be measured with Python threads and overstated." \
     "Install it with: sudo apt-get install -y wrk" >&2
exit 0
