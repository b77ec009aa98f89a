"""Limits on repeated attempts: counters on the rate limiter's storage (throttle), refusals on record."""
