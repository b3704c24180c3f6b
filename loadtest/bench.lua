-- The one wrk script behind every `make bench` measurement.
--
--   wrk -t2 -c16 -d3s -s bench.lua http://127.0.0.1:8200/ -- /tmp/run.lua
--
-- The file after `--` is written by storefront/benchmark/wrk.py and returns a table:
--
--   mode     "fixed": the same request every time (GET pages)
--            "rotate": cycle through every (session, path) pair (POSTs that may repeat,
--                      like adding to a cart: each shopper adds to its own cart)
--            "once": each item {path, session} is requested once in the whole run, by
--                    whichever thread owns it (confirming an order: never twice)
--   method, headers, body, path   the request; headers apply to every mode
--   paths    rotate mode: the paths to cycle through
--   items    once mode: {{path, session index}, ...}, consumed from `offset` (1-based);
--            an item may also carry its own body and headers, and no session (nil):
--            {path, nil, body, {["Stripe-Signature"] = "..."}} (a webhook's signed event)
--   sessions {{cookie = "...", csrf = "..."}, ...}: signed-in shoppers (rotate and once)
--   threads  wrk's thread count (-t), so the threads can split the items between them
--   spent    once mode: the path requested when the items run out (it answers 404, so an
--            exhausted pool shows up as errors instead of silently repeating work)
--
-- done() prints one line, "BENCH_RESULT {json}", which wrk.py parses: wrk's own summary
-- rounds its figures and does not tell a 304 from a 200.

-- Main (setup/done) state: every thread, so done() can read their counters.
local threads = {}

function setup(thread)
   thread:set("thread_index", #threads) -- 0-based
   table.insert(threads, thread)
end

-- Thread state. Globals, because done() reads them through thread:get().
statuses = {}  -- HTTP status (as a string) -> responses
sent = 0       -- requests built by request() in the dynamic modes
exhausted = 0  -- once mode: requests made after the items ran out

local run

local function with_session(headers, session)
   local merged = {}
   for name, value in pairs(headers) do merged[name] = value end
   merged["Cookie"] = session.cookie
   merged["X-CSRFToken"] = session.csrf
   return merged
end

local function with_headers(headers, extra)
   local merged = {}
   for name, value in pairs(headers) do merged[name] = value end
   for name, value in pairs(extra) do merged[name] = value end
   return merged
end

local function rotate_requests()
   -- Built once: formatting a request is expensive next to a table lookup.
   local built = {}
   for _, path in ipairs(run.paths) do
      for _, session in ipairs(run.sessions) do
         table.insert(built, wrk.format(run.method, path, with_session(run.headers, session), run.body))
      end
   end
   -- Each thread starts at its own place in the cycle, so the threads do not move in step.
   local position = thread_index
   return function()
      position = position % #built + 1
      sent = sent + 1
      return built[position]
   end
end

local function once_requests()
   -- Thread k takes items offset+k, offset+k+threads, offset+k+2·threads, ...: no item is
   -- ever taken twice, and no coordination between threads is needed.
   return function()
      local index = run.offset + thread_index + sent * run.threads
      sent = sent + 1
      local item = run.items[index]
      if item == nil then
         exhausted = exhausted + 1
         return wrk.format(run.method, run.spent, run.headers, run.body)
      end
      local headers = run.headers
      if item[2] ~= nil then headers = with_session(headers, run.sessions[item[2] + 1]) end
      if item[4] ~= nil then headers = with_headers(headers, item[4]) end
      return wrk.format(run.method, item[1], headers, item[3] or run.body)
   end
end

function init(args)
   run = dofile(args[1])
   wrk.method = run.method
   wrk.body = run.body
   for name, value in pairs(run.headers) do wrk.headers[name] = value end
   if run.mode == "fixed" then
      wrk.path = run.path
   elseif run.mode == "rotate" then
      request = rotate_requests()
   elseif run.mode == "once" then
      request = once_requests()
   else
      error("unknown mode " .. tostring(run.mode))
   end
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
   local merged, next_item, out_of_items = {}, nil, 0
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         merged[status] = (merged[status] or 0) + count
      end
      local index, thread_sent = thread:get("thread_index"), thread:get("sent")
      -- The first item no thread has reached: where the next run of the pool starts.
      local after = index + thread_sent * #threads
      if next_item == nil or after > next_item then next_item = after end
      out_of_items = out_of_items + thread:get("exhausted")
   end
   local parts = {}
   for status, count in pairs(merged) do
      table.insert(parts, string.format('"%s": %d', status, count))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"latency_us": {"p50": %.1f, "p99": %.1f, "mean": %.1f, "max": %.1f}, '
         .. '"statuses": {%s}, "items_used": %d, "exhausted": %d}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.mean, latency.max,
      table.concat(parts, ", "), next_item or 0, out_of_items))
end
