"""Default workflows and workflows chosen by name or id, with one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from trellolens.board import Board, TrelloList, load_board
from trellolens.errors import TrellolensError, WorkflowError
from trellolens.metrics import Workflow, default_workflow, workflow_from_names


def board_with(*names: str, closed: tuple[str, ...] = ()) -> Board:
    lists = tuple(
        TrelloList(f"{i:024x}", name, float(i), closed=name in closed)
        for i, name in enumerate(names, start=1)
    )
    return Board(id="b" * 24, name="Test board", lists=lists)


def test_defaults_on_real_exports(scrum_export: Path, hermes_export: Path) -> None:
    scrum = default_workflow(load_board(scrum_export))
    assert scrum.stage_names == (
        "Meetingroom", "Parents", "Product Backlog", "Sprint Backlog", "Doing", "Review", "Done"
    )  # fmt: skip
    assert (scrum.start_list.name, scrum.done_list.name) == ("Doing", "Done")
    hermes = default_workflow(load_board(hermes_export))
    # Open lists by position, ending at the last done-looking list; archived lists left out.
    assert hermes.stage_names == ("Future Features", "To Do", "Bugs", "Doing", "Done")
    assert hermes.start_list.name == "Doing"


def test_defaults_without_telling_names() -> None:
    workflow = default_workflow(board_with("Ideas", "Next", "Now", "Later"))
    assert workflow.done_list.name == "Later"  # nothing looks done: the last list
    assert workflow.start_list.name == "Next"  # nothing looks started: the second list


@pytest.mark.parametrize(
    ("names", "start", "done"),
    [
        (("Backlog", "In Progress", "Completed"), "In Progress", "Completed"),
        (("Backlog", "Development", "QA", "Shipped"), "Development", "Shipped"),
        (("Todo", "WIP", "Released", "Archive"), "WIP", "Released"),
        (("A", "Started", "Finished", "Done"), "Started", "Done"),
    ],
)
def test_name_heuristics(names: tuple[str, ...], start: str, done: str) -> None:
    workflow = default_workflow(board_with(*names))
    assert (workflow.start_list.name, workflow.done_list.name) == (start, done)


def test_by_name_id_and_case() -> None:
    board = board_with("To Do", "Doing", "Review", "Done")
    doing_id = board.lists[1].id
    workflow = workflow_from_names(board, ["to do", doing_id, "Done"], start_list="DOING")
    assert workflow.stage_names == ("To Do", "Doing", "Done")
    assert workflow.start_list.id == doing_id
    assert workflow_from_names(board).stage_names == ("To Do", "Doing", "Review", "Done")
    assert workflow_from_names(board, start_list="Review").start_list.name == "Review"


@pytest.mark.parametrize(
    ("stages", "start", "expected"),
    [
        (
            ["To Do", "Nope", "Done"],
            None,
            "no list 'Nope' on board 'Test board'; its lists are: 'To Do'",
        ),
        (["To Do", "Doing", "Done"], "Review", "start list 'Review' is not in the workflow"),
        (["To Do", "Doing", "Done"], "Done", "start list 'Done' is the done list"),
        (["Done"], None, "a workflow needs at least 2 lists, got 1"),
        (["Doing", "Doing", "Done"], None, "a list appears twice"),
    ],
)
def test_errors_are_one_line(stages: list[str], start: str | None, expected: str) -> None:
    board = board_with("To Do", "Doing", "Review", "Done")
    with pytest.raises(WorkflowError) as caught:
        workflow_from_names(board, stages, start)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "--" not in message  # the dashboard shows it too: no command-line flags
    assert isinstance(caught.value, TrellolensError)
    assert isinstance(caught.value, ValueError)


def test_too_few_lists_names_the_board_lists_in_words_for_both_cli_and_app() -> None:
    board = board_with("To Do", "Doing", "Done")
    with pytest.raises(WorkflowError) as caught:
        workflow_from_names(board, ["Done"], "Done")
    assert str(caught.value) == (
        "a workflow needs at least 2 lists, got 1; choose at least 2 lists of this board, "
        "in order, the done list last: 'To Do', 'Doing', 'Done'"
    )
    with pytest.raises(WorkflowError) as caught:
        default_workflow(board_with("Only"))
    assert str(caught.value) == (
        "a workflow needs at least 2 lists, got 1; this board has 1 open list: 'Only', "
        "so add lists to it in Trello"
    )


def test_repeated_names_get_unique_labels() -> None:
    board = board_with("Done", "Doing", "Done")
    workflow = Workflow(stages=board.lists, start_list=board.lists[1], done_list=board.lists[2])
    assert workflow.stage_names == ("Done", "Doing", "Done (2)")
