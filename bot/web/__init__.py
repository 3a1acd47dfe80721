"""The FastAPI app: web chat, webhooks, admin."""
