import numpy as np

from wipomatch.matching.engine.bitsets import BitsetColumn


def test_overlap_any_and_counts():
    column = BitsetColumn(capacity=3)
    column.set_row(0, ["a", "b"])
    column.set_row(1, ["b"])
    column.set_row(2, [])
    query = column.mask(["b", "c"])
    assert column.overlap_count(query, 3).tolist() == [1, 1, 0]
    assert column.any_of(column.mask(["a"]), 3).tolist() == [True, False, False]
    assert column.counts(3).tolist() == [2, 1, 0]
    assert column.is_empty(3).tolist() == [False, False, True]
    assert column.row_labels(0) == ["a", "b"]
    assert column.any_of(query, np.array([2, 0])).tolist() == [False, True]


def test_more_than_64_labels_widen_the_rows():
    column = BitsetColumn(capacity=2)
    labels = [f"l{i}" for i in range(130)]
    column.set_row(0, labels[:1])
    column.set_row(1, labels)
    assert column.words == 3
    assert column.overlap_count(column.mask(labels[100:]), 2).tolist() == [0, 30]
    assert column.row_labels(0) == ["l0"]
