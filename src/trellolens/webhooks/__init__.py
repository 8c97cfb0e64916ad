"""Trello webhooks: the signature check, the receiver (``trellolens webhooks serve``) and the
register/list/delete calls. Starlette and uvicorn (what Streamlit itself runs on) are imported by
the receiver only."""
