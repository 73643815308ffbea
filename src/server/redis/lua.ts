// The Lua scripts of the Redis run store. Each runs atomically in Redis, which is what makes a
// run's log exactly-once across processes: the seq is counted here (HINCRBY), each event is a
// Stream entry whose id is `{seq}-0`, and every write checks the run's state and attempt first
// (fencing), so a worker that lost a run (stalled, then woke up) can never append to it again,
// and a run gets exactly one terminal event.
//
// Every script takes the key prefix as ARGV[1] and builds its keys from it and the run id
// (as BullMQ's scripts do): pkt runs on one Redis, not a cluster. Keys (prefix `pkt:`):
//   run:{id}        hash: action, state, attempt, worker, detached, startedAt, endedAt, lastSeq,
//                   first (oldest kept seq), bytes, percent, cancel, idleSince, order
//   run:{id}:ev     stream: one entry per event, id {seq}-0, fields t (type) and d (JSON data)
//   run:{id}:fol    hash: front id -> followers through that front
//   run:{id}:pos    hash: front id -> the seq its slowest follower of the run has been handed
//   runs            sorted set: run ids by creation order (GET {base}/runs pages through it)
//   ended           sorted set: ended run ids by end time (the first to go)
//   bytes           hash: run id -> kept bytes; bytes:total their sum (the history budget)
//   gone:{id}       why a run was dropped (budget, runs, expired), for a 404 that says so
//   front:{id}, worker:{id}   presence with a TTL (a worker's holds its manifest)

/** What `call:{id}` holds once the front has withdrawn a plain call (else the count of its attempts). */
export const CALL_WITHDRAWN = 'withdrawn';

