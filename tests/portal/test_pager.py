"""The shared pager partial: page links keep the other filters and use the list's parameter."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def render(number, **context):
    page = Paginator(list(range(50)), 10).page(number)
    return render_to_string("_pager.html", {"page": page, **context})


def test_middle_page_links_both_ways_with_default_parameter():
    html = render(2)
    assert 'href="?page=1"' in html
    assert 'href="?page=3"' in html
    assert "Halaman 2 dari 5" in html


def test_query_and_parameter_are_kept():
    html = render(1, query="rule=FAST&severity=high", param="hal")
    assert 'href="?rule=FAST&amp;severity=high&amp;hal=2"' in html
    assert "Sebelumnya" not in html


def test_custom_labels_and_single_page_renders_nothing():
    html = render(5, previous="Lebih baru", next="Lebih lama")
    assert "Lebih baru" in html and "Lebih lama" not in html
    single = render_to_string("_pager.html", {"page": Paginator([1], 10).page(1)})
    assert single.strip() == ""
