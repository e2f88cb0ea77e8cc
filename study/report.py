"""The report of a forgetting study: ``report.md``, PNG plots and ``results.json`` in one folder."""

from __future__ import annotations

import json
from pathlib import Path

from peer_store.errors import ConfigError
from study.compare import CompareResult, MethodRun

LOSS_PLOT = "loss-curves.png"
TRADEOFF_PLOT = "forgetting-vs-plasticity.png"
USAGE_PLOT = "expert-usage.png"


def _f(value: float | None, fmt: str = ".3f") -> str:
    return "-" if value is None else format(value, fmt)


def _pm(mean: float | None, std: float | None, fmt: str = ".3f") -> str:
    """``mean ± std`` over seeds, or the mean alone (one seed)."""
    return _f(mean, fmt) if mean is None or std is None else f"{mean:{fmt}} ± {std:{fmt}}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _first_seed(result: CompareResult, method: str) -> MethodRun:
    return next(r for r in result.runs if r.method == method and r.seed == result.seeds[0])


def headline_table(result: CompareResult) -> list[str]:
    lines = [
        "| method | avg final loss | avg forgetting | BWT | mean plasticity | forgetting / dense | worst new-corpus "
        "loss vs dense | intrusion (final) | intrusion (at growth) | forgetting w/o newer segments | total params | active params/token "
        "| FLOPs/token (fwd) | wall s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in result.summary:
        lines.append(
            f"| {s.method} | {_pm(s.average_final_loss, s.average_final_loss_std)} "
            f"| {_pm(s.average_forgetting, s.average_forgetting_std)} | {_f(s.backward_transfer)} "
            f"| {_pm(s.mean_plasticity, s.mean_plasticity_std)} | {_f(s.forgetting_vs_dense, '.2f')} "
            f"| {'-' if s.worst_new_loss_vs_dense is None else f'{100 * s.worst_new_loss_vs_dense:+.1f}%'} "
            f"| {_pct(s.intrusion)} | {_pct(s.intrusion_at_growth)} | {_f(s.drift_forgetting)} | {s.total_params:,} | {s.active_params:,} "
            f"| {s.flops_per_token:,} | {s.wall_seconds:.0f} |"
        )
    return lines


def matrix_table(run: MethodRun) -> list[str]:
    lines = ["| after \\ on | " + " | ".join(run.corpora) + " |", "|---" * (len(run.corpora) + 1) + "|"]
    for name, row in zip(run.corpora, run.loss):
        lines.append(f"| {name} | " + " | ".join(_f(v) for v in row) + " |")
    lines.append("| forgetting | " + " | ".join(_f(v) for v in run.forgetting) + " |")
    return lines


def usage_table(run: MethodRun) -> list[str]:
    """Share of each corpus's retrievals per segment after the last stage, mean over PEER blocks."""
    final = run.usage[-1]
    n_seg = len(next(iter(next(iter(final.values())).values())))
    lines = ["| corpus | " + " | ".join(f"segment {k} ({run.corpora[k] if k < len(run.corpora) else k})"
                                        for k in range(n_seg)) + " |", "|---" * (n_seg + 1) + "|"]
    for corpus, per_block in final.items():
        shares = [sum(v[k] for v in per_block.values()) / len(per_block) for k in range(n_seg)]
        lines.append(f"| {corpus} | " + " | ".join(_pct(x) for x in shares) + " |")
    return lines


def routing_table(run: MethodRun) -> list[str]:
    """Share of each corpus's held-out tokens the router sends to each corpus's version, after the last stage."""
    lines = ["| corpus \\ routed to | " + " | ".join(run.corpora) + " |", "|---" * (len(run.corpora) + 1) + "|"]
    for name, shares in zip(run.corpora, run.routing):
        lines.append(f"| {name} | " + " | ".join(_pct(x) for x in shares) + " |")
    return lines


def write_plots(result: CompareResult, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")  # files only
    import matplotlib.pyplot as plt

    written = []
    methods = result.methods
    cols = min(4, len(methods))
    rows = (len(methods) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False, sharey=True)
    for ax, method in zip(axes.flat, methods):
        run = _first_seed(result, method)
        for j, corpus in enumerate(run.corpora):
            ax.plot(range(len(run.loss)), [row[j] for row in run.loss], marker="o", label=corpus)
        ax.set_title(method, fontsize=10)
        ax.set_xticks(range(len(run.corpora)), [f"after\n{c}" for c in run.corpora], fontsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(methods):]:
        ax.axis("off")
    axes[0][0].set_ylabel("held-out loss (nats/byte)")
    axes[0][0].legend(fontsize=7)
    fig.suptitle(f"held-out loss on each corpus after each stage (seed {result.seeds[0]})")
    fig.tight_layout()
    fig.savefig(out / LOSS_PLOT, dpi=90)
    plt.close(fig)
    written.append(LOSS_PLOT)

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for s in result.summary:
        if s.average_forgetting is None or s.mean_plasticity is None:
            continue
        ax.scatter([s.mean_plasticity], [s.average_forgetting], s=50)
        ax.annotate(s.method, (s.mean_plasticity, s.average_forgetting), fontsize=8, xytext=(4, 3),
                    textcoords="offset points")
    ax.set_xlabel("mean plasticity: loss right after learning a corpus (lower is better)")
    ax.set_ylabel("average forgetting (lower is better)")
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.grid(alpha=0.3)
    ax.set_title("forgetting against plasticity")
    fig.tight_layout()
    fig.savefig(out / TRADEOFF_PLOT, dpi=90)
    plt.close(fig)
    written.append(TRADEOFF_PLOT)

    peer = [m for m in methods if _first_seed(result, m).usage_at_growth is not None]  # several segments
    if peer:
        fig, axes = plt.subplots(1, len(peer), figsize=(3.6 * len(peer), 3.4), squeeze=False)
        for ax, method in zip(axes[0], peer):
            run = _first_seed(result, method)
            final = run.usage[-1]
            corpora = list(final)
            n_seg = len(next(iter(final[corpora[0]].values())))
            bottom = [0.0] * len(corpora)
            for k in range(n_seg):
                shares = [sum(v[k] for v in final[c].values()) / len(final[c]) for c in corpora]
                ax.bar(corpora, shares, bottom=bottom, label=f"segment {k}")
                bottom = [b + s for b, s in zip(bottom, shares)]
            ax.set_title(method, fontsize=10)
            ax.set_ylim(0, 1)
            ax.tick_params(axis="x", labelsize=7)
            ax.legend(fontsize=7)
        axes[0][0].set_ylabel("share of top-k retrievals")
        fig.suptitle("where each corpus's retrievals land after the last stage")
        fig.tight_layout()
        fig.savefig(out / USAGE_PLOT, dpi=90)
        plt.close(fig)
        written.append(USAGE_PLOT)
    return written


def render_markdown(result: CompareResult, command: str, plots: list[str]) -> str:
    c = result.config
    model = c["model"]
    lines = [
        "# Forgetting benchmark",
        "",
        "Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Stream (in order): {' -> '.join(result.corpora)}. {result.steps} steps per corpus of "
        f"{c['batch_size']} x {c['seq_len']} bytes ({result.steps * c['batch_size'] * c['seq_len']:,} training tokens "
        f"per corpus), seeds {result.seeds}, replay {result.replay:.0%}. Held-out loss in nats per byte over "
        f"{c['eval_batches']} batches per corpus. Model: byte-level, d={model['d_model']}, {model['n_layers']} blocks, "
        f"sparse blocks '{model['sparse_blocks']}', PEER {model['peer']['n_heads']} heads x top-{model['peer']['top_k']} "
        f"of {model['peer']['n_keys']}^2 experts per segment. Total wall time {result.wall_seconds:.0f} s.",
        "",
        "## Headline (mean over seeds)" if len(result.seeds) < 2
        else f"## Headline (mean ± sample standard deviation over {len(result.seeds)} seeds)",
        "",
        *headline_table(result),
        "",
        "- *forgetting*: last loss minus best earlier loss, mean over corpora but the last (Chaudhry et al. 2018); "
        "*BWT*: mean of (loss right after learning - final loss), negative means old corpora got worse; "
        "*plasticity*: loss on a corpus right after learning it.",
        "- *forgetting / dense*: target at most 0.20; *worst new-corpus loss vs dense*: the largest relative excess "
        "of a method's plasticity over dense fine-tuning's, target at most +5%.",
        "- *intrusion (final)*: share of an old corpus's top-k retrievals landing in segments grown after it, after the "
        "last stage (mean over PEER blocks and old corpora). *intrusion (at growth)*: share of old corpora's "
        "retrievals landing in the segment just grown with k-means keys, before any training on the new corpus.",
        "- *forgetting w/o newer segments*: average forgetting measured after the last stage with every segment "
        "(and adapter or LoRA version) grown after each old corpus switched off; with a frozen backbone it is 0 by construction, "
        "with a trainable one it is what backbone drift alone costs. Average forgetting minus it is what the newer "
        "segments cost the old corpora (intrusion).",
        "- Active parameters: every recipe keeps the same backbone and replaces only the sparse blocks' FFN by one "
        "with as many parameters per token as PEER's (query network + heads x top-k single-neuron experts): a dense "
        "MLP of `matched_dense_width`, or MoE experts whose hidden width is solved for (Soft MoE per token at the "
        "training batch size). PEER's product sub-keys are not counted as active. Adapters and LoRA versions add "
        "what every token runs (one row of a LoRA version's embedding delta).",
        "- *FLOPs/token (fwd)*: 2 per multiply-add of one forward pass per token after the last stage "
        "(`study.flops`): attention at the mean causal context, the LM head, and each sparse block by its kind; "
        "PEER's includes scoring the sub-keys of every segment, so it grows with each grown segment.",
        "- With several seeds, loss, forgetting and plasticity read mean ± sample standard deviation; "
        "*forgetting / dense* is the ratio of the means.",
        "",
    ]
    for p in plots:
        lines += [f"![{p}]({p})", ""]
    lines += ["## Loss matrices (first seed)", ""]
    descriptions = {s.method: s.description for s in result.summary}
    for method in result.methods:
        run = _first_seed(result, method)
        lines += [f"### {method}", "", descriptions[method] + ".", "", *matrix_table(run), ""]
        if run.usage is not None and len(next(iter(next(iter(run.usage[-1].values())).values()))) > 1:
            lines += ["Expert usage after the last stage (share of retrievals per segment, mean over PEER blocks):",
                      "", *usage_table(run), ""]
        if run.routing is not None:
            lines += ["Routing after the last stage (share of each corpus's held-out tokens sent to each corpus's "
                      "version and segments by the n-gram profiles):", "", *routing_table(run), ""]
    return "\n".join(lines) + "\n"


def write_report(result: CompareResult, out: Path | str, *, command: str) -> list[Path]:
    """Write ``report.md``, the PNG plots and ``results.json`` into ``out``; the paths written."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for report.md, the plots and results.json")
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"command": command, **result.to_dict()}, indent=1))  # first: the data
    plots = write_plots(result, out)
    (out / "report.md").write_text(render_markdown(result, command, plots))
    return [out / "report.md", *(out / p for p in plots), out / "results.json"]
