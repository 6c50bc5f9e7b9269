-- The generic cell rate algorithm of dev.bastion.security.ratelimit.ClientRateLimits (Bucket.take and
-- Bucket.giveBack), restated for Redis so that every replica spends the same budget atomically.
-- Keep the two in step; RedisGcraTraceTest replays one trace through both.
--
-- KEYS[1]  the bucket: its value is the theoretical arrival time (TAT), in microseconds of the Redis
--          server's clock. A missing key is a full bucket.
-- ARGV[1]  "take" or "give"
-- ARGV[2]  the emission interval, microseconds (60 s / requests_per_minute)
-- ARGV[3]  the tolerance, microseconds ((burst_size - 1) intervals)
-- ARGV[4]  now, microseconds; empty in production, where the server's TIME is used so replicas with
--          skewed clocks agree (tests pass a trace's times)
-- Returns 0 when a permit was taken (or given back), else how many microseconds until one is available.
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]))

-- A key whose TAT is not after now means the same as a missing one, so the expiry only frees memory:
-- it is set to when the bucket is full again, plus a second of slack.
local function store(value)
  if value <= now then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], string.format('%.0f', value), 'PX', math.ceil((value - now) / 1000) + 1000)
  end
end

if ARGV[1] == 'take' then
  local arrival = now
  if tat ~= nil and tat > now then
    arrival = tat
  end
  local early = arrival - now - tolerance
  if early > 0 then
    return early
  end
  store(arrival + interval)
  return 0
elseif ARGV[1] == 'give' then
  if tat ~= nil then
    store(math.max(now, tat - interval))
  end
  return 0
end
return redis.error_reply('gcra.lua: unknown operation')
