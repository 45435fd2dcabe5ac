-- json: GET /json/{count}?m={n}, counts 1, 5, 10, 15, 25, 40, 50 and m 1, 2, 3 rotated (21 combinations).
dofile(os.getenv("LOAD_LUA_DIR") .. "/common.lua")

init = function(args)
   local counts = { 1, 5, 10, 15, 25, 40, 50 }
   local ms = { 1, 2, 3 }
   reqs = {}
   for k = 0, 20 do
      reqs[#reqs + 1] = "GET /json/" .. counts[k % 7 + 1] .. "?m=" .. ms[k % 3 + 1] .. " HTTP/1.1\r\n" .. host_line() .. "\r\n"
   end
   i = 0
end

request = function()
   i = i % #reqs + 1
   return reqs[i]
end
