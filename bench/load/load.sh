#!/usr/bin/env bash
# Load benchmark of the back office (docs/benchmarks.md): the dashboard (/) and family pages
# (/Keluarga/{id}, random families) with 20 concurrent users, measured with Debian's wrk on loopback, against the
# Release web app on a demo registry of 300,000 families (SQLite by default; PostgreSQL with PROVIDER=postgres).
# Usage: bench/load/load.sh [FAMILIES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
families=${1:-300000}
seconds=${2:-30}
. bench/load/common.sh
# A targeting run first, so the family pages show their targeting section as in real use.
dotnet build -c Release src/Tuntas.Cli -v q -nologo >/dev/null
dotnet src/Tuntas.Cli/bin/Release/net10.0/tuntas.dll targeting run 2>&1 | head -1 || true
cat > "$root/family.lua" <<LUA
math.randomseed(7)
wrk.headers["Cookie"] = "$cookie"
request = function() return wrk.format("GET", "/Keluarga/" .. math.random(1, $families)) end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, %d requests, %d errors\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
sed -e 's|request = function().*|request = function() return wrk.format("GET", "/") end|' "$root/family.lua" > "$root/dashboard.lua"
# The floor: a static file through the same pipeline (no database, no page), what the server costs per request at all.
sed -e 's|request = function().*|request = function() return wrk.format("GET", "/css/site.css") end|' "$root/family.lua" > "$root/static.lua"
echo "== $provider, $families families, 20 connections, ${seconds}s each (web log: $root/web.log)"
first=$(curl -s -b "$jar" "http://127.0.0.1:$port/api/families?desa=$(curl -s -b "$jar" http://127.0.0.1:$port/api/dashboard/33.14 | grep -o '"villages":\[{"code":"[^"]*' | sed 's/.*"code":"//')" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
for page in static dashboard family; do
  curl -s -b "$jar" -o /dev/null -w "$page warm-up: %{http_code} %{size_download} bytes %{time_total}s\n" \
    "http://127.0.0.1:$port$(case $page in static) echo /css/site.css;; dashboard) echo /;; *) echo /Keluarga/${first:-1};; esac)"
  echo -n "$page: "
  wrk -t2 -c20 -d"${seconds}s" -s "$root/$page.lua" "http://127.0.0.1:$port" | tail -1
done
