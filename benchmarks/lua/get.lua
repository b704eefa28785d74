-- A signed-in GET, the same request every time.
--   wrk -s get.lua URL -- "sessionid=..." ["HX-Request: true" ...]
-- Prints one line "BENCH {json}" at the end: counts, latency percentiles and non-2xx answers.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  local headers = { Cookie = args[1], ["Accept-Encoding"] = "gzip" }
  for i = 2, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  req = wrk.format("GET", nil, headers)
end

function request()
  return req
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
      .. '"non2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "spare": 0}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), bad, e.connect, e.read, e.write, e.timeout))
end
