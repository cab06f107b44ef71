-- wrk script: a fixed-rate mix of searches and small ingest batches against collection "load".
-- Environment: LSR_RATE (total requests/s, default 100), LSR_INGEST (fraction of requests that
-- ingest, default 0.1), LSR_QUERIES (file: one search body per line, made by load.py prep),
-- LSR_CONNECTIONS (must equal wrk -c, default 4).
local rate = tonumber(os.getenv("LSR_RATE") or "100")
local ingest = tonumber(os.getenv("LSR_INGEST") or "0.1")
local conns = tonumber(os.getenv("LSR_CONNECTIONS") or "4")
local queries = {}
for line in io.lines(os.getenv("LSR_QUERIES")) do
  queries[#queries + 1] = line
end

-- Globals, so that done() can read them from each thread (thread:get).
counter = 0
ingest_requests = 0
local segment = os.getenv("LSR_SEGMENT") or "0"
-- run.sh sets LSR_RUN once per run (its start time), so a rerun on the same data directory adds
-- new ids instead of replacing the last run's.
local run = os.getenv("LSR_RUN") or "0"
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  thread_id = tid
  math.randomseed(1000 + thread_id)
end

-- Each connection waits this long between requests, so the total is about LSR_RATE per second.
function delay()
  return conns * 1000 / rate
end

local function document(id)
  local seen, ids, values = {}, {}, {}
  local topic = math.random(0, 199) * 150
  while #ids < 120 do
    local t
    if math.random() < 0.6 then t = topic + math.random(0, 149) else t = math.random(0, 30521) end
    if not seen[t] then
      seen[t] = true
      ids[#ids + 1] = t
    end
  end
  for i = 1, #ids do values[i] = string.format("%.3f", 0.01 + 2.99 * math.random()) end
  return string.format('{"id":"%s","vector":{"indices":[%s],"values":[%s]}}', id, table.concat(ids, ","), table.concat(values, ","))
end

function request()
  if math.random() < ingest then
    ingest_requests = ingest_requests + 1
    local docs = {}
    for i = 1, 10 do
      counter = counter + 1
      -- run.sh starts wrk once per segment (a minute) and the counter restarts with it: the segment
      -- number keeps ids new, so ingest adds documents instead of replacing the last segment's.
      docs[i] = document("w" .. run .. "-" .. segment .. "-" .. thread_id .. "-" .. counter)
    end
    return wrk.format("POST", "/collections/load/documents", {["Content-Type"] = "application/json"},
      "[" .. table.concat(docs, ",") .. "]")
  end
  return wrk.format("POST", "/collections/load/search", {["Content-Type"] = "application/json"},
    queries[math.random(1, #queries)])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  -- Ingest batches sent (10 new ids each); the last ones may still be in flight when wrk stops.
  local batches = 0
  for _, t in ipairs(threads) do batches = batches + t:get("ingest_requests") end
  io.write(string.format('{"requests": %d, "seconds": %.1f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "errors": %d, "non2xx": %d, "ingest_batches": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors, summary.errors.status, batches))
end