/** Helpers every script starts with. */
const LIB = `
local P = ARGV[1]
local function rkey(id) return P .. 'run:' .. id end
local function num(v) return tonumber(v) or 0 end

-- Drops a run whole (its record, events and followers), and says why to whoever asks later.
local function forget(id, why)
  local rk = rkey(id)
  redis.call('DEL', rk, rk .. ':ev', rk .. ':fol', rk .. ':pos')
  redis.call('ZREM', P .. 'runs', id)
  redis.call('ZREM', P .. 'ended', id)
  local b = num(redis.call('HGET', P .. 'bytes', id))
  if b ~= 0 then redis.call('DECRBY', P .. 'bytes:total', b) end
  redis.call('HDEL', P .. 'bytes', id)
  if why ~= '' then redis.call('SET', P .. 'gone:' .. id, why, 'PX', 3600000) end
end

local function addBytes(id, rk, n)
  redis.call('HINCRBY', rk, 'bytes', n)
  redis.call('HINCRBY', P .. 'bytes', id, n)
  redis.call('INCRBY', P .. 'bytes:total', n)
end

-- What an event costs against the budget: its texts and a fixed part (as the memory store counts).
local function cost(typ, data, seq) return #typ + #data + #tostring(seq) + 64 end

-- Drops the run's oldest events while it keeps more than maxEvents or maxBytes (never the last one).
local function trimRun(id, rk, maxEvents, maxBytes)
  local first = num(redis.call('HGET', rk, 'first'))
  local last = num(redis.call('HGET', rk, 'lastSeq'))
  local bytes = num(redis.call('HGET', rk, 'bytes'))
  local dropped = 0
  local function over() return (last - first + 1 > maxEvents or bytes > maxBytes) and first < last end
  while over() do
    local batch = redis.call('XRANGE', rk .. ':ev', first .. '-0', '+', 'COUNT', 64)
    if #batch == 0 then break end
    for _, e in ipairs(batch) do
      if not over() then break end
      local seq = tonumber(string.match(e[1], '^(%d+)'))
      local c = cost(e[2][2], e[2][4], seq)
      bytes = bytes - c
      dropped = dropped + c
      first = seq + 1
    end
  end
  if dropped > 0 then
    redis.call('XTRIM', rk .. ':ev', 'MINID', first .. '-0')
    redis.call('HSET', rk, 'first', first)
    addBytes(id, rk, -dropped)
  end
end

-- Over the budget of all runs: the oldest ended runs go first, whole; then the run that is
-- appending gives up its oldest events (the one streaming pays for it).
local function makeRoom(id, rk, budget)
  local n = 0
  while num(redis.call('GET', P .. 'bytes:total')) > budget and n < 100 do
    local oldest = redis.call('ZRANGE', P .. 'ended', 0, 0)
    if #oldest == 0 then break end
    forget(oldest[1], 'budget')
    n = n + 1
  end
  local excess = num(redis.call('GET', P .. 'bytes:total')) - budget
  if excess > 0 then
    trimRun(id, rk, 1e15, math.max(0, num(redis.call('HGET', rk, 'bytes')) - excess))
  end
end

local function push(id, rk, typ, data)
  local seq = redis.call('HINCRBY', rk, 'lastSeq', 1)
  redis.call('XADD', rk .. ':ev', seq .. '-0', 't', typ, 'd', data)
  addBytes(id, rk, cost(typ, data, seq))
  return seq
end

-- The run has had its terminal event: it is listed as ended and expires after the retention time.
local function endRun(id, rk, state, now, retention)
  redis.call('HSET', rk, 'state', state, 'endedAt', now)
  redis.call('HDEL', rk, 'cancel', 'cancelState')
  redis.call('ZADD', P .. 'ended', now, id)
  redis.call('PEXPIRE', rk, retention)
  redis.call('PEXPIRE', rk .. ':ev', retention)
  redis.call('PEXPIRE', rk .. ':fol', retention)
  redis.call('DEL', rk .. ':pos')
end

-- Appends events (type, data, endState triples from ARGV[at]); the one with an endState ends the run.
local function appendAll(id, rk, at, n, now, maxEvents, maxBytes, budget, retention)
  local ended = nil
  for i = 0, n - 1 do
    local typ, data, endState = ARGV[at + i * 3], ARGV[at + i * 3 + 1], ARGV[at + i * 3 + 2]
    push(id, rk, typ, data)
    if endState ~= '' then ended = endState break end
  end
  trimRun(id, rk, maxEvents, maxBytes)
  makeRoom(id, rk, budget)
  if ended then endRun(id, rk, ended, now, retention) end
  return redis.call('HGET', rk, 'lastSeq')
end

-- The seq the slowest follower has been handed, over live fronts (-1 when nobody follows):
-- a worker holds its action's send back while that follower lags too far.
local function slowest(rk)
  local all = redis.call('HGETALL', rk .. ':pos')
  local min = -1
  for i = 1, #all, 2 do
    if redis.call('EXISTS', P .. 'front:' .. all[i]) == 1 then
      local v = tonumber(all[i + 1])
      if min < 0 or v < min then min = v end
    else redis.call('HDEL', rk .. ':pos', all[i]) end
  end
  return min
end

local function live(state) return state == 'queued' or state == 'live' end

-- Followers of a run through fronts that are still alive (a killed front's count does not hold the run).
local function followers(rk)
  local all = redis.call('HGETALL', rk .. ':fol')
  local total = 0
  for i = 1, #all, 2 do
    if redis.call('EXISTS', P .. 'front:' .. all[i]) == 1 then total = total + num(all[i + 1])
    else redis.call('HDEL', rk .. ':fol', all[i]) end
  end
  return total
end
`;

/** Shared limits, ARGV[3..7] of the scripts that append: now, maxEvents, maxBytes, budget, retention. */
const LIMITS = `
local now, maxEvents, maxBytes, budget, retention = num(ARGV[3]), num(ARGV[4]), num(ARGV[5]), num(ARGV[6]), num(ARGV[7])
`;

