"""A py-trello tutorial app as people write it: boards, lists, cards with labels, checklists.

Run by tests/examples/test_real_exports.py against the emulator serving the real exports; the
client comes from trellolens so the credentials never appear here.
"""

import streamlit as st

from trellolens import py_trello_client

client = py_trello_client()
for board in client.list_boards():
    st.header(board.name, anchor=False)
    for trello_list in board.list_lists():
        st.subheader(trello_list.name, anchor=False)
        for card in trello_list.list_cards():
            labels = ", ".join(label.name or label.color or "" for label in card.labels or [])
            done = sum(
                1 for checklist in card.checklists for item in checklist.items if item["checked"]
            )
            total = sum(len(checklist.items) for checklist in card.checklists)
            st.text(f"{card.name} | labels: {labels} | checklist: {done}/{total}")
