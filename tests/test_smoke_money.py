from kiosk.domain.money import allocate, format_rupiah, round_half_up


def test_money_basics() -> None:
    assert format_rupiah(12500, "id") == "Rp12.500"
    assert format_rupiah(12500, "en") == "Rp12,500"
    assert round_half_up("2.5") == 3
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
