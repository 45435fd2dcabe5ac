-- json-tls: json over TLS (run.sh gives wrk an https:// URL): keep-alive; GET /json/{count}?m={n}, counts
-- 1-50 and m 1-3 rotated. A handshake per connection, at its start.
dofile(os.getenv("LOAD_LUA_DIR") .. "/json.lua")
