-- upload: POST /upload with bodies of 500 KiB, 2 MiB, 10 MiB and 20 MiB, rotated.
dofile(os.getenv("LOAD_LUA_DIR") .. "/common.lua")

init = function(args)
   local sizes = { 500 * 1024, 2 * 1024 * 1024, 10 * 1024 * 1024, 20 * 1024 * 1024 }
   reqs = {}
   for k = 1, #sizes do
      reqs[k] = "POST /upload HTTP/1.1\r\n" .. host_line() .. "Content-Type: application/octet-stream\r\nContent-Length: "
         .. sizes[k] .. "\r\n\r\n" .. string.rep("x", sizes[k])
   end
   i = 0
end

request = function()
   i = i % #reqs + 1
   return reqs[i]
end
