#!/usr/bin/env bash
# Compares one network on 1 process x 1 thread, 1 process x 2 threads and
# 2 MPI ranks x 1 thread, in alternating rounds, and prints the median of
# each: the loop (soma's "simulated in"), the whole process as seen from
# outside (mpirun's start included), and peak memory of one process.
#
#   bench/dist.sh bench/models/brunel.yaml 5
#   bench/dist.sh examples/microcircuit/microcircuit.yaml 3 --set duration=0.5*second
#
# Needs OpenMPI (openmpi-bin libopenmpi-dev) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1
rounds=${2:-5}
shift 2 || true
bin=$(mktemp -d)/soma
go build -tags mpi -o "$bin" ./cmd/soma
out=$(mktemp -d)
log=$out/log
for ((r = 1; r <= rounds; r++)); do
  for mode in t1 t2 r2; do
    case $mode in
      t1) cmd=("$bin" run "$model" --threads 1) ;;
      t2) cmd=("$bin" run "$model" --threads 2) ;;
      r2) cmd=(mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 "$bin" run "$model" --threads 1) ;;
    esac
    /usr/bin/time -f "$mode total %e maxrss_kb %M" -o "$out/time" "${cmd[@]}" "$@" --no-store --out "$out/$mode" >"$out/stdout"
    loop=$(sed -n 's/.* simulated in \([0-9.]*\) s.*/\1/p' "$out/stdout")
    echo "$(cat "$out/time") loop $loop" | tee -a "$log"
    grep "ranks:" "$out/stdout" || true
  done
  for f in "$out"/t1/*.npz; do
    cmp "$f" "$out/t2/$(basename "$f")"
    cmp "$f" "$out/r2/$(basename "$f")"
  done
done
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "medians of $rounds rounds (seconds; peak memory of one process in MiB):"
for mode in t1 t2 r2; do
  loop=$(awk -v m=$mode '$1 == m {print $7}' "$log" | median)
  total=$(awk -v m=$mode '$1 == m {print $3}' "$log" | median)
  rss=$(awk -v m=$mode '$1 == m {print $5 / 1024}' "$log" | median)
  echo "$mode loop $loop total $total rss $rss"
done
rm -rf "$out" "$(dirname "$bin")"
