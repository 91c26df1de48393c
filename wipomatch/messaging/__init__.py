"""Conversations between organisations, in-app notifications, notification preferences and digests."""
