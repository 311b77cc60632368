"""Notifications: Vietnamese templates, the durable outbox, and the channels that deliver it (email, Zalo).

Add a channel by implementing `notifications.base.Channel` and registering it in `factory.build_channels`.
"""
