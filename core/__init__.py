"""The bottom layer: request metadata, rate limits, log scrubbing, error reports, middleware.

Every app may import `core`; `core` imports no app of ours (see docs/architecture.md).
"""
