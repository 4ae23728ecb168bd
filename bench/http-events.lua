-- wrk: POST progress events round-robin over the demo machines. Phase names are unique per
-- thread and request, so every event is applied and stored (none is an ignorable duplicate).
local paths = {}
local n = 0
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
function init(args)
  for line in io.lines(args[1]) do
    local _, _, events = line:match("(%S+) (%S+) (%S+)")
    paths[#paths + 1] = events
  end
end
function request()
  n = n + 1
  local body = '{"phase":"t' .. tid .. '-' .. n .. '","status":"started","message":"bench"}'
  return wrk.format("POST", paths[n % #paths + 1], { ["Content-Type"] = "application/json" }, body)
end
