#!/usr/bin/env bash
# The reproduction table of tests/bench/RESULTS.md on the starter model and the built-in
# Debian task: full FT, GreenTrainer at rho 0.4 / 0.5 / 0.6 / 0.7 / 0.8, LoRA (r 8, q and v),
# the last k blocks with k matched to GreenTrainer-0.5's planned FLOPs, prefix tuning (20
# virtual tokens, MLP), LISA (2 blocks drawn every 20 steps), BAdam (one block at a time, 60 steps
# each: one cycle over the 6 blocks in 375 steps, fixed before any run) and FreezeOut (t0 0.5),
# on the same training pairs, steps and learning rate, for several seeds (the seed changes the
# data order, the importance probe's batches and LISA's and BAdam's draws).
# METHODS (a space-separated list of keys: full gt0.4 gt0.5 gt0.6 gt0.7 gt0.8 lora topk prefix
# lisa badam freezeout; default all) runs some of them; full FT always runs first for the time share.
#
#   tests/bench/reproduce_debian.sh sweep [GT] [DB]   choose the learning rate and steps: full
#                                                     FT and GreenTrainer 0.5, seed 1, scored on
#                                                     the VALIDATION split
#   tests/bench/reproduce_debian.sh test [GT] [DB]    the table: every method and seed, trained
#                                                     with LR and STEPS, scored on the TEST split
#                                                     (927 pairs, used for no choice)
#
# Environment: PAIRS (3000 training pairs), STEPS (375), LR (1e-3), SEEDS ("1 2 3"),
# SWEEP_LRS ("5e-4 1e-3 2e-3"), OUT (/tmp/gt-reproduce: exported models, logs), EVAL_LIMIT
# (score only the first N pairs: a quick check of the script, not a result).
# The test table gives the mean over seeds and a 95% t-interval of the mean (n - 1 degrees of
# freedom); time share is each run's training time over full FT's of the same seed.
set -euo pipefail
mode=${1:?usage: reproduce_debian.sh sweep|test [GT] [DB]}
GT=${2:-build/release/app/gt}
DB=${3:-/tmp/gt-reproduce.sqlite}
PAIRS=${PAIRS:-3000}
STEPS=${STEPS:-375}
LR=${LR:-1e-3}
SEEDS=${SEEDS:-1 2 3}
SWEEP_LRS=${SWEEP_LRS:-5e-4 1e-3 2e-3}
OUT=${OUT:-/tmp/gt-reproduce}
limit=()
[[ -n ${EVAL_LIMIT:-} ]] && limit=(--limit "$EVAL_LIMIT")
MODEL=resources/models/starter
mkdir -p "$OUT"

common=(--preset debian --limit "$PAIRS" --batch 8 --seq-len 256 --max-new-tokens 24
        --db "$DB" --tag reproduce)

field() { sed -n "$1" <<<"$2"; }
train_seconds() { field 's/.* steps in \([0-9:]*\);.*/\1/p' "$1" | awk -F: '{print $1*3600+$2*60+$3}'; }

# A k for --method top-k whose planned share is closest to GreenTrainer-0.5's budget.
matched_k() {
    local target best=1 bestd=9 k share d
    target=$("$GT" plan --model "$MODEL" --rho 0.5 --batch 8 --seq-len 256 --json |
             sed -n 's/^ *"share": \([0-9.e-]*\),*$/\1/p')
    for k in $(seq 1 "$("$GT" plan --model "$MODEL" --json | sed -n 's/^ "blocks": \([0-9]*\),*$/\1/p')"); do
        share=$("$GT" plan --model "$MODEL" --method top-k --k "$k" --batch 8 --seq-len 256 --json |
                sed -n 's/^ *"share": \([0-9.e-]*\),*$/\1/p')
        d=$(awk -v a="$share" -v b="$target" 'BEGIN{d=a-b; print d<0?-d:d}')
        if awk -v d="$d" -v e="$bestd" 'BEGIN{exit !(d<e)}'; then best=$k; bestd=$d; fi
    done
    echo "$best"
}

all_methods() {
    echo "full|Full FT|--method full"
    for rho in 0.4 0.5 0.6 0.7 0.8; do echo "gt$rho|GreenTrainer $rho|--method greentrainer --rho $rho"; done
    echo "lora|LoRA r8 (q,v)|--method lora"
    echo "topk|Top-$K blocks|--method top-k --k $K"
    echo "prefix|Prefix tuning (20 tokens)|--method prefix"
    echo "lisa|LISA (2 blocks / 20 steps)|--method lisa --lisa-layers 2 --lisa-interval 20"
    echo "badam|BAdam (1 block / 60 steps)|--method badam --badam-interval 60"
    echo "freezeout|FreezeOut (t0 0.5)|--method freezeout --freeze-start 0.5"
}
methods() {
    local line key
    while IFS= read -r line; do
        key=${line%%|*}
        if [[ -z ${METHODS:-} || $key == full || " $METHODS " == *" $key "* ]]; then echo "$line"; fi
    done < <(all_methods)
}

