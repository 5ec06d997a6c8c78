"""Benchmarks of issue 8 (`make bench`): data generator, load driver, ceiling app, runner, profiler."""
