"""The "Copy link to this view" button, at the foot of the sidebar on every page.

The button copies the address bar (which every widget keeps up to date, ``view_link.py``) with
the browser's clipboard; its script is a fixed string, nothing from the board or the URL goes
into it. Where the browser has no clipboard for the page (plain http on another computer), the
button says so and the link is also under "Link to this view", as text to copy by hand.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

BUTTON_ID = "trellolens-copy-link"
BUTTON_LABEL = "Copy link to this view"
COPIED_LABEL = "Link copied"
NO_CLIPBOARD_LABEL = "No clipboard here: copy the link below"
COPY_BUTTON = f"""
<button id="{BUTTON_ID}" type="button" title="The address of this page, with its options"
  style="width:100%;padding:0.4rem 0.75rem;border-radius:0.5rem;cursor:pointer;
  border:1px solid rgba(49,51,63,0.2);background:transparent;color:inherit;font:inherit;">
  {BUTTON_LABEL}</button>
<script>
(() => {{
  const button = document.getElementById("{BUTTON_ID}");
  if (!button || button.dataset.ready) return;
  button.dataset.ready = "1";
  const say = (text) => {{
    button.textContent = text;
    setTimeout(() => {{ button.textContent = "{BUTTON_LABEL}"; }}, 2500);
  }};
  button.addEventListener("click", () => {{
    if (!navigator.clipboard || !window.isSecureContext) {{ say("{NO_CLIPBOARD_LABEL}"); return; }}
    navigator.clipboard.writeText(window.location.href).then(
      () => say("{COPIED_LABEL}"), () => say("{NO_CLIPBOARD_LABEL}"));
  }});
}})();
</script>
"""


def current_link() -> str:
    """This page's address with the query string this run leaves in the URL."""
    pairs = [(name, value) for name in st.query_params for value in st.query_params.get_all(name)]
    query = urlencode(pairs)
    base = st.context.url or ""
    return f"{base}?{query}" if query else base or "./"


def copy_link_button() -> None:
    """The button, and the link as text under it (Streamlit's own copy icon works there too)."""
    with st.sidebar:
        st.html(COPY_BUTTON, unsafe_allow_javascript=True)
        with st.expander("Link to this view", icon=":material/link:"):
            st.code(current_link(), language=None, wrap_lines=True)
