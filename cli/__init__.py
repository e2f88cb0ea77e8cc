"""The ``peer`` command line: parse arguments, call the library, print, exit. No logic lives here."""
