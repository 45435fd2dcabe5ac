-- Shared by every profile: prints one machine-readable line the harness parses.
-- Loaded with dofile() from each profile's script; wrk calls done() once, in its main state.

-- wrk 4.1 corrects its latency histogram for coordinated omission after the run, adding synthetic
-- entries below the shortest latency seen; its percentile() scans only [min, max], so when those
-- entries are many (pipelining: wrk assumes one response per send) it answers 0 (wrk issues #236,
-- #354). Then find the share q of the histogram inside [min, max] (the largest percentile that is not
-- 0) and take the percentile within it. Each percentile() call is one pass over [min, max].
local function percentile(latency, p)
   local v = latency:percentile(p)
   if v > 0 then return v end
   local lo, hi = 0, p
   for _ = 1, 40 do
      local mid = (lo + hi) / 2
      if latency:percentile(mid) > 0 then lo = mid else hi = mid end
   end
   return latency:percentile(p * lo / 100)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKSTATS requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      percentile(latency, 50), percentile(latency, 99)))
end
