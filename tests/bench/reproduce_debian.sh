#!/usr/bin/env bash
# The reproduction table of tests/bench/RESULTS.md: full FT, LoRA and GreenTrainer at rho
# 0.5 / 0.6 / 0.7 (0.4 is infeasible on the starter: its LM head's input gradient alone needs
# rho >= 0.4545, `gt plan --rho 0.4` says so) on the starter model and the built-in Debian task, the same training pairs,
# steps, learning rate and seed for all, scored on the whole validation split (greedy).
#   tests/bench/reproduce_debian.sh [GT] [DB] [TRAIN_PAIRS] [STEPS]
set -euo pipefail
GT=${1:-build/release/app/gt}
DB=${2:-/tmp/gt-reproduce.sqlite}
PAIRS=${3:-3000}
STEPS=${4:-375}
common=(--preset debian --limit "$PAIRS" --max-steps "$STEPS" --epochs 100 --batch 8
        --seq-len 256 --lr 1e-3 --seed 42 --eval-examples 100000 --max-new-tokens 24
        --db "$DB" --tag reproduce)
printf '| method | ROUGE-1 | ROUGE-2 | ROUGE-L | val loss | planned MAC share | measured time share | train s | peak MiB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
full_s=""
for m in "full" "lora" "greentrainer 0.5" "greentrainer 0.6" "greentrainer 0.7"; do
    set -- $m
    args=(--method "$1")
    label="$1"
    [[ $# -gt 1 ]] && args+=(--rho "$2") && label="GreenTrainer rho $2"
    [[ $1 == full ]] && label="Full FT"
    [[ $1 == lora ]] && label="LoRA r8 (q,v)"
    out=$("$GT" train --model resources/models/starter "${common[@]}" "${args[@]}" 2>/dev/null)
    secs=$(sed -n 's/.* steps in \([0-9:]*\);.*/\1/p' <<<"$out" | awk -F: '{print $1*3600+$2*60+$3}')
    share=$(sed -n 's/.*planned cost \([0-9.]*\) of full.*/\1/p' <<<"$out")
    rouge=$(sed -n 's#validation: loss \([0-9.]*\), ROUGE-1/2/L \([0-9.]*\) / \([0-9.]*\) / \([0-9.]*\)#\2 | \3 | \4 | \1#p' <<<"$out")
    mib=$(sed -n 's/peak memory \([0-9]*\) MiB/\1/p' <<<"$out")
    [[ -z $full_s ]] && full_s=$secs
    tshare=$(awk -v a="$secs" -v b="$full_s" 'BEGIN{printf "%.3f", a/b}')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$rouge" "$share" "$tshare" "$secs" "$mib"
done
