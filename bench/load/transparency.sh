#!/usr/bin/env bash
# Load benchmark of the anonymous transparency page (docs/benchmarks.md, "Transparency under load"): the regency's
# page /Publik/Transparansi and a kecamatan's, and the open-data CSV, with 20 connections from many clients
# (X-Forwarded-For, as nginx on this host would send it; each client stays under its rate limit), against the
# server's floor (a static file through the same pipeline). Target: at least 1,000 requests/s (a probe measured 6.6).
# Then one client alone, far over its limit: how fast the 429s come.
# Usage: bench/load/transparency.sh [FAMILIES] [SECONDS]   (PROVIDER=postgres optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
families=${1:-300000}
seconds=${2:-30}
. bench/load/common.sh
report='done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("%d requests, %.0f requests/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.1f ms, %d non-2xx\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status))
end'
district=$(curl -s "http://127.0.0.1:$port/api/public/transparency/33.14" | grep -o '"rows":\[{"code":"[^"]*' | sed 's/.*"code":"//')
for page in static:/css/site.css regency:/Publik/Transparansi district:/Publik/Transparansi/$district csv:/api/public/transparency/33.14/csv; do
  cat > "$root/transparency-${page%%:*}.lua" <<LUA
request = function()
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", "${page#*:}")
end
$report
LUA
done
cat > "$root/transparency-flood.lua" <<LUA
wrk.headers["X-Forwarded-For"] = "10.9.9.9"
wrk.path = "/Publik/Transparansi"
$report
LUA
echo "== $provider, $families families, 20 connections, ${seconds}s each, kecamatan $district (web log: $root/web.log)"
for page in static regency district csv flood; do
  path=$(case $page in static) echo /css/site.css;; regency|flood) echo /Publik/Transparansi;; district) echo /Publik/Transparansi/$district;; csv) echo /api/public/transparency/33.14/csv;; esac)
  curl -s -o /dev/null -w "$page warm-up: %{http_code} %{size_download} bytes %{time_total}s\n" "http://127.0.0.1:$port$path"
  echo -n "$page: "
  wrk -t2 -c20 -d"${seconds}s" -s "$root/transparency-$page.lua" "http://127.0.0.1:$port" | tail -1
done
