"""prose.unsourced_numbers: the decimals of a lesson's prose that its run did not print."""

import nbformat

import prose


def _nb(markdown, code="", output=""):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code)
    if output:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), cell]
    return nb


def test_printed_numbers_pass():
    nb = _nb("W1 is 0.048 and the accuracy 93.0%; 2 log 2 ≈ 1.386.", output="W1 0.048, accuracy 93.0%, 2 log 2 = 1.3863\n")
    assert prose.unsourced_numbers(nb) == []


def test_typed_in_numbers_are_found():
    nb = _nb("The run gave 0.048, then 0.051.", output="W1 0.0481\n")
    # 0.048 is what "0.0481" rounds to when quoted; 0.051 was never printed.
    assert prose.unsourced_numbers(nb) == ["cell 0: 0.051"]


def test_code_settings_and_trailing_zeros():
    nb = _nb("A learning rate of 0.0002 with β₁ = 0.50, after 0.8 s.", code="lr := 0.0002\nbeta := 0.5", output="")
    assert prose.unsourced_numbers(nb) == ["cell 0: 0.8"]


def test_whole_numbers_versions_and_digits_inside_numbers_are_ignored():
    nb = _nb("3,000 iterations on 28×28 images with GoMLX v0.28.16; 10.5 is not 110.5.", output="110.5\n")
    assert prose.unsourced_numbers(nb) == ["cell 0: 10.5"]
