#!/usr/bin/env bash
# Load benchmark of the citizen's status check (docs/benchmarks.md), with the default rate limits on:
#  0. the reference: a static file through the same pipeline (the server's floor), alternately with 1., ROUNDS times;
#  1. throughput: POST /api/public/status from many clients (X-Forwarded-For, as nginx on this host would send it)
#     about many people (a sample of real NIKs of the demo registry with their names; one in five with a wrong name),
#     so that no limit is hit: requests/s, p50 and p99;
#  2. burst: one client far over its limit (429s) while the back office serves family pages: how fast the 429s come
#     and what the back office's latency is meanwhile, against the back office alone.
# Usage: bench/load/public.sh [FAMILIES] [SECONDS]   (PROVIDER=postgres, ROUNDS=n, BURST=0 to stop after the rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
families=${1:-300000}
seconds=${2:-30}
. bench/load/common.sh
sample="$root/status-sample.tsv"
if [ "$provider" = postgres ]; then
  PGPASSWORD=postgres psql -qAt -F $'\t' -h 127.0.0.1 -U postgres -d "$database" -c "SELECT nik, nama FROM persons ORDER BY md5(nik) LIMIT 300000" > "$sample"
else
  sqlite3 -separator $'\t' "$root/App_Data/tuntas.db" "SELECT nik, nama FROM persons ORDER BY substr(nik, 13) || nik LIMIT 300000" > "$sample"
fi
report='done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("%.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d requests, %d non-2xx\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.errors.status))
end'
cat > "$root/status.lua" <<LUA
local people = {}
for line in io.lines("$sample") do
  local nik, nama = line:match("^(%d+)\t(.*)$")
  if nik then people[#people + 1] = { nik, nama } end
end
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local p = people[math.random(1, #people)]
  local name = (counter % 5 == 0) and "Nama Keliru" or p[2]
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format(nil, "/api/public/status", nil, string.format('{"nik":"%s","nama":"%s"}', p[1], name))
end
$report
LUA
cat > "$root/burst.lua" <<LUA
wrk.method = "POST"
wrk.path = "/api/public/status"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Forwarded-For"] = "10.9.9.9"
wrk.body = '{"nik":"3314015504820001","nama":"Sri Lestari"}'
$report
LUA
cat > "$root/backoffice.lua" <<LUA
wrk.headers["Cookie"] = "$cookie"
request = function() return wrk.format("GET", "/Keluarga/" .. math.random(1, $families)) end
$report
LUA
echo "== $provider, $families families, $(wc -l < "$sample") people in the sample, ${seconds}s (web log: $root/web.log)"
curl -s -o /dev/null -w "status warm-up: %{http_code}\n" -H 'Content-Type: application/json' -d '{"nik":"3314015504820001","nama":"x"}' "http://127.0.0.1:$port/api/public/status"
cat > "$root/static.lua" <<LUA
$report
LUA
# The reference in the same run: the server's floor, a static file through the same pipeline and connections (no
# database). Measured alternately with the check, ROUNDS times; the ratio is the figure to compare between machines.
# CPU time (ms) of the web app and of the database server's processes, read from /proc: the figure per request moves
# far less with the machine's load than requests/s does.
cpu_ms() { cat "$@" 2>/dev/null | sed 's/.*) //' | awk '{ t += $12 + $13 } END { printf "%d", t * 1000 / ticks }' ticks="$(getconf CLK_TCK)"; }
# The database server's CPU: its live processes, plus the children that have exited (a pooled connection closed) as
# the postmaster's cumulative children's time.
database_ms() {
  [ "$provider" = postgres ] || { echo 0; return; }
  local postmaster live
  postmaster=$(pgrep -o -x postgres)
  live=$(cpu_ms $(pgrep -x postgres | sed 's|.*|/proc/&/stat|'))
  sed 's/.*) //' "/proc/$postmaster/stat" | awk -v live="$live" -v ticks="$(getconf CLK_TCK)" '{ printf "%d", live + ($14 + $15) * 1000 / ticks }'
}
measure() { # $1 = label, $2 = wrk script, $3 = path; prints wrk's line and the CPU per request
  local web0 db0 line requests
  web0=$(cpu_ms /proc/$web/stat); db0=$(database_ms)
  line=$(wrk -t2 -c50 -d"${seconds}s" -s "$2" "http://127.0.0.1:$port$3" | tail -1)
  requests=$(echo "$line" | sed -E 's/.* ([0-9]+) requests.*/\1/')
  awk -v l="$line" -v n="$requests" -v w="$(( $(cpu_ms /proc/$web/stat) - web0 ))" -v d="$(( $(database_ms) - db0 ))" -v label="$1" \
    'BEGIN { printf "%s: %s; CPU per request: web %.3f ms, database %.3f ms\n", label, l, w / n, d / n }'
}
for round in $(seq 1 "${ROUNDS:-1}"); do
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  floor=$(measure "static file (floor), 50 connections" "$root/static.lua" /css/site.css)
  echo "$floor"
  check=$(measure "status check, 50 connections, many clients" "$root/status.lua" "")
  echo "$check"
  awk -v f="${floor#*: }" -v c="${check#*: }" 'BEGIN { split(f, a, " "); split(c, b, " "); printf "status check ÷ floor: %.1f %%\n", 100 * b[1] / a[1] }'
done
[ "${BURST:-1}" = 0 ] && exit 0
wrk -t1 -c5 -d5s -s "$root/backoffice.lua" "http://127.0.0.1:$port" > /dev/null   # warm-up: JIT and caches of the family page
echo -n "back office alone, 5 connections: "
wrk -t1 -c5 -d10s -s "$root/backoffice.lua" "http://127.0.0.1:$port" | tail -1
wrk -t1 -c5 -d10s -s "$root/backoffice.lua" "http://127.0.0.1:$port" | tail -1 > "$root/during.txt" &
during=$!
echo -n "burst, one client over its limit, 20 connections (non-2xx = 429): "
wrk -t1 -c20 -d10s -s "$root/burst.lua" "http://127.0.0.1:$port" | tail -1
wait $during
echo "back office during the burst: $(cat "$root/during.txt")"
