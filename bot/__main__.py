"""``python -m bot`` is the same as the ``loa`` command."""

from bot.cli import main

if __name__ == "__main__":  # not when a worker process (spawn) imports this module
    main()
