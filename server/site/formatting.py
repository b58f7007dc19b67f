"""Numbers and money as a reader of each page language writes them."""

from __future__ import annotations

from decimal import Decimal

EOK = Decimal(10) ** 8  # 억
MAN = Decimal(10) ** 4  # 만
BILLION = Decimal(10) ** 9


def format_number(value: Decimal | int | float | str) -> str:
    """Thousands separators, no trailing zeros: `46144000000` → `46,144,000,000`; `98.0` → `98`."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


def format_krw(value: Decimal | int | float, lang: str) -> str:
    """An amount in won: `461억4400만원` in Korean (as the article writes figures), `KRW 46.14 billion` in
    English."""
    amount = Decimal(str(value))
    if lang == "ko":
        eok, rest = divmod(int(amount), int(EOK))
        man, won = divmod(rest, int(MAN))
        parts = [f"{eok}억" if eok else "", f"{man}만" if man else "", f"{won}" if won else ""]
        return f"{''.join(parts) or 0}원"
    if amount >= BILLION:
        billions = (amount / BILLION).quantize(Decimal("0.01")).normalize()
        return f"KRW {format_number(billions)} billion"
    return f"KRW {format_number(amount)}"