export const SCRIPTS = {
  /** ARGV: P, id, action, detached, now, maxRuns. A new run, queued; the oldest ended runs go past maxRuns. */
  pktCreate: `${LIB}
local id = ARGV[2]
local rk = rkey(id)
local order = redis.call('INCR', P .. 'order')
redis.call('HSET', rk, 'action', ARGV[3], 'detached', ARGV[4], 'startedAt', ARGV[5], 'state', 'queued',
  'attempt', 0, 'lastSeq', 0, 'first', 1, 'bytes', 0, 'order', order)
redis.call('ZADD', P .. 'runs', order, id)
local maxRuns = num(ARGV[6])
while redis.call('ZCARD', P .. 'runs') > maxRuns do
  local oldest = redis.call('ZRANGE', P .. 'ended', 0, 0)
  if #oldest == 0 then break end
  forget(oldest[1], 'runs')
end
return order`,

  /**
   * ARGV: P, id, now, maxEvents, maxBytes, budget, retention, attempt, percent ('' for none), n,
   * lastSeq (the seq the batch follows), then n × (type, data, endState). Appends a worker's
   * events if the run is still live and still its attempt: ['ok', lastSeq] or ['fenced', why].
   * A batch Redis has applied already (its answer lost to a cut connection, then sent again) is
   * answered 'ok' without applying it twice.
   */
  pktAppend: `${LIB}${LIMITS}
local id = ARGV[2]
local rk = rkey(id)
local cur = redis.call('HMGET', rk, 'state', 'attempt', 'lastSeq')
if not cur[1] then return {'fenced', 'gone'} end
if cur[2] ~= ARGV[8] then return {'fenced', 'attempt'} end
local n, expected = num(ARGV[10]), num(ARGV[11])
if num(cur[3]) == expected + n then return {'ok', cur[3], slowest(rk)} end
if cur[1] ~= 'live' then return {'fenced', cur[1]} end
if num(cur[3]) ~= expected then return {'fenced', 'seq'} end
if ARGV[9] ~= '' then redis.call('HSET', rk, 'percent', ARGV[9]) end
local last = appendAll(id, rk, 12, n, now, maxEvents, maxBytes, budget, retention)
return {'ok', last, slowest(rk)}`,

  /**
   * ARGV: P, id, now, maxEvents, maxBytes, budget, retention, worker, maxAttempts, lostData,
   * restartReason (a JSON string), channel.
   * A worker takes a run from the queue. A queued run becomes live, attempt 1 (the front
   * waiting for it hears so on its channel). A live run came back because the worker that had
   * it was lost: it restarts (attempt + 1, a `restart` event) while attempts remain, or ends
   * with WORKER_LOST. A cancel asked for meanwhile ends it. Answers [what, attempt].
   */
  pktClaim: `${LIB}${LIMITS}
local id = ARGV[2]
local rk = rkey(id)
local state = redis.call('HGET', rk, 'state')
if not live(state) then return {'ended', 0, 0} end
local cancel = redis.call('HMGET', rk, 'cancel', 'cancelState')
if cancel[1] then
  redis.call('HINCRBY', rk, 'attempt', 1)
  push(id, rk, 'error', cancel[1])
  endRun(id, rk, cancel[2], now, retention)
  return {'ended', 0, 0}
end
local attempt = num(redis.call('HGET', rk, 'attempt'))
if state == 'queued' then
  redis.call('HSET', rk, 'state', 'live', 'attempt', 1, 'worker', ARGV[8])
  redis.call('PUBLISH', ARGV[12], 'run ' .. id)
  return {'run', 1, redis.call('HGET', rk, 'lastSeq')}
end
if attempt < num(ARGV[9]) then
  attempt = attempt + 1
  redis.call('HSET', rk, 'attempt', attempt, 'worker', ARGV[8])
  push(id, rk, 'restart', '{"attempt":' .. attempt .. ',"reason":' .. ARGV[11] .. '}')
  trimRun(id, rk, maxEvents, maxBytes)
  return {'restart', attempt, redis.call('HGET', rk, 'lastSeq')}
end
push(id, rk, 'error', ARGV[10])
endRun(id, rk, 'failed', now, retention)
return {'lost', attempt, 0}`,

  /** ARGV: P, id, body, channel. A queued run whose input failed the action's schema: it never was. */
  pktReject: `${LIB}
local rk = rkey(ARGV[2])
if redis.call('HGET', rk, 'state') ~= 'queued' then return 0 end
redis.call('ZREM', P .. 'runs', ARGV[2])
redis.call('DEL', rk .. ':ev')
redis.call('HSET', rk, 'state', 'invalid', 'invalid', ARGV[3])
redis.call('PEXPIRE', rk, 60000)
redis.call('PUBLISH', ARGV[4], 'run ' .. ARGV[2])
return 1`,

  /** ARGV: P, id. The front gives up on a run no worker took in time: gone, if still queued. */
  pktAbandon: `${LIB}
local rk = rkey(ARGV[2])
local state = redis.call('HGET', rk, 'state')
if state == 'queued' or state == 'invalid' then forget(ARGV[2], '') return 1 end
return 0`,

  /**
   * ARGV: P, id, now, maxEvents, maxBytes, budget, retention, 'error', data, endState. Cancels a run:
   * 'unknown', 'ended', or 'cancelled'. A run no worker holds (queued, or its worker's presence
   * has expired) ends here and now; a live one is asked to end on its worker (a message, and a
   * field the worker checks when it takes the run, in case the message went astray).
   */
  pktCancel: `${LIB}${LIMITS}
local id = ARGV[2]
local rk = rkey(id)
local state = redis.call('HGET', rk, 'state')
if not state then
  if redis.call('EXISTS', P .. 'gone:' .. id) == 1 then return 'ended' end
  return 'unknown'
end
if not live(state) then return 'ended' end
local worker = redis.call('HGET', rk, 'worker')
if state == 'queued' or not worker or redis.call('EXISTS', P .. 'worker:' .. worker) == 0 then
  -- A worker that is only slow finds its attempt gone, and writes nothing more.
  redis.call('HINCRBY', rk, 'attempt', 1)
  appendAll(id, rk, 8, 1, now, maxEvents, maxBytes, budget, retention)
  return 'cancelled'
end
redis.call('HSET', rk, 'cancel', ARGV[9], 'cancelState', ARGV[10])
redis.call('PUBLISH', P .. 'cancel', id)
return 'cancelled'`,

  /**
   * ARGV: P, id, front, delta, now. A follower came (+1) or left (-1) through a front; answers
   * the followers over live fronts (-1 for an unknown run). The last one leaving marks since when
   * the run has had none, for linger.
   */
  pktFollow: `${LIB}
local rk = rkey(ARGV[2])
if redis.call('EXISTS', rk) == 0 then return -1 end
local delta = num(ARGV[4])
if delta ~= 0 then
  local n = redis.call('HINCRBY', rk .. ':fol', ARGV[3], delta)
  if n <= 0 then redis.call('HDEL', rk .. ':fol', ARGV[3]) end
  local ttl = redis.call('PTTL', rk)
  if ttl > 0 then redis.call('PEXPIRE', rk .. ':fol', ttl) end
end
local total = followers(rk)
if delta > 0 then redis.call('HDEL', rk, 'idleSince') end
if delta < 0 and total == 0 then redis.call('HSET', rk, 'idleSince', ARGV[5]) end
return total`,

  /** ARGV: P, id. [lastSeq, the slowest follower's seq]: whether a held worker may go on. */
  pktLag: `${LIB}
local rk = rkey(ARGV[2])
return {num(redis.call('HGET', rk, 'lastSeq')), slowest(rk)}`,

  /** ARGV: P, id. The run's record as a flat list of fields, with its followers; empty when unknown. */
  pktRecord: `${LIB}
local rk = rkey(ARGV[2])
local fields = redis.call('HGETALL', rk)
if #fields == 0 then return {} end
table.insert(fields, 'followers')
table.insert(fields, tostring(followers(rk)))
return fields`,

  /**
   * ARGV: P, id, ttl. A worker that has the action takes a plain call: its attempt (1 the first
   * time, more after its worker was lost), or 0 when the front has withdrawn it (nobody waits).
   */
  pktTakeCall: `
local k = ARGV[1] .. 'call:' .. ARGV[2]
if redis.call('GET', k) == '${CALL_WITHDRAWN}' then return 0 end
local n = redis.call('INCR', k)
redis.call('PEXPIRE', k, ARGV[3])
return n`,

  /**
   * ARGV: P, id, ttl, force. The front gives up on a plain call: 1 if it was withdrawn before any
   * worker took it (or, with force, whoever took it is gone), 0 if a worker has it. Asking BullMQ
   * to remove the job is not enough: a worker that lacks the action may hold it at that moment,
   * on its way back to the queue, and it would then wait for a taker for ever.
   */
  pktWithdrawCall: `
local k = ARGV[1] .. 'call:' .. ARGV[2]
if ARGV[4] ~= '1' and redis.call('EXISTS', k) == 1 then return 0 end
redis.call('SET', k, '${CALL_WITHDRAWN}', 'PX', ARGV[3])
return 1`,

  /** ARGV: P, now, retention. Drops ended runs past their retention, accounting their bytes. */
  pktSweep: `${LIB}
local old = redis.call('ZRANGEBYSCORE', P .. 'ended', '-inf', num(ARGV[2]) - num(ARGV[3]), 'LIMIT', 0, 500)
for _, id in ipairs(old) do forget(id, 'expired') end
return #old`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
