#!/bin/sh
# Go's fasthttp needs Go and fasthttp's sources from Debian: apt-get install -y golang-go golang-github-valyala-fasthttp-dev
if ! command -v go >/dev/null 2>&1; then
  echo "go is missing (apt-get install -y golang-go golang-github-valyala-fasthttp-dev)"
  exit 1
fi
if [ ! -d /usr/share/gocode/src/github.com/valyala/fasthttp ]; then
  echo "fasthttp's sources are missing (apt-get install -y golang-github-valyala-fasthttp-dev)"
  exit 1
fi
exit 0
