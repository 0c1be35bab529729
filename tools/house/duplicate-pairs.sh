#!/usr/bin/env bash
# Counts the pairs `duplicates` finds over src/ two ways, as docs/architecture.md's "State of the house" tables do:
# over the whole of src/, and over the files that existed when the house review was filed (commit 38785c7), read as
# they are now in the working tree. The second count is the one the review's target was set against; a copy of just
# those files is scanned, because a run over all of src/ lists at most 200 of its pairs.
#
# Usage: tools/house/duplicate-pairs.sh [--rows]   (--rows also prints the pairs over the review's files)
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
review_commit=38785c7
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$root/src"
echo "all of src/:"
duplicates --most 200 --seconds 120 | head -n 1

cd "$root"
git ls-tree -r --name-only "$review_commit" -- src | while IFS= read -r file; do
  if [ -f "$file" ]; then
    mkdir -p "$scratch/$(dirname "$file")"
    cp "$file" "$scratch/$file"
  fi
done
echo "the files of $review_commit still there: $(find "$scratch" -type f | wc -l)"
cd "$scratch/src"
if [ "${1:-}" = "--rows" ]; then
  duplicates --most 200 --seconds 120
else
  duplicates --most 200 --seconds 120 | head -n 1
fi
