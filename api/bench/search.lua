-- wrk script: POST /collections/bench/search, cycling over the queries in $QUERIES
-- ({"vectors": [...], "texts": [...]}); $KIND picks vector or text queries.
local kind = os.getenv("KIND") or "vector"
local f = assert(io.open(os.getenv("QUERIES"), "r"))
local lines = {}
for line in f:lines() do
  local k, body = line:match("^(%a+)\t(.*)$")
  if k == kind then lines[#lines + 1] = body end
end
f:close()
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #lines + 1
  return wrk.format(nil, "/collections/bench/search", nil, lines[i])
end
response = function(status, headers, body)
  if status ~= 200 then error("status " .. status .. ": " .. body) end
end
