"""The password rule: at least 10 characters, not a common password, not the login itself.

Length beats composition rules (NIST SP 800-63B §5.1.1.2: check against lists of commonly used
or compromised passwords rather than require character classes).
"""

from __future__ import annotations

from goalwise.core.errors import Problem

__all__ = ["COMMON_PASSWORDS", "MIN_LENGTH", "password_problems"]

MIN_LENGTH = 10

#: Frequently used passwords of 10 characters or more (from public breach-frequency lists),
#: compared in lower case.
COMMON_PASSWORDS = frozenset(
    """
    1234567890 0123456789 12345678910 123456789a 1234567890a 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc
    a123456789 aa12345678 abcd123456 abc1234567 abcdefghij asdfghjkl1 asdfghjkl; azertyuiop baseball123
    basketball changeme123 charlie123 computer12 football12 football123 iloveyou12 iloveyou123 letmein123
    liverpool1 mustang123 myspace123 password01 password12 password123 password1! password1234
    passw0rd12 p@ssw0rd12 p@ssword123 princess12 qazwsxedc1 qazwsxedcrfv qwer123456 qwerty1234 qwerty12345
    qwerty123456 qwertyuiop qwertyuiop1 sunshine12 superman12 trustno123 welcome123 whatever12 1111111111
    0000000000 2222222222 5555555555 6666666666 7777777777 8888888888 9999999999 1212121212 1231231231
    0987654321 9876543210 abc123abc123 administrator adminadmin admin12345 admin123456 goalwise123
    therapy123 therapist1 depression anxiety123 happiness1 feelbetter letmeinnow iloveyou1! monkey1234
    dragon1234 shadow1234 michael123 jennifer12 jordan2323 starwars12 pokemon123 minecraft1 zaq12wsxcde
    zxcvbnm123 zxcvbnmasd 1q2w3e4r5t6y7u 123qweasdzxc qweasdzxc1 passwordpassword password12345
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def password_problems(password: str, *, login: str = "") -> list[Problem]:
    """Every problem with ``password``; empty when it may be used."""
    problems: list[Problem] = []
    if len(password) < MIN_LENGTH:
        problems.append(
            Problem(
                "password-short",
                "password",
                f"The password has {len(password)} characters; use {MIN_LENGTH} or more.",
                "A short sentence of four or five words is long and easy to remember.",
            )
        )
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (len(set(password)) <= 2 and len(password) >= MIN_LENGTH):
        problems.append(
            Problem(
                "password-common",
                "password",
                "This password is among the most commonly used.",
                "Choose something personal that others would not guess.",
            )
        )
    if login and lowered == login.lower():
        problems.append(
            Problem(
                "password-login",
                "password",
                "The password is the same as the login.",
                "Choose a password that differs from your email address.",
            )
        )
    return problems
