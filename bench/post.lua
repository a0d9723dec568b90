-- The seed's request, with the key pair of the environment.
wrk.method = "POST"
wrk.headers["accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-KEY-ID"] = os.getenv("SOFY_API_KEY_ID")
wrk.headers["X-API-KEY-SECRET"] = os.getenv("SOFY_API_KEY_SECRET")
wrk.body = '{"from":"APITEST","to":"590690112233","body":"Hello world","shortenUrls":true,"isTransactional":false}'
