-- wrk script for bench/run.sh. The case comes from $CASE; secrets from the
-- environment. Each wrk thread has its own Lua state, and run.sh gives every
-- thread one connection, so per-thread variables are per-client state.

local case = os.getenv("CASE")

local function bearer(token)
  return "Bearer " .. token
end

if case == "get" then
  wrk.headers["Authorization"] = bearer(os.getenv("TOKEN"))

elseif case == "handshake" then
  -- A new connection (over TLS: a full handshake) for every request.
  wrk.headers["Connection"] = "close"

elseif case == "page" then
  wrk.headers["Cookie"] = os.getenv("COOKIE")

elseif case == "login" then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"email": "%s", "password": "%s"}', os.getenv("EMAIL"), os.getenv("PASSWORD"))

elseif case == "upload" then
  local path = os.getenv("UPLOAD_FILE")
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  local name = path:match("[^/]+$")
  local boundary = "benchboundary7MA4YWxk"
  wrk.method = "POST"
  wrk.headers["Authorization"] = bearer(os.getenv("TOKEN"))
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  wrk.body = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="data"\r\n\r\n{"sport_id": 1}\r\n'
    .. "--" .. boundary .. '\r\nContent-Disposition: form-data; name="file"; filename="' .. name .. '"\r\n'
    .. "Content-Type: application/octet-stream\r\n\r\n" .. content .. "\r\n--" .. boundary .. "--\r\n"

elseif case == "roundtrip" then
  -- First-party authorize (the consent click), then the code exchange.
  local client_id, secret = os.getenv("CLIENT_ID"), os.getenv("CLIENT_SECRET")
  local authorize_path = "/api/oauth/authorize?client_id=" .. client_id .. "&response_type=code&confirm=true"
  local authorize_headers = { ["Authorization"] = bearer(os.getenv("JWT")) }
  local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  local code = nil
  request = function()
    if code == nil then
      return wrk.format("POST", authorize_path, authorize_headers, "")
    end
    local body = "grant_type=authorization_code&code=" .. code .. "&client_id=" .. client_id .. "&client_secret=" .. secret
    return wrk.format("POST", "/api/oauth/token", form, body)
  end
  response = function(status, headers, body)
    if code == nil then
      code = body:match("code=([%w%-_]+)")
    else
      code = nil
    end
  end

elseif case == "refresh" then
  -- Each thread rotates its own refresh token.
  local client_id, secret = os.getenv("CLIENT_ID"), os.getenv("CLIENT_SECRET")
  local tokens = {}
  for token in string.gmatch(os.getenv("REFRESH_TOKENS"), "%S+") do
    table.insert(tokens, token)
  end
  local next_thread = 1
  setup = function(thread)
    thread:set("refresh_token", tokens[next_thread])
    next_thread = next_thread + 1
  end
  local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  request = function()
    local body = "grant_type=refresh_token&refresh_token=" .. refresh_token .. "&client_id=" .. client_id
      .. "&client_secret=" .. secret
    return wrk.format("POST", "/api/oauth/token", form, body)
  end
  response = function(status, headers, body)
    refresh_token = body:match('"refresh_token"%s*:%s*"([^"]+)"') or refresh_token
  end
end

-- One machine-readable line: requests, seconds, req/s, p50 ms, p99 ms, errors.
done = function(summary, latency, requests)
  local reads = summary.errors.read
  if case == "handshake" then
    -- wrk counts the server's closing of each connection as a read error.
    reads = math.max(0, reads - summary.requests)
  end
  local errors = summary.errors.connect + reads + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %d %.2f %.1f %.3f %.3f %d\n", summary.requests, seconds,
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
