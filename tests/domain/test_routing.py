from service.domain.routing import MAX_SUGGESTIONS, HomeCount, rank_suggestions


def test_same_postcode_ranks_before_same_area():
    counts = [
        HomeCount(corporation_id=1, homes_in_postcode=0, homes_in_area=500),
        HomeCount(corporation_id=2, homes_in_postcode=3, homes_in_area=10),
        HomeCount(corporation_id=3, homes_in_postcode=3, homes_in_area=40),
    ]
    assert [c.corporation_id for c in rank_suggestions(counts)] == [3, 2, 1]


def test_ties_are_stable_and_empty_counts_dropped():
    counts = [
        HomeCount(7, 1, 1),
        HomeCount(4, 1, 1),
        HomeCount(9, 0, 0),
    ]
    assert [c.corporation_id for c in rank_suggestions(counts)] == [4, 7]


def test_at_most_a_handful_of_suggestions():
    counts = [HomeCount(i, 0, i) for i in range(1, 20)]
    ranked = rank_suggestions(counts)
    assert len(ranked) == MAX_SUGGESTIONS
    assert ranked[0].corporation_id == 19
