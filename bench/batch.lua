-- A batch of SOFY_BATCH_SIZE transactional SMS (POST /v1/sms/batch), the seed's message in each,
-- with the key pair of the environment. The SMS it sends are its requests times the batch size.
local size = tonumber(os.getenv("SOFY_BATCH_SIZE") or "100")
wrk.method = "POST"
wrk.headers["accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-KEY-ID"] = os.getenv("SOFY_API_KEY_ID")
wrk.headers["X-API-KEY-SECRET"] = os.getenv("SOFY_API_KEY_SECRET")
local message = '{"from":"APITEST","to":"590690112233","body":"Hello world","shortenUrls":true,"isTransactional":true}'
local messages = {}
for i = 1, size do
  messages[i] = message
end
wrk.body = '{"messages":[' .. table.concat(messages, ",") .. ']}'
