#!/usr/bin/env bash
# Shared by the load benchmarks (load.sh, public.sh): starts the Release web app on a demo registry of $families
# families (generated on first use in bench/out/load-<provider>-<families>; PostgreSQL with PROVIDER=postgres) on
# 127.0.0.1:$port and signs in as the demo administrator: $jar (curl cookie jar) and $cookie (for wrk) are set.
# The caller sets families, and may export extra configuration (e.g. Tuntas__Public__*) before sourcing this.
# PORT and LOAD_DATABASE (the PostgreSQL database's name) may be set to run beside another session's benchmark.
provider=${PROVIDER:-sqlite}
root=$(pwd)/bench/out/load-$provider-$families
port=${PORT:-5099}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 1; }
mkdir -p "$root"
export ASPNETCORE_ENVIRONMENT=Production Database__DataRoot="$root" Demo__Enabled=true Demo__Families="$families" Logging__LogLevel__Default=Warning
if [ "$provider" = postgres ]; then
  database=${LOAD_DATABASE:-tuntas_load_$families}
  export Database__Provider=Postgres ConnectionStrings__Tuntas="Host=127.0.0.1;Username=postgres;Password=postgres;Database=$database${PG_OPTIONS:+;$PG_OPTIONS}"
  psql -q "host=127.0.0.1 user=postgres password=postgres" -tc "SELECT 1 FROM pg_database WHERE datname='$database'" | grep -q 1 \
    || psql -q "host=127.0.0.1 user=postgres password=postgres" -c "CREATE DATABASE $database"
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
