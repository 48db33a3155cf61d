"""Starts the marketqa web UI: `python app.py` serves http://127.0.0.1:7860 (see `python app.py --help`).

A thin launcher: it reads the options and hands them to `assistant.ui.serve`. The page is served before the
model loads; with no index yet, the corpus is indexed first in the background, with a progress bar here.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402 - the clock above starts first, to measure the time to a served page
import ipaddress  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Optional, Sequence  # noqa: E402

# No analytics, no hub, no telemetry: set before anything imports gradio or huggingface_hub.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_PORT = 7860


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like the marketqa command
        print(f"app.py: error: {message} (see `python app.py --help`)", file=sys.stderr)
        raise SystemExit(2)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = _Parser(description="The marketqa web UI (Gradio).")
    parser.add_argument("--port", type=int, help=f"port (default: $GRADIO_SERVER_PORT or {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (default 127.0.0.1; any other needs --share-on-network)")
    parser.add_argument("--share-on-network", action="store_true",
                        help="allow --host to be a non-loopback address (other machines can then reach the UI)")
    parser.add_argument("--auth", help="require a login, as USER:PASSWORD (or set MARKETQA_AUTH)")
    parser.add_argument("--corpus", type=Path, help="folder of reports (default: the project's corpus/)")
    parser.add_argument("--index", type=Path, help="index folder (default: index/, or a cache folder for --corpus)")
    parser.add_argument("--concurrency", type=int,
                        help="questions answered in parallel (default 4; uploads are always one at a time)")
    parser.add_argument("--llm-backend", choices=["openai", "llamacpp"], help="phrase answers with an LLM (guarded)")
    parser.add_argument("--llm-base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--llm-model", help="model name at the endpoint")
    parser.add_argument("--llm-model-path", help="GGUF file for the in-process llama.cpp backend")
    args = parser.parse_args(argv)

    if args.port is None:
        raw = os.environ.get("GRADIO_SERVER_PORT", "").strip()
        try:
            args.port = int(raw) if raw else DEFAULT_PORT
        except ValueError:
            parser.error(f"GRADIO_SERVER_PORT must be a port number, got {raw!r}")
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, got {args.port}")
    if args.concurrency is not None and args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if not _is_loopback(args.host) and not args.share_on_network:
        parser.error(f"--host {args.host} would expose the UI to other machines; add --share-on-network to allow it")
    raw_auth = args.auth if args.auth is not None else os.environ.get("MARKETQA_AUTH")
    args.auth_pair = None
    if raw_auth:
        user, _, password = raw_auth.partition(":")
        if not user or not password:
            parser.error("--auth / MARKETQA_AUTH must be USER:PASSWORD")
        args.auth_pair = (user, password)
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus} is not a folder")
    return args


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    given = {"backend": args.llm_backend, "base_url": args.llm_base_url, "model": args.llm_model,
             "model_path": args.llm_model_path}
    llm = {key: value for key, value in given.items() if value}
    from assistant.models import MarketQAError

    try:
        from assistant.llm import load_config

        load_config(llm)  # a bad LLM setting fails now, with a message, not later in the background
        from assistant.ui import ServeOptions, serve

        parallel = {"concurrency": args.concurrency} if args.concurrency else {}
        options = ServeOptions(corpus_dir=args.corpus, index_dir=args.index, host=args.host, port=args.port,
                               auth=args.auth_pair, llm_overrides=llm, **parallel)
        serve(options, started=STARTED)
    except MarketQAError as exc:
        print(f"app.py: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"app.py: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
