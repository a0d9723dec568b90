-- The seed's request, with the key pair of the environment. SOFY_TRANSACTIONAL=true makes it
-- transactional: the seed's marketing SMS to a French number is held outside the sending window,
-- so the phases that measure dispatch and webhooks send transactional ones. SOFY_RECIPIENTS, a
-- space-separated list, makes the requests take each recipient in turn (the seed's by default).
local transactional = os.getenv("SOFY_TRANSACTIONAL") == "true" and "true" or "false"
local function body(to)
  return '{"from":"APITEST","to":"' .. to .. '","body":"Hello world","shortenUrls":true,"isTransactional":'
      .. transactional .. '}'
end
wrk.method = "POST"
wrk.headers["accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-KEY-ID"] = os.getenv("SOFY_API_KEY_ID")
wrk.headers["X-API-KEY-SECRET"] = os.getenv("SOFY_API_KEY_SECRET")
wrk.body = body("590690112233")

local recipients = {}
for to in (os.getenv("SOFY_RECIPIENTS") or ""):gmatch("%d+") do recipients[#recipients + 1] = to end
if #recipients > 1 then
  local requests = {}
  local turn = 0
  -- Formatted once the thread knows the URL.
  init = function()
    for i, to in ipairs(recipients) do requests[i] = wrk.format("POST", wrk.path, wrk.headers, body(to)) end
  end
  request = function()
    turn = turn % #requests + 1
    return requests[turn]
  end
end
