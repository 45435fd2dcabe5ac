-- limited-conn: baseline, but one request in ten asks for Connection: close, so a connection serves
-- ten requests on average and accept and connection set-up are measured. wrk's Lua has no
-- per-connection state (request() is not told which connection asks), hence a counter per wrk thread.
dofile(os.getenv("LOAD_LUA_DIR") .. "/common.lua")

init = function(args)
   reqs = baseline_requests()
   closing = baseline_requests("Connection: close\r\n")
   i = 0
   n = 0
end

request = function()
   i = i % #reqs + 1
   n = n + 1
   if n % 10 == 0 then return closing[i] end
   return reqs[i]
end
