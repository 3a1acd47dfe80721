"""Reach the groups and places the bot is not in: share packs and links for group heads,
posters with QR codes, and the figures the report counts."""
