"""`python -m speechlint` runs the same command as the `speechlint` script."""

from speechlint.cli import entry

if __name__ == "__main__":
    entry()
