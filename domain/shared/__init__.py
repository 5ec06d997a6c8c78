"""Shared kernel: errors, events, ids and the clock every context uses."""
