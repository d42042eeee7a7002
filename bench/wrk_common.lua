-- Shared parts of the wrk scripts (bench/login.lua, bench/post.lua), loaded with dofile from
-- the folder of the script that uses it. wrk runs setup and done in its main Lua state and the
-- other callbacks in one state per thread: each thread counts in its global `counts`, and done
-- sums them over the threads that setup saw.
local M = {}

local threads = {}

-- setup(thread): numbers the threads (their global `tid`: 0, 1, ...) and keeps them for done.
function M.setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

-- response(status): counts one answer by HTTP status in the thread's `counts`.
function M.response(status)
  counts[status] = (counts[status] or 0) + 1
end

-- sum(name): the thread globals called name added up: a number, or a table of numbers
-- (added key by key).
function M.sum(name)
  local total
  for _, t in ipairs(threads) do
    local v = t:get(name)
    if type(v) == "table" then
      total = total or {}
      for k, n in pairs(v) do total[k] = (total[k] or 0) + n end
    elseif v then
      total = (total or 0) + v
    end
  end
  return total
end

-- report(label): one line per HTTP status, "LABEL status 201: 1234", summed over the threads.
function M.report(label)
  for k, v in pairs(M.sum("counts") or {}) do
    io.write(string.format("%s status %d: %d\n", label, k, v))
  end
end

return M
