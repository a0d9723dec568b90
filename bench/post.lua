-- The seed's request, with the key pair of the environment. SOFY_TRANSACTIONAL=true makes it
-- transactional: the seed's marketing SMS to a French number is held outside the sending window,
-- so the phases that measure dispatch and webhooks send transactional ones.
local transactional = os.getenv("SOFY_TRANSACTIONAL") == "true" and "true" or "false"
wrk.method = "POST"
wrk.headers["accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-KEY-ID"] = os.getenv("SOFY_API_KEY_ID")
wrk.headers["X-API-KEY-SECRET"] = os.getenv("SOFY_API_KEY_SECRET")
wrk.body = '{"from":"APITEST","to":"590690112233","body":"Hello world","shortenUrls":true,"isTransactional":'
    .. transactional .. '}'
