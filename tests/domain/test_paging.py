from service.domain.paging import Pages


def test_the_pages_of_a_list():
    pages = Pages.of(total=31, size=10, asked=2)
    assert (pages.number, pages.last, pages.offset) == (2, 4, 10)
    assert (pages.previous, pages.next) == (1, 3)


def test_the_first_and_the_last_page_have_one_neighbour():
    assert (Pages.of(31, 10, 1).previous, Pages.of(31, 10, 1).next) == (None, 2)
    assert (Pages.of(31, 10, 4).previous, Pages.of(31, 10, 4).next) == (3, None)
    assert Pages.of(30, 10, 3).next is None


def test_a_page_past_the_end_is_the_last_and_an_empty_list_has_one_page():
    assert Pages.of(31, 10, 9).number == 4
    assert Pages.of(31, 10, 0).number == 1
    empty = Pages.of(0, 10, 5)
    assert (empty.number, empty.last, empty.offset, empty.previous, empty.next) == (
        1,
        1,
        0,
        None,
        None,
    )
