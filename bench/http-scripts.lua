-- wrk: GET each demo machine's per-machine iPXE script in turn (paths from demo-urls.txt)
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    local _, script = line:match("(%S+) (%S+) (%S+)")
    paths[#paths + 1] = script
  end
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
