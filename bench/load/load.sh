#!/usr/bin/env bash
# Load benchmark of the back office (issue #5, docs/benchmarks.md): the dashboard (/) and family pages
# (/Keluarga/{id}, random families) with 20 concurrent users, measured with Debian's wrk on loopback, against the
# Release web app on a demo registry of 300,000 families (SQLite by default; PostgreSQL with PROVIDER=postgres).
# Usage: bench/load/load.sh [FAMILIES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
families=${1:-300000}
seconds=${2:-30}
provider=${PROVIDER:-sqlite}
root=$(pwd)/bench/out/load-$provider-$families
port=5099
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 1; }
mkdir -p "$root"
export ASPNETCORE_ENVIRONMENT=Production Database__DataRoot="$root" Demo__Enabled=true Demo__Families="$families" Logging__LogLevel__Default=Warning
if [ "$provider" = postgres ]; then
  export Database__Provider=Postgres ConnectionStrings__Tuntas="Host=127.0.0.1;Username=postgres;Password=postgres;Database=tuntas_load_$families"
  psql -q "host=127.0.0.1 user=postgres password=postgres" -tc "SELECT 1 FROM pg_database WHERE datname='tuntas_load_$families'" | grep -q 1 \
    || psql -q "host=127.0.0.1 user=postgres password=postgres" -c "CREATE DATABASE tuntas_load_$families"
fi
dotnet build -c Release src/Tuntas.Web -v q -nologo >/dev/null
# Content root = the project folder (appsettings.json, wwwroot), as `dotnet run` has it.
(cd src/Tuntas.Web && exec dotnet bin/Release/net10.0/Tuntas.Web.dll --urls "http://127.0.0.1:$port") > "$root/web.log" 2>&1 &
web=$!
trap 'kill $web 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q "Masuk di" "$root/web.log" 2>/dev/null && break; sleep 1; done
jar=$(mktemp)
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/Masuk" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null -d "UserName=admin&Password=tuntas-demo&__RequestVerificationToken=$token" "http://127.0.0.1:$port/Masuk"
cookie=$(awk '$6 ~ /tuntas/ {printf "%s=%s; ", $6, $7}' "$jar")
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