if [[ $mode == sweep ]]; then
    printf '| lr | steps | method | val ROUGE-1 | ROUGE-2 | ROUGE-L | val loss |\n|---|---|---|---|---|---|---|\n'
    for lr in $SWEEP_LRS; do
        for m in "full" "greentrainer"; do
            out=$("$GT" train --model "$MODEL" "${common[@]}" --method "$m" --rho 0.5 --lr "$lr" \
                  --max-steps "$STEPS" --epochs 100 --seed 1 --eval-examples 100000 2>/dev/null)
            rouge=$(field 's#validation: loss \([0-9.]*\), ROUGE-1/2/L \([0-9.]*\) / \([0-9.]*\) / \([0-9.]*\)#\2 | \3 | \4 | \1#p' "$out")
            printf '| %s | %s | %s | %s |\n' "$lr" "$STEPS" "$m" "$rouge"
        done
    done
    exit 0
fi
[[ $mode == test ]] || { echo "reproduce_debian.sh: mode must be sweep or test" >&2; exit 2; }

K=$(matched_k)
echo "top-k: k = $K blocks matches GreenTrainer-0.5's planned FLOPs most closely" >&2
rows="$OUT/rows.tsv"
: >"$rows"
for seed in $SEEDS; do
    full_s=""
    while IFS='|' read -r key label args; do
        dir="$OUT/$key-seed$seed"
        # shellcheck disable=SC2086
        out=$("$GT" train --model "$MODEL" "${common[@]}" $args --lr "$LR" --max-steps "$STEPS" \
              --epochs 100 --seed "$seed" --eval-examples 0 --export "$dir" 2>"$dir.log")
        secs=$(train_seconds "$out")
        [[ $key == full ]] && full_s=$secs
        share=$(field 's/.*planned cost \([0-9.]*\) of full.*/\1/p' "$out")
        mib=$(field 's/peak memory \([0-9]*\) MiB/\1/p' "$out")
        joules=$(field 's/^energy \([0-9.]*\) J measured.*/\1/p' "$out")
        run_id=$(field 's/^run \([0-9]*\) finished.*/\1/p' "$out")
        # the test scores are stored with the training run (the Runs page's ROUGE and groups)
        ev=$("$GT" eval --model "$dir" --preset debian --split test --max-new-tokens 24 "${limit[@]}" \
             --db "$DB" --attach "$run_id" 2>/dev/null)
        r1=$(field 's/^ROUGE-1 *\([0-9.]*\).*/\1/p' "$ev")
        r2=$(field 's/^ROUGE-2 *\([0-9.]*\).*/\1/p' "$ev")
        rl=$(field 's/^ROUGE-L *\([0-9.]*\)$/\1/p' "$ev")
        tshare=$(awk -v a="$secs" -v b="$full_s" 'BEGIN{printf "%.3f", a/b}')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$label" "$seed" "$r1" "$r2" \
            "$rl" "$share" "$tshare" "$mib" "${joules:-}" >>"$rows"
        echo "seed $seed $label: ROUGE-1 $r1, share $share, time share $tshare, $secs s" >&2
    done < <(methods)
done

# Mean and 95% t-interval over seeds (t quantiles for 1..9 degrees of freedom).
printf '| method | ROUGE-1 [95%%] | ROUGE-2 [95%%] | ROUGE-L [95%%] | MAC share | time share | peak MiB | energy |\n'
printf '|---|---|---|---|---|---|---|---|\n'
while IFS='|' read -r key label _; do
    awk -F'\t' -v key="$key" -v label="$label" '
        BEGIN { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262", t, " ") }
        $1 == key { n++; for (c = 4; c <= 9; c++) { s[c] += $c; q[c] += $c * $c }
                    if ($10 != "") { e += $10; ne++ } }
        function ci(c,   m, v) {
            m = s[c] / n; v = n > 1 ? (q[c] - n * m * m) / (n - 1) : 0; if (v < 0) v = 0
            return sprintf("%.2f [%.2f, %.2f]", m, m - t[n - 1] * sqrt(v / n), m + t[n - 1] * sqrt(v / n))
        }
        END { energy = ne ? sprintf("%.1f kJ (RAPL)", e / ne / 1000) : "n/a (no readable counter)"
              printf "| %s | %s | %s | %s | %.3f | %.3f | %.0f | %s |\n",
                     label, ci(4), ci(5), ci(6), s[7] / n, s[8] / n, s[9] / n, energy }' "$rows"
done < <(methods)
