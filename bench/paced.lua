-- The seed's request (see post.lua), paced: each connection waits SOFY_DELAY_MS after every
-- answer, so that N connections offer about N * 1000 / SOFY_DELAY_MS requests a second, below
-- what the server could take. wrk's latencies leave the wait out.
dofile("bench/post.lua")
local pause = tonumber(os.getenv("SOFY_DELAY_MS") or "200")
function delay()
  return pause
end
