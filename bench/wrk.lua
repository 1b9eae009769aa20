-- wrk script of bench/run.py. Arguments after "--":
--   get TOKEN               GET the URL's path with "Authorization: Bearer TOKEN"
--   intake ADDRESSES.lua    POST to the URL's path (/api/v1/reports, or the floor's
--                           /floor/intake) a report for a random address from the file (a Lua
--                           table of {postcode, house_number, house_letter, addition}), a
--                           fresh Idempotency-Key and a fresh X-Forwarded-For each time
--   status CASES.lua HOW    GET a random case of the file (a Lua table of {reference, token})
--                           as the tenant reads it, from a fresh X-Forwarded-For each time;
--                           HOW: api (/api/v1/reports/REF, X-Tracking-Token), page
--                           (/t/REF?token=TOKEN) or floor (/floor/status/REF)
-- At the end it prints one JSON line with the counts and latency percentiles (microseconds).

local threads = {}
local counter = 0

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   mode = args[1]
   math.randomseed(os.time() * 1000 + thread_id)
   first_address = math.random(0, 16777215)
   if mode == "get" then
      wrk.headers["Authorization"] = "Bearer " .. args[2]
   elseif mode == "intake" then
      addresses = dofile(args[2])
      path = wrk.path
      run_id = math.random(1, 2000000000)
   elseif mode == "status" then
      cases = dofile(args[2])
      how = args[3]
   end
end

-- Each request from a client address of its own, as many tenants behind a proxy on this
-- machine (trusted by default): from one address the rate limits would refuse most. A new
-- range for each run: a run that counted again in the rows of the one before (the rate
-- limits' counters) would measure updates where the other measured inserts.
local function client_address()
   local n = (first_address + counter) % 16777216
   return string.format(
      "10.%d.%d.%d", math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
end

local function status_request()
   counter = counter + 1
   local c = cases[math.random(1, #cases)]
   local headers = {["X-Forwarded-For"] = client_address()}
   if how == "api" then
      headers["X-Tracking-Token"] = c[2]
      return wrk.format("GET", "/api/v1/reports/" .. c[1], headers)
   elseif how == "page" then
      return wrk.format("GET", "/t/" .. c[1] .. "?token=" .. c[2], headers)
   end
   headers["X-Tracking-Token"] = c[2]  -- the floor reads with the token's hash, as the API
   return wrk.format("GET", "/floor/status/" .. c[1], headers)
end

local categories = {"crack", "crack", "crack", "crack", "subsidence", "unsafe_situation", "other"}

function request()
   if mode == "status" then
      return status_request()
   elseif mode ~= "intake" then
      return wrk.request()
   end
   counter = counter + 1
   local a = addresses[math.random(1, #addresses)]
   local number = math.random(1, 99999999)
   local body = string.format(
      '{"category":"%s","acute":%s,"description":"Scheur in de muur van de woonkamer, boven het raam.",'
         .. '"address":{"postcode":"%s","house_number":%d,"house_letter":"%s","addition":"%s"},'
         .. '"reporter":{"name":"Huurder %d","email":"huurder%d@example.nl","phone":"0612345678"}}',
      categories[math.random(1, #categories)],
      math.random() < 0.03 and "true" or "false",
      a[1], a[2], a[3], a[4], number, number)
   local headers = {
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = string.format("bench-%d-%d-%d", run_id, thread_id, counter),
      ["X-Forwarded-For"] = client_address(),
   }
   return wrk.format("POST", path, headers, body)
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
