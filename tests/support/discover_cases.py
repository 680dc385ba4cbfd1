#!/usr/bin/env python3
"""Writes a CTest file with one test per doctest case of a test binary.

Run after the binary is linked: `discover_cases.py BINARY OUTPUT PREFIX TIMEOUT`. doctest's
own doctest_discover_tests parses the names with CMake lists, which split a name at ';' and
break on '[': any name a test may have is written here as a CMake bracket argument.
A case filter that matches nothing fails ("test cases: 0") instead of passing."""
import subprocess
import sys


def bracket(text):
    """`text` as a CMake bracket argument: [=[…]=] with enough '=' to hold any text."""
    level = "="
    while "]" + level + "]" in text:
        level += "="
    return "[" + level + "[" + text + "]" + level + "]"


def main():
    binary, output, prefix, timeout = sys.argv[1:]
    listing = subprocess.run([binary, "--list-test-cases", "--no-version"], check=True,
                             capture_output=True, text=True).stdout
    names = [line for line in listing.splitlines()
             if line and not line.startswith("[doctest]") and not set(line) == {"="}]
    lines = []
    for name in names:
        test = bracket(prefix + name)
        # doctest's filter separates names at ',' and takes '\,' for a comma.
        case = bracket("--test-case=" + name.replace(",", "\\,"))
        lines.append(f"add_test({test} {bracket(binary)} {case})")
        lines.append(f"set_tests_properties({test} PROPERTIES TIMEOUT {timeout} "
                     f"FAIL_REGULAR_EXPRESSION {bracket('test cases: +0 [|]')})")
    with open(output, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


main()
