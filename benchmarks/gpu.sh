#!/usr/bin/env bash
# Every GPU check in one go, in under 10 minutes on one H100/H200, into one results folder:
#
#   benchmarks/gpu.sh [RESULTS_DIR]      # default: benchmarks/results/gpu-<date>
#
# 1. env.txt          the card, driver, torch and faiss builds (faiss GPUs seen)
# 2. pytest.txt/.xml  `pytest -m gpu`: kernel and layer on CUDA against the slow references (fp32 tight,
#                     bf16 loose), the row-wise optimizer on CUDA against the CPU one, the faiss GPU index
#                     against the torch search, k-means on the GPU, and the language model trained in bf16
# 3. layer_fp32.*     the layer table on the card (peer, naive, dense and the anchors when installed),
#                     N = 65,536 and 1,048,576, every mode, with the expert rows' bandwidth against the
#                     card's peak HBM bandwidth
# 4. layer_bf16.*     the same under bf16 autocast, N = 1,048,576, forward and training step
# 5. layer_16m.*      peer-store's layer alone at 4096^2 = 16,777,216 experts: does it train on one card
#
# Every stage has its own time limit, so a hung stage cannot take the rest with it; the exit status is
# that of the first stage that failed. Needs the repository's environment with CUDA torch and the `gpu`
# extra (faiss-gpu); `bench` for the anchors. PYTHON picks the interpreter (default: .venv/bin/python if
# present, else python). TOKENS sets tokens per batch of the layer tables (default 16384: at 1024 tokens a
# GPU step is mostly kernel launches).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/gpu-$(date +%Y%m%d-%H%M%S)}
PYTHON=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python)}
TOKENS=${TOKENS:-16384}
status=0

stage() {  # stage NAME SECONDS COMMAND...: run with a time limit, log to $OUT/NAME.txt, remember a failure
    local name=$1 limit=$2
    shift 2
    echo "== $name (at most ${limit}s): $*"
    local start=$SECONDS
    timeout "$limit" "$@" 2>&1 | tee "$OUT/$name.txt"
    local rc=${PIPESTATUS[0]}
    echo "== $name: exit $rc after $((SECONDS - start))s" | tee -a "$OUT/summary.txt"
    if [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then status=$rc; fi
}

if ! "$PYTHON" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    echo "no CUDA device visible to $PYTHON: nothing to check here" >&2
    exit 1
fi
mkdir -p "$OUT"

stage env 60 "$PYTHON" -c "
import torch
print('device:', torch.cuda.get_device_name(), '| torch', torch.__version__, '| CUDA', torch.version.cuda)
try:
    import faiss
    print('faiss', faiss.__version__, '| GPUs seen by faiss:', faiss.get_num_gpus() if hasattr(faiss, 'get_num_gpus') else 0)
except ImportError:
    print('faiss: not installed')
"
nvidia-smi >> "$OUT/env.txt" 2>&1

stage pytest 150 "$PYTHON" -m pytest -m gpu tests -q -rs -p no:cacheprovider --junitxml "$OUT/pytest.xml"

layer=(benchmarks/peer_layer.py --device cuda --tokens "$TOKENS" --repeat 1 --min-seconds 1 --warmup 3)
stage layer_fp32 210 "$PYTHON" "${layer[@]}" --dtype fp32 --n-keys 256 1024 --json "$OUT/layer_fp32.json"
stage layer_bf16 120 "$PYTHON" "${layer[@]}" --dtype bf16 --n-keys 1024 --modes forward step \
    --kinds peer naive peer-pytorch pkm --json "$OUT/layer_bf16.json"
stage layer_16m 90 "$PYTHON" "${layer[@]}" --dtype fp32 --n-keys 4096 --modes forward step --kinds peer \
    --json "$OUT/layer_16m.json"

echo "results in $OUT (exit $status)"
exit "$status"
