-- wrk script: each request takes the next path from the file named by
-- the PATHS environment variable, so a run covers many distinct queries.
local paths = {}
local i = 0

init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- each thread starts at a different place in the list
  i = math.random(#paths)
end

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
