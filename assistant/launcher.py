"""The web UI's launcher: `python app.py` in a clone, `marketqa-ui` once installed (see `--help`).

It reads the options and hands them to `assistant.ui.serve`. The page is served before the model loads; with no
index yet, the corpus is indexed first in the background, with a progress bar on the terminal.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

# No analytics, no hub, no telemetry: set before anything imports gradio or huggingface_hub.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_PORT = 7860


def _prog() -> str:
    """How the user started it: `python app.py` from a clone, or the installed `marketqa-ui`."""
    name = os.path.basename(sys.argv[0] or "")
    return name if name in ("app.py", "marketqa-ui") else "marketqa-ui"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like the marketqa command
        print(f"{self.prog}: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = _Parser(prog=_prog(), description="The marketqa web UI (Gradio).")
    parser.add_argument("--port", type=int, help=f"port (default: $GRADIO_SERVER_PORT or {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (default 127.0.0.1; any other needs --share-on-network)")
    parser.add_argument("--share-on-network", action="store_true",
                        help="allow --host to be a non-loopback address (other machines can then reach the UI)")
    parser.add_argument("--auth", help="require a login, as USER:PASSWORD (or set MARKETQA_AUTH)")
    parser.add_argument("--corpus", type=Path, help="folder of reports; uploads are stored in it (default: the "
                        "shipped corpus, read-only, plus your library, where uploads are stored)")
    parser.add_argument("--collection", default="default", metavar="NAME",
                        help="the library collection answered from beside the shipped corpus (default: default)")
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


def main(argv: Optional[Sequence[str]] = None, started: Optional[float] = None) -> int:
    started = time.perf_counter() if started is None else started
    args = parse_args(argv)
    given = {"backend": args.llm_backend, "base_url": args.llm_base_url, "model": args.llm_model,
             "model_path": args.llm_model_path}
    llm = {key: value for key, value in given.items() if value}
    from .models import MarketQAError

    try:
        from .llm import load_config

        load_config(llm)  # a bad LLM setting fails now, with a message, not later in the background
        try:
            from .ui import ServeOptions, serve
        except ModuleNotFoundError as missing:
            raise MarketQAError(f"the web UI needs {missing.name}, which is not installed: "
                                "pip install 'marketqa[ui]'") from None

        parallel = {"concurrency": args.concurrency} if args.concurrency else {}
        options = ServeOptions(corpus_dir=args.corpus, index_dir=args.index, collection=args.collection,
                               host=args.host, port=args.port,
                               auth=args.auth_pair, llm_overrides=llm, **parallel)
        serve(options, started=started)
    except MarketQAError as exc:
        print(f"{_prog()}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"{_prog()}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0

