"""`python -m tieline`: the same command line as the `tieline` script."""

from tieline.cli.main import run

if __name__ == "__main__":
    run()
