"""marketqa: cited answers and deterministic growth arithmetic over market-research reports."""

from .models import Answer, Citation, MarketQAError

__all__ = ["Answer", "Assistant", "Citation", "MarketQAError"]


def __getattr__(name: str):
    # Lazy, so `import assistant` stays cheap for the UI and the CLI's argument parsing.
    if name == "Assistant":
        from .core import Assistant

        return Assistant
    raise AttributeError(name)
