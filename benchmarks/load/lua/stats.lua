-- Shared by every profile: prints one machine-readable line the harness parses.
-- Loaded with dofile() from each profile's script; wrk calls done() once, in its main state.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKSTATS requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      math.floor(latency:percentile(50)), math.floor(latency:percentile(99))))
end
