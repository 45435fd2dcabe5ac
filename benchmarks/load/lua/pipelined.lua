-- pipelined: 16 GET /pipeline per write; wrk counts each response.
dofile(os.getenv("LOAD_LUA_DIR") .. "/common.lua")

init = function(args)
   local one = "GET /pipeline HTTP/1.1\r\n" .. host_line() .. "\r\n"
   req = string.rep(one, 16)
end

request = function()
   return req
end
