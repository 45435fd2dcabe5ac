-- baseline: keep-alive; GET, POST with Content-Length and chunked POST of /baseline11, rotated.
dofile(os.getenv("LOAD_LUA_DIR") .. "/common.lua")

init = function(args)
   reqs = baseline_requests()
   i = 0
end

request = function()
   i = i % #reqs + 1
   return reqs[i]
end
