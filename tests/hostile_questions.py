"""Hostile calculator questions: figures written so that a parser can misread them, and figures that are readable
but push the arithmetic to its edges. Each says whether it must be refused and, for a refusal, a fragment of the
figure the refusal must name; a question that may be computed says which input values a calculation must use.

Built from templates crossed with written figures, so the set covers each way of writing with each kind of
calculation (CAGR, projection, base value, years to a target, multiple, difference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Hostile:
    kind: str  # what makes it hostile: exponent, negative money, year as amount, unparsed, mixed, ...
    question: str
    refuse: bool  # the numbers cannot be read one way: no calculation may be run
    names: Optional[str] = None  # for a refusal: the figure its reason must name
    inputs: tuple[float, ...] = ()  # for a calculation: input values it must use (typed figures read rightly)


GOOD = "$5 billion"
# A figure written so that it cannot be read one way, and the fragment a refusal must name.
UNREADABLE = [
    ("exponent", "10^308 dollars", "10^308"), ("exponent", "2**1024 USD", "2**1024"),
    ("exponent", "$3 x 10^9", "10^9"), ("exponent", "10⁹ USD", "10⁹"),
    ("exponent", "10 to the power of 9 dollars", "power"), ("exponent", "USD 2^40", "2^40"),
    ("negative money", "-$5 billion", "-$5 billion"), ("negative money", "$-5 billion", "$-5 billion"),
    ("negative money", "USD -5 billion", "USD -5 billion"), ("negative money", "−5 billion dollars", "−5 billion"),
    ("negative money", "–$3bn", "–$3bn"), ("negative money", "-€7 million", "-€7 million"),
    ("unparsed", "1,000,0000 dollars", "1,000,0000"), ("unparsed", "$5.5.5 billion", "5.5.5"),
    ("unparsed", "1e400 USD", "1e400"), ("unparsed", "USD 9" + "9" * 400, "999"),
]
TWO_AMOUNTS = [
    "What CAGR takes {a} to {b} in 5 years?",
    "How many years does it take {a} to reach {b} at 8% a year?",
    "By what factor does the market grow from {a} to {b}?",
    "By how much does the market grow from {a} to {b}?",
]
ONE_AMOUNT = [
    "If {a} grows at 8% a year, what is it worth after 6 years?",
    "What starting value reaches {a} after 6 years of growth at 8% a year?",
]


def hostile_questions() -> list[Hostile]:
    cases: list[Hostile] = []
    for kind, written, names in UNREADABLE:
        for template in TWO_AMOUNTS:
            cases.append(Hostile(kind, template.format(a=written, b=GOOD), True, names))
            cases.append(Hostile(kind, template.format(a=GOOD, b=written), True, names))
        for template in ONE_AMOUNT:
            cases.append(Hostile(kind, template.format(a=written), True, names))
    for year in ("9999", "2500", "3000", "1066"):
        cases += [
            Hostile("year as amount", f"What is $5 billion in 2024 worth in {year} at 8% a year?", True, year),
            Hostile("year as amount", f"If $5 billion grows at 8% a year, what is it worth by {year}?", True, year),
            Hostile("year as amount", f"What CAGR takes $5 billion in 2024 to $9 billion in {year}?", True, year),
        ]
    cases.append(Hostile("year as amount", "What CAGR takes $5 billion to $9 billion from 2025 to 2150?", True, "2150"))
    for a, b in (("$3 billion", "9"), ("3", "$9 billion"), ("€3bn", "12"), ("$3 billion", "9 widgets")):
        for template in TWO_AMOUNTS[:3]:
            cases.append(Hostile("mixed units", template.format(a=a, b=b), True, "currency"))
    # Readable figures at the edges of the arithmetic: computed exactly, refused by the calculator, or worded
    # honestly; never misread.
    edges = [
        ("huge/tiny", "By what factor does the market grow from 99,999,999,999,999,991,611,392 dollars to 9 dollars?",
         (9.999999999999999e22, 9.0)),
        ("huge/tiny", "By what factor does the market grow from 9 dollars to 99,999,999,999,999,991,611,392 dollars?",
         (9.0, 9.999999999999999e22)),
        ("huge/tiny", "What CAGR takes 9 dollars to 99,999,999,999,999,991,611,392 dollars in 1 year?",
         (9.0, 9.999999999999999e22)),
        ("huge/tiny", "What CAGR takes $1 to 1e300 USD in 1 year?", (1.0, 1e300)),
        ("huge/tiny", "What CAGR takes 1e-9 USD to $5 billion in 10 years?", (1e-9, 5e9)),
        ("huge/tiny", "If 1e300 USD grows at 900% a year, what is it worth after 50 years?", (1e300, 900.0)),
        ("huge/tiny", "What starting value reaches $0.001 after 40 years of growth at 80% a year?", (0.001, 80.0)),
        ("huge/tiny", "By how much does the market grow from $0.000001 to $0.000002?", (1e-6, 2e-6)),
        ("scientific", "What CAGR takes 1.5e9 USD to 3e9 USD in 5 years?", (1.5e9, 3e9)),
        ("scientific", "If 2.5E+3 dollars grows at 8% a year, what is it worth after 6 years?", (2500.0, 8.0)),
        ("percent > 100", "If $5 billion grows at 150% a year, what is it worth after 6 years?", (5e9, 150.0)),
        ("percent > 100", "If $5 billion grows at -150% a year, what is it worth after 6 years?", ()),
        ("percent > 100", "If $5 billion grows at -100% a year, what is it worth after 6 years?", ()),
        ("percent > 100", "How long does it take a market to double at 250% a year?", (250.0,)),
        ("percent > 100", "How many years does it take $5 billion to reach $9 billion at 1000% a year?",
         (5e9, 9e9, 1000.0)),
        ("percent > 100", "What starting value reaches $9 billion after 3 years of growth at 400% a year?",
         (9e9, 400.0)),
        ("zero/negative period", "What CAGR takes $5 billion to $9 billion in 0 years?", ()),
        ("zero/negative period", "What CAGR takes $5 billion to $9 billion in -3 years?", ()),
        ("zero/negative period", "What CAGR takes $5 billion in 2031 to $9 billion in 2024?", ()),
        ("zero/negative period", "What CAGR takes $5 billion in 2024 to $9 billion in 2024?", ()),
        ("zero/negative period", "If $5 billion grows at 8% a year, what is it worth after 0 years?", ()),
        ("zero/negative period", "If $5 billion grows at 8% a year, what is it worth after -4 years?", ()),
        ("zero/negative period", "What CAGR takes 0 dollars to $9 billion in 5 years?", ()),
        ("zero/negative period", "How many years does it take $9 billion to reach $5 billion at 8% a year?", ()),
    ]
    cases += [Hostile(kind, question, False, None, inputs) for kind, question, inputs in edges]
    return cases
