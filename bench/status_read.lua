-- wrk script for the tenant's status read (issue 15):
--   wrk ... http://127.0.0.1:PORT -s bench/status_read.lua -- TARGETS.lua [page]
-- TARGETS.lua (python -m bench.status_targets) is a Lua table of {reference, token}. Each
-- request reads a random one of them, with GET /api/v1/reports/{reference} and the
-- X-Tracking-Token header, or with "page" the tracking page /t/{reference}?token=...; each
-- from a client address of its own (X-Forwarded-For; 127.0.0.1 is a trusted proxy by
-- default), as many tenants would, so the per-address limit never answers 429.
-- At the end it prints one JSON line with the counts and latency percentiles (microseconds).

local threads = {}
local counter = 0

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   targets = dofile(args[1])
   page = args[2] == "page"
   math.randomseed(os.time() * 1000 + thread_id)
end

function request()
   counter = counter + 1
   local target = targets[math.random(1, #targets)]
   local headers = {
      ["X-Forwarded-For"] = string.format(
         "10.%d.%d.%d", 100 + thread_id, math.floor(counter / 256) % 256, counter % 256),
   }
   if page then
      return wrk.format("GET", "/t/" .. target[1] .. "?token=" .. target[2], headers)
   end
   headers["X-Tracking-Token"] = target[2]
   return wrk.format("GET", "/api/v1/reports/" .. target[1], headers)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,'
         .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,'
         .. '"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
      e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end
