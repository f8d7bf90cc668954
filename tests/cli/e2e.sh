#!/usr/bin/env bash
# End-to-end test of the iotgrad tool: simulate -> train -> evaluate -> predict
# for each task type on small simulated data, checking exit codes and that
# every metrics JSON has its task's keys for both the model and the baseline.
# Usage: tests/cli/e2e.sh path/to/iotgrad      (ctest passes the built binary)
set -u
# One thread each: the data are tiny, and OpenMP threads on a busy machine
# (ctest, other builds) can slow these runs down many times over.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
BIN=${1:?usage: e2e.sh path/to/iotgrad}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/iotgrad_e2e.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
FAILS=0

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# expect CODE CMD... : runs the tool, checks the exit status.
expect() {
  local want=$1; shift
  "$BIN" "$@" >"$DIR/out.txt" 2>"$DIR/err.txt"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "iotgrad $* exited $got, expected $want"; sed 's/^/  | /' "$DIR/err.txt" | tail -5
  fi
}

# has_keys FILE KEY... : the JSON file names every key (in model and baseline: counted twice).
has_keys() {
  local f=$1; shift
  [ -s "$f" ] || { fail "$f is missing or empty"; return; }
  for k in task records model baseline name; do grep -q "\"$k\":" "$f" || fail "$f lacks \"$k\""; done
  for k in "$@"; do
    local n; n=$(grep -o "\"$k\":" "$f" | wc -l)
    [ "$n" -eq 2 ] || fail "$f: \"$k\" appears $n times, expected 2 (model and baseline)"
  done
}

# chain NAME TASK "train options" KEYS... : train, evaluate and predict one task.
chain() {
  local name=$1 task=$2 opts=$3 csv=$4; shift 4
  # shellcheck disable=SC2086
  expect 0 train --csv "$csv" --task "$task" $opts --epochs 2 --seed 3 --save "$DIR/$name.model" --metrics-json "$DIR/$name.train.json"
  has_keys "$DIR/$name.train.json" "$@"
  grep -q "\"task\": \"$task\"" "$DIR/$name.train.json" || fail "$name: task is not $task"
  expect 0 evaluate --model "$DIR/$name.model" --csv "$csv" --metrics-json "$DIR/$name.eval.json"
  has_keys "$DIR/$name.eval.json" "$@"
  expect 0 predict --model "$DIR/$name.model" --csv "$csv" --out "$DIR/$name.pred.csv"
  [ "$(wc -l <"$DIR/$name.pred.csv")" -gt 1 ] || fail "$name: no predictions written"
}

expect 0 simulate --scenario wearable --devices 4 --records 640 --seed 1 --out "$DIR/w.csv"
expect 0 simulate --scenario machines --devices 5 --seed 1 --out "$DIR/m.csv"
expect 0 simulate --scenario city --devices 4 --records 500 --seed 1 --out "$DIR/c.csv"

chain classify classify "--target activity --window 32 --model cnn" "$DIR/w.csv" accuracy macro_f1 precision recall
chain regress regress "--target rul --ignore failure --window 20 --model gru" "$DIR/m.csv" rmse mae
chain forecast forecast "--target temperature --ignore anomaly --window 16 --horizon 2 --model lstm" "$DIR/c.csv" rmse mae
chain anomaly anomaly "--target anomaly --window 16" "$DIR/c.csv" precision recall f1 roc_auc

# Determinism: the same seed gives the same metrics.
expect 0 train --csv "$DIR/w.csv" --task classify --target activity --window 32 --epochs 2 --seed 3 \
  --save "$DIR/again.model" --metrics-json "$DIR/again.json"
cmp -s "$DIR/again.json" "$DIR/classify.train.json" || fail "same seed, different metrics"

# Errors: a bad option exits 2, bad data exits 1 with file:line:column.
expect 2 train --csv "$DIR/w.csv" --task classify --target activity --epochs many
grep -q -- "--epochs" "$DIR/err.txt" || fail "the --epochs error does not name the option"
printf 'time,x,y\n1,2,3\n2,x,4\n' >"$DIR/bad.csv"
expect 1 train --csv "$DIR/bad.csv" --task regress --target y --window 1 --model mlp
grep -q "bad.csv:3:2:" "$DIR/err.txt" || fail "bad data error lacks file:line:column"

if [ "$FAILS" -ne 0 ]; then echo "e2e: $FAILS failure(s)"; exit 1; fi
echo "e2e: simulate -> train -> evaluate -> predict passed for classify, regress, forecast, anomaly"
