-- Helpers for the profiles: raw request strings, built once per wrk thread.
dofile(os.getenv("LOAD_LUA_DIR") .. "/stats.lua")

function host_line()
   return "Host: " .. wrk.host .. ":" .. wrk.port .. "\r\n"
end

-- GET, POST with Content-Length, POST chunked, of /baseline11; `extra` adds header lines (e.g. Connection: close).
function baseline_requests(extra)
   local h = host_line() .. (extra or "")
   local r = {}
   local queries = { "a=13&b=42", "a=7&b=1", "a=100&b=23" }
   local bodies = { "20", "5", "1234" }
   for i = 1, #queries do
      local q, b = queries[i], bodies[i]
      r[#r + 1] = "GET /baseline11?" .. q .. " HTTP/1.1\r\n" .. h .. "\r\n"
      r[#r + 1] = "POST /baseline11?" .. q .. " HTTP/1.1\r\n" .. h .. "Content-Type: text/plain\r\nContent-Length: "
         .. #b .. "\r\n\r\n" .. b
      r[#r + 1] = "POST /baseline11?" .. q .. " HTTP/1.1\r\n" .. h .. "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
         .. string.format("%x", #b) .. "\r\n" .. b .. "\r\n0\r\n\r\n"
   end
   return r
end
