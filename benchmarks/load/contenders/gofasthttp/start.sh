#!/bin/sh
# Go's fasthttp: ./start.sh PORT (build.sh builds the binary). GOMAXPROCS defaults to the CPUs the
# process may run on, so the harness's taskset pinning sets it.
dir=$(cd "$(dirname "$0")" && pwd)
exec "$dir/gofasthttp-server" "$1"
