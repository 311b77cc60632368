"""Notifications: Vietnamese templates, the durable outbox, and the channels' transports (`channels/`).

Add a channel with one transport module in `channels/` (a `from_settings(settings, engine)` building an
object with `deliver`) and one `register(...)` line in `thidua/channels.py`.
"""
