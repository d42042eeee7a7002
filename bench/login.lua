-- wrk script: POST /api/v1/session with correct passwords, cycling through bench users.
-- Used by bench/logins.sh:
--   LOGIN_USERS=50 LOGIN_PREFIX=bench LOGIN_PASSWORD=... wrk -t1 -c50 -s bench/login.lua URL
-- Users are PREFIX00 .. PREFIX(N-1) (two digits at least), all with the same password.
-- At the end it prints one line per HTTP status: "login status 201: 1234".

local users = tonumber(os.getenv("LOGIN_USERS") or "50")
local prefix = os.getenv("LOGIN_PREFIX") or "bench"
local password = os.getenv("LOGIN_PASSWORD") or "bench-password"
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_common.lua")

setup = common.setup

function init(args)
  counts = {}
  -- spread the threads over the user list
  n = tid * 7919
  wrk.method = "POST"
  wrk.path = "/api/v1/session"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local name = string.format("%s%02d", prefix, n % users)
  n = n + 1
  local body = string.format('{"username":"%s","password":"%s"}', name, password)
  return wrk.format("POST", "/api/v1/session", nil, body)
end

function response(status, headers, body)
  common.response(status)
end

function done(summary, latency, requests)
  common.report("login")
end
