-- wrk script: authenticated replies, POST /api/v1/threads/ID/posts with a JSON Markdown body.
-- Used by bench/plugins.sh:
--   POST_TOKENS=FILE POST_BODY=FILE POST_THREAD=ID wrk -t2 -c16 -s bench/post.lua URL
-- POST_TOKENS: bearer tokens, one a line (one per user); each request takes the next one, so
--   consecutive posts come from different authors.
-- POST_BODY: the Markdown source posted; each post appends one line "(post T-N)" so no two
--   bodies are the same.
-- At the end it prints "post requests sent: N" (requests handed to the connections, including
-- those still unanswered when wrk stopped) and one line per HTTP status: "post status 201: 1234".

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_common.lua")

local function slurp(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

-- JSON string contents (without the quotes). UTF-8 passes through unchanged.
local function json_escape(s)
  s = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    if c == "\r" then return "\\r" end
    if c == "\t" then return "\\t" end
    return string.format("\\u%04x", c:byte())
  end)
  return s
end

setup = common.setup

function init(args)
  counts = {}
  sent = 0
  tokens = {}
  for line in slurp(os.getenv("POST_TOKENS")):gmatch("[^\r\n]+") do
    table.insert(tokens, line)
  end
  assert(#tokens > 0, "no tokens in " .. tostring(os.getenv("POST_TOKENS")))
  body = json_escape(slurp(os.getenv("POST_BODY")):gsub("%s+$", ""))
  path = "/api/v1/threads/" .. assert(os.getenv("POST_THREAD"), "POST_THREAD is not set") .. "/posts"
  -- spread the threads over the token list
  n = tid * 7
end

function request()
  local token = tokens[n % #tokens + 1]
  n = n + 1
  sent = sent + 1
  local json = string.format('{"body":"%s\\n\\n(post %d-%d)"}', body, tid, sent)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, json)
end

function response(status, headers, body)
  common.response(status)
end

function done(summary, latency, requests)
  io.write(string.format("post requests sent: %d\n", common.sum("sent") or 0))
  common.report("post")
end
