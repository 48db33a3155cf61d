"""The `marketqa` command: a thin layer over `Assistant` (see CONTRACT.md for the fixed interface).

Exit codes: 0 success; 2 bad usage or bad input (one line on stderr); 1 any other failure (one line).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from .cli_manage import MANAGEMENT_COMMANDS, add_management_parsers, collection_option, library_of
from .history import log_answer
from .models import MarketQAError

if TYPE_CHECKING:
    from .question_file import QuestionLine


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, exit 2
        print(f"marketqa: error: {message} ({_usage_hint(message)})", file=sys.stderr)
        raise SystemExit(2)


def _usage_hint(message: str) -> str:
    """A question that starts with a dash ("----", "-$5 billion?") reads as an unknown option; say how to ask it."""
    prefix = "unrecognized arguments: "
    if message.startswith(prefix) and any(not _OPTION.match(word) for word in message[len(prefix):].split(" ")):
        return 'a question that starts with "-" goes last, after "--": marketqa ask --json -- "-5% a year?"'
    return "see `marketqa --help`"


_OPTION = re.compile(r"--?[A-Za-z]")  # "--jsn" is a mistyped option; "----" and "-$5" are text


ECHOED_QUESTION_CHARS = 2000  # an error object repeats at most this much of a question too long to answer
ASK_EPILOG = """\
A question that starts with "-" would read as an option: put it last, after "--":
  marketqa ask --json -- "-5% a year: how long to halve?"

With --questions, each line is answered on its own: a bad line (not UTF-8, not strict JSON, no "question"
string, a blank or too-long question, an id that is not a string or a small integer, a repeated id) gives an
answer object with an "error" field instead, in its place and with its id ("line N" when it has no usable
one); every other line is still answered, and each bad line is also named on stderr. Blank lines are skipped.
Exit status: 0 when at least one question was answered, 2 when no line could be, 1 when answering failed.
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marketqa")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="marketqa", description="Cited answers and checked arithmetic over market-research reports.")
    parser.add_argument("--version", action="version", version=f"marketqa {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def corpus_options(sub: argparse.ArgumentParser, index: bool = True, library: bool = True) -> None:
        sub.add_argument("--corpus", type=Path, help="folder of reports (default: the shipped corpus" +
                         (", plus your library's reports)" if library else ")"))
        if index:
            sub.add_argument("--index", type=Path, help="index folder (default: index/, or a cache folder for --corpus)")
        if library:
            collection_option(sub)

    ingest = commands.add_parser("ingest", help="build or update the index")
    corpus_options(ingest)

    ask = commands.add_parser("ask", help="answer one question, or every question of a file",
                              formatter_class=argparse.RawDescriptionHelpFormatter, epilog=ASK_EPILOG)
    ask.add_argument("question", nargs="?", help='the question, or "-" to read it from standard input (one '
                     'starting with "-" goes last, after "--")')
    ask.add_argument("--questions", type=Path, help="JSONL question file (one answer object per line, always JSON)")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON (= --format json)")
    ask.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                     help="text (default), json (the answer object) or markdown (answer, calculation and cited "
                          "quotes as a document)")
    corpus_options(ask)
    _llm_options(ask)

    evaluate = commands.add_parser("eval", help="score a question file")
    evaluate.add_argument("--questions", type=Path, required=True,
                          help="JSONL question file with expected answers (see CONTRACT.md, question files)")
    evaluate.add_argument("--json", type=Path, dest="json_out", help="write the full report here")
    evaluate.add_argument("--markdown", type=Path, help="write a Markdown summary (and a PNG chart beside it)")
    evaluate.add_argument("--min-accuracy", type=float, help="exit 1 when accuracy is below this (0..1)")
    evaluate.add_argument("--baseline", action="store_true", help="also score plain llama-index retrieval")
    corpus_options(evaluate, library=False)  # scores are of the shipped corpus, never of what a user added

    facts = commands.add_parser("facts", help="list the market figures found in the reports")
    facts.add_argument("--format", choices=["table", "csv", "json"], default="table",
                       help="how to print the figures (default: an aligned table)")
    corpus_options(facts)

    audit = commands.add_parser("audit", help="check stated CAGRs against the reports' own figures")
    audit.add_argument("--json", action="store_true", help='print {"reports": verdicts, "flags": flags} as JSON')
    corpus_options(audit)

    doctor = commands.add_parser("doctor", help="check the index: manifest, checksums, counts, offsets, staleness")
    corpus_options(doctor, library=False)
    add_management_parsers(commands)
    return parser


