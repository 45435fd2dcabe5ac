-- plaintext-tls: baseline over TLS (run.sh gives wrk an https:// URL): keep-alive; GET, POST with
-- Content-Length and chunked POST of /baseline11, rotated. A handshake per connection, at its start.
dofile(os.getenv("LOAD_LUA_DIR") .. "/baseline.lua")
