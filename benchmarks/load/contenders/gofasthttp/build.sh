#!/bin/sh
# Builds ./gofasthttp-server offline from Debian's packages (golang-go, golang-github-valyala-fasthttp-dev).
set -e
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o gofasthttp-server main.go
