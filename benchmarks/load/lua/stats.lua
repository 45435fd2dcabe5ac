-- Shared by every profile: prints one machine-readable line the harness parses.
-- Loaded with dofile() from each profile's script; wrk calls done() once, in its main state.

-- Percentiles computed here from the histogram, because wrk 4.1's latency:percentile() sometimes
-- answers 0 (wrk issues #236 and #354; seen here with pipelining). latency(i) returns the i-th
-- distinct latency in microseconds, ascending, and how many responses took that long; #latency is how
-- many distinct values there are.
local function percentiles(latency, ps)
   local total = 0
   for i = 1, #latency do
      local _, count = latency(i)
      total = total + count
   end
   local out, k, seen = {}, 1, 0
   for i = 1, #latency do
      local us, count = latency(i)
      seen = seen + count
      while k <= #ps and seen >= total * ps[k] / 100 do
         out[k] = us
         k = k + 1
      end
      if k > #ps then break end
   end
   for j = k, #ps do out[j] = latency.max end
   return out
end

function done(summary, latency, requests)
   local e = summary.errors
   local p = percentiles(latency, { 50, 99 })
   io.write(string.format(
      "WRKSTATS requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      p[1], p[2]))
end