def _llm_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--llm-backend", choices=["openai", "llamacpp"], help="phrase answers with an LLM (guarded)")
    sub.add_argument("--llm-base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    sub.add_argument("--llm-model", help="model name at the endpoint")
    sub.add_argument("--llm-model-path", help="GGUF file for the in-process llama.cpp backend")


def _assistant(args: argparse.Namespace, with_llm: bool = False):
    from .core import Assistant

    phraser = None
    if with_llm:
        from .llm import build_phraser, load_config

        overrides = {
            key: value
            for key, value in {
                "backend": args.llm_backend,
                "base_url": args.llm_base_url,
                "model": args.llm_model,
                "model_path": args.llm_model_path,
            }.items()
            if value
        }
        config = load_config(overrides)
        phraser = build_phraser(config) if config else None
    index = getattr(args, "index", None)
    if index is not None and index.exists() and not index.is_dir():
        raise MarketQAError(f"--index {index} is a file; it must be a folder (new or holding an index)")
    return Assistant(args.corpus, index, phraser=phraser, library=library_of(args))


def _print_answer(answer: dict) -> None:
    print(answer["answer"])
    if answer.get("rewritten_question"):
        print(f"\n(understood as: {answer['rewritten_question']})")
    calculation = answer.get("calculation")
    if calculation and calculation["formula"] not in answer["answer"]:
        # An answer phrased by an LLM may leave the formula out; the extractive one already states it.
        from .quantities import format_number

        unit = answer.get("unit") or ""
        result = format_number(calculation["result"], 2)
        print(f"\nFormula: {calculation['formula']} = {result}{unit if unit == '%' else (' ' + unit).rstrip()}")
    sources = answer.get("citations") or answer.get("closest") or []
    if sources:
        print("\nSources:" if answer["citations"] else "\nClosest material (not an answer):")
    for c in sources:
        print(f"  [{c['n']}] {c['title']} ({c['passage']}, chars {c['start']}-{c['end']}, score {c['score']})")
        print(f"      \"{c['quote']}\"")


def cmd_ingest(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    result = assistant.ingest()
    print(f"Indexed {assistant.corpus_dir} into {assistant.index_dir}")
    print(result.summary())
    for doc in result.reports_changed:
        print(f"  changed: {doc}")
    for doc in result.reports_new:
        print(f"  new: {doc}")
    for doc in result.reports_removed:
        print(f"  removed: {doc}")
    for warning in result.skipped:  # also on stderr as they happen; here with the rest of the summary
        print(f"  {warning}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    if (args.question is None) == (args.questions is None):
        raise MarketQAError("give either a QUESTION or --questions FILE")
    if args.questions:
        return _ask_file(args)
    from .core import validate_question

    if args.question == "-":
        try:
            args.question = sys.stdin.buffer.read().decode("utf-8").strip()
        except UnicodeDecodeError as error:
            raise MarketQAError(f"the question on standard input is not UTF-8 ({error.reason})") from None

    validate_question(args.question)  # fail fast, before any model loads
    asked = _assistant(args, with_llm=True).ask(args.question)
    log_answer(asked, "cli")
    answer = asked.to_dict()
    if args.json or args.format == "json":
        print(_strict_json(answer), flush=True)
    elif args.format == "markdown":
        from .export import answer_to_markdown

        print(answer_to_markdown(answer), end="")
    else:
        _print_answer(answer)
    return 0


def _ask_file(args: argparse.Namespace) -> int:
    """Every line of a question file, answered in order; a bad line gets an error object in its place."""
    from .question_file import read_question_file

    lines = read_question_file(args.questions)  # answered as JSON lines, with or without --json
    nothing_answered = MarketQAError(f"no line of {args.questions} could be answered (see their \"error\")")
    if all(item.error is not None for item in lines):  # nothing to answer: no model, no index needed
        for item in lines:
            _print_unanswered(args.questions, item, item.error)
        raise nothing_answered
    assistant = _assistant(args, with_llm=True)
    assistant.load()  # a missing or corrupt index is one error for the file, not one per line
    answered = failed = 0
    for item in lines:
        if item.error is not None:
            _print_unanswered(args.questions, item, item.error)
            continue
        try:
            asked = assistant.ask(item.question, id=item.id)
            log_answer(asked, "cli")
            text = _strict_json(asked.to_dict())
        except MarketQAError as exc:
            _print_unanswered(args.questions, item, _one_line(exc))
            continue
        except Exception as exc:  # one question's failure must not lose the answers after it
            failed += 1
            _print_unanswered(args.questions, item, f"failed: {type(exc).__name__}: {_one_line(exc)}")
            continue
        answered += 1
        print(text, flush=True)
    if failed:
        print(f"marketqa: failed: {failed} of {len(lines)} questions could not be answered (see their \"error\")",
              file=sys.stderr)
        return 1
    if not answered:
        raise nothing_answered
    return 0


def _print_unanswered(path: Path, item: "QuestionLine", reason: str) -> None:
    """A line not answered: named on stderr, and an answer object with its reason in its place on stdout."""
    from .models import Answer

    print(f"marketqa: warning: {path}:{item.line}: {reason}", file=sys.stderr)
    # The question is echoed as far as it is text: a lone surrogate cannot be printed as UTF-8.
    shown = item.question.encode("utf-8", "replace").decode("utf-8")
    if len(shown) > ECHOED_QUESTION_CHARS:
        shown = shown[:ECHOED_QUESTION_CHARS] + "…"
    answer = Answer(shown, f"Not answered: {reason}", "refusal", id=item.label, error=reason)
    print(_strict_json(answer.to_dict()), flush=True)


def _strict_json(answer: dict) -> str:
    """One answer as strict JSON on one line: a NaN or infinity is never printed as if it were JSON, and the
    characters that str.splitlines() breaks lines at (U+0085, U+2028, U+2029; JSON allows them raw) are escaped."""
    try:
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise ValueError("the answer holds a number that is not finite") from None
    return text.translate(_LINE_BREAKS_ESCAPED)


_LINE_BREAKS_ESCAPED = {ord(ch): f"\\u{ord(ch):04x}" for ch in "\x85\u2028\u2029"}


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import baseline_retriever, format_table, load_questions, run_eval, write_markdown

    questions = load_questions(args.questions)
    if args.min_accuracy is not None and not 0 <= args.min_accuracy <= 1:
        raise MarketQAError("--min-accuracy must be between 0 and 1")
    if args.markdown:
        try:
            import matplotlib  # noqa: F401 - the summary's chart; checked before any question is asked
        except ModuleNotFoundError:
            raise MarketQAError("--markdown draws a chart with matplotlib, which is not installed: "
                                "pip install 'marketqa[ui]'") from None
    assistant = _assistant(args)
    index = assistant.load()
    baseline = baseline_retriever(list(index.reports.values()), assistant.embedder) if args.baseline else None
    report = run_eval(
        lambda q: assistant.ask(q).to_dict(),
        lambda q, k: [c.text for c in assistant.retrieve(q, k)],
        questions,
        baseline_retrieve=baseline,
    )
    print(format_table(report))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Full report: {args.json_out}")
    if args.markdown:
        write_markdown(report, args.markdown, args.markdown.with_suffix(".png"))
        print(f"Summary: {args.markdown}")
    accuracy = report["summary"]["accuracy"]
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"marketqa: accuracy {accuracy:.3f} is below --min-accuracy {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from .facts import fact_value_text, facts_to_rows

    facts = _assistant(args).facts()
    rows = facts_to_rows(facts)
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if args.format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["market"])
        writer.writeheader()
        writer.writerows(rows)
        print(out.getvalue(), end="")
        return 0
    print(f"{'market':34} {'metric':5} {'value':>22} {'year':11} passage")
    for fact, row in zip(facts, rows, strict=True):
        period = row.get("period") or row.get("year") or ""
        # A range shows both ends ("USD 1.2–1.5 billion"), never one.
        print(f"{row['market'][:34]:34} {row['metric']:5} {fact_value_text(fact):>22} {str(period):11} "
              f"{row['passage']}")
    print(f"{len(rows)} facts")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from .audit import describe_verdict

    assistant = _assistant(args)
    checks, flags = assistant.consistency(), assistant.audit_flags()
    if args.json:
        print(json.dumps({"reports": [check.to_dict() for check in checks], "flags": [flag.to_dict() for flag in flags]},
                         indent=2, ensure_ascii=False))
        return 0
    if checks:
        print("Stated CAGRs against each report's own figures:")
    for check in checks:
        print(f"- [{check.verdict}] {check.market}: {describe_verdict(check)}")
    if checks:
        print()
    if not flags:
        print("No inconsistencies found.")
    for flag in flags:
        print(f"- [{flag.kind}] {flag.market}: {flag.message}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from .core import default_corpus, resolve_index_dir
    from .doctor import diagnose, verdict

    checks = diagnose(resolve_index_dir(args.corpus, args.index), args.corpus or default_corpus())
    for check in checks:
        print(check.line())
    code, closing = verdict(checks)
    print(closing if code == 0 else f"marketqa: {closing}", file=sys.stdout if code == 0 else sys.stderr)
    return code


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "eval": cmd_eval, "facts": cmd_facts, "audit": cmd_audit,
            "doctor": cmd_doctor, **MANAGEMENT_COMMANDS}


def main(argv: Optional[Sequence[str]] = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = _parser()
    if not (sys.argv[1:] if argv is None else argv):  # bare `marketqa`: the usage, not one error line
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except MarketQAError as exc:
        print(f"marketqa: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("marketqa: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(f"marketqa: failed: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        if os.environ.get("MARKETQA_DEBUG"):
            raise
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500]


if __name__ == "__main__":
    sys.exit(main())
