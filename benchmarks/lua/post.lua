-- "Log a set": each POST logs a NEW pending step, as the htmx Done button does.
--   wrk -s post.lua URL -- STEPS_FILE CSRF_COOKIE CSRF_TOKEN ORIGIN
-- STEPS_FILE lines: "<thread> <path> <sessionid>"; thread n walks its own sessions in order.
-- Each request carries its patient's session cookie, the csrftoken cookie and the masked
-- token from the page in X-CSRFToken, like htmx's hx-headers. Prints "BENCH {json}".
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  non2xx, sent, entries = 0, 0, {}
  local body = "reps_done=8&seconds_done=10"
  for line in io.lines(args[1]) do
    local thread, path, sid = line:match("^(%d+)%s+(%S+)%s+(%S+)$")
    if tonumber(thread) == id then
      table.insert(entries, wrk.format("POST", path, {
        Cookie = "sessionid=" .. sid .. "; csrftoken=" .. args[2],
        ["X-CSRFToken"] = args[3],
        Origin = args[4],
        ["HX-Request"] = "true",
        ["HX-Target"] = "step-card",
        ["HX-Current-URL"] = args[4] .. path:match("^(/sessions/%d+/)"),
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Accept-Encoding"] = "gzip",
      }, body))
    end
  end
  count = #entries
end

function request()
  sent = sent + 1
  return entries[(sent - 1) % count + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad, spare = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    spare = spare + t:get("count") - t:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
      .. '"non2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "spare": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), bad, e.connect, e.read, e.write, e.timeout, spare))
end
