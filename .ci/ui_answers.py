"""Asks a running marketqa UI one question through its Gradio API and checks the answer (used by .ci/install_check).

usage: python .ci/ui_answers.py URL QUESTION EXPECTED_TEXT
"""

import sys

from gradio_client import Client


def main() -> int:
    url, question, expected = sys.argv[1:4]
    result = Client(url, verbose=False).predict(question, [], api_name="/ask")
    chat = result[1] if isinstance(result, (list, tuple)) else result
    text = str(chat)
    if expected not in text:
        print(f"ui_answers: {expected!r} not in the answer to {question!r}: {text[:500]}", file=sys.stderr)
        return 1
    print(f"ui_answers: ok: {question!r} answered with {expected!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
