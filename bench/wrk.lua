-- wrk script for bench/http.py.
-- Arguments after "--" are request headers as name/value pairs:
--   wrk ... -s bench/wrk.lua URL -- If-None-Match '"etag"'
-- When the run ends it prints one line, "WRK_JSON {...}": requests, duration,
-- errors and latency percentiles in microseconds, for bench/http.py to read.

function init(args)
   for i = 1, #args - 1, 2 do
      wrk.headers[args[i]] = args[i + 1]
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "max": %d, ' ..
      '"p50": %d, "p90": %d, "p99": %d, "p99.9": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
