"""A realistic demo catalog of an Indonesian minimarket, and plausible days of sales.

Deterministic (seeded) so screenshots, tests and benchmarks see the same shop every time.
Barcodes carry Indonesia's GS1 prefix 899 and valid check digits.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.domain.catalog import Product
from kiosk.domain.gtin import check_digit
from kiosk.domain.loyalty import Member
from kiosk.services.checkout import CheckoutService
from kiosk.testing.clock import SettableClock

# category -> (names, sizes with a base price, tax rate override, age limit)
_CATEGORIES: dict[str, tuple[list[str], list[tuple[str, int]], str | None, int]] = {
    "Minuman": (
        ["Teh Botol Sosro", "Aqua", "Le Minerale", "Pocari Sweat", "Coca-Cola", "Sprite",
         "Fanta Stroberi", "Teh Pucuk Harum", "Good Day Cappuccino", "Kopi Kenangan",
         "Frestea Melati", "Buavita Jambu", "Mizone", "Nu Green Tea", "Floridina"],
        [("330ml", 5000), ("600ml", 4000), ("1,5L", 7500)], None, 0),
    "Makanan Ringan": (
        ["Chitato Sapi Panggang", "Qtela Singkong", "Taro Net", "Lays Rumput Laut",
         "Cheetos Jagung", "Tango Wafer", "Oreo", "Roma Kelapa", "Beng-Beng", "SilverQueen",
         "Chocolatos", "Richeese Nabati", "Pocky Cokelat", "Malkist Crackers"],
        [("68g", 10500), ("35g", 6000), ("150g", 18500)], None, 0),
    "Mi Instan": (
        ["Indomie Goreng", "Indomie Soto", "Indomie Ayam Bawang", "Mie Sedaap Goreng",
         "Mie Sedaap Kari Spesial", "Sarimi Isi 2", "Pop Mie Ayam", "Supermi Kaldu Ayam"],
        [("85g", 3500), ("5 pcs", 16500)], None, 0),
    "Sembako": (
        ["Beras Rojolele", "Gula Pasir Gulaku", "Minyak Goreng Bimoli", "Tepung Segitiga Biru",
         "Telur Ayam", "Garam Refina", "Kecap Bango", "Saus Sambal ABC"],
        [("1kg", 16000), ("2L", 38000), ("5kg", 72000)], "0", 0),
    "Susu & Olahan": (
        ["Ultra Milk Cokelat", "Indomilk Kental Manis", "Frisian Flag", "Bear Brand",
         "Cimory Yogurt", "Dancow Fortigro", "Yakult"],
        [("200ml", 6500), ("1L", 19500), ("370g", 12500)], None, 0),
    "Roti": (
        ["Sari Roti Tawar", "Sari Roti Sobek Cokelat", "Roti Aoka", "Breadlife Keju"],
        [("", 16000), ("isi 2", 8500)], None, 0),
    "Perawatan Diri": (
        ["Pepsodent", "Lifebuoy Sabun", "Sunsilk Sampo", "Clear Men", "Rexona Roll On",
         "Biore Body Foam", "Wardah Lip Balm", "Ponds Facial Foam", "Gatsby Pomade"],
        [("75g", 12500), ("170ml", 24500), ("400ml", 42000)], None, 0),
    "Rumah Tangga": (
        ["Rinso Deterjen", "Sunlight Jeruk Nipis", "So Klin Pewangi", "Baygon Aerosol",
         "Tisu Paseo", "Wipol Karbol", "Stella Pengharum"],
        [("800g", 24500), ("755ml", 15500), ("250 lembar", 18500)], None, 0),
    "Bumbu Dapur": (
        ["Royco Ayam", "Masako Sapi", "Sasa Micin", "Bango Kecap Manis", "Indofood Sambal",
         "Ladaku Merica", "Desaku Kunyit", "Kara Santan"],
        [("100g", 5500), ("220ml", 11500)], None, 0),
    "Makanan Beku": (
        ["Fiesta Nugget", "So Good Sosis", "Champ Bakso", "Belfoods Karaage", "Kanzler Singles",
         "Sunny Gold Kentang"],
        [("250g", 24500), ("500g", 45500)], None, 0),
    "Es Krim": (
        ["Walls Paddle Pop", "Aice Mochi", "Campina Concerto", "Walls Cornetto", "Aice Semangka"],
        [("1 pcs", 4000), ("700ml", 38500)], None, 0),
    "Bayi & Anak": (
        ["MamyPoko Pants M", "Sweety Silver L", "Zwitsal Minyak Telon", "Cussons Kids Sampo",
         "SGM Eksplor 1+"],
        [("isi 20", 52000), ("100ml", 18500)], None, 0),
    "Obat & Vitamin": (
        ["Bodrex", "Panadol Biru", "Tolak Angin", "Antangin JRG", "Enervon-C", "Promag",
         "Komix Jahe"],
        [("strip", 5500), ("isi 5", 21000)], None, 0),
    "Alat Tulis": (
        ["Pulpen Standard AE7", "Buku Tulis Sidu 38", "Pensil 2B Faber-Castell",
         "Penghapus Joyko", "Lakban Bening"],
        [("1 pcs", 3500), ("isi 10", 29500)], None, 0),
    "Rokok": (
        ["Sampoerna Mild", "Gudang Garam Filter", "Djarum Super", "Marlboro Merah",
         "Dji Sam Soe"],
        [("16 batang", 32000), ("12 batang", 26500)], None, 21),
    "Bir & Minuman Beralkohol": (
        ["Bintang Pilsener", "Anker Lager", "Bintang Radler"],
        [("330ml", 23500), ("620ml", 39500)], None, 21),
}  # fmt: skip

_WEIGHED = [("Pisang Cavendish", 28000), ("Apel Fuji", 45000), ("Tomat", 18000),
            ("Cabai Merah", 60000), ("Bawang Merah", 42000), ("Jeruk Medan", 32000)]  # fmt: skip


def _code(category: str) -> str:
    """A short, unique SKU prefix: initials of a two-word category, else its first letters."""
    words = category.replace("&", " ").split()
    return "".join(w[0] for w in words).upper() if len(words) > 1 else category[:3].upper()


def ean13(company: int, item: int) -> str:
    body = f"899{company:04d}{item:05d}"
    return body + check_digit(body)


def demo_products(seed: int = 2026) -> list[Product]:
    rng = random.Random(seed)
    products: list[Product] = []
    for c_index, (category, (names, sizes, rate, age)) in enumerate(_CATEGORIES.items()):
        for n_index, name in enumerate(names):
            for s_index, (size, base) in enumerate(sizes):
                if rng.random() < 0.1 and s_index:
                    continue
                price = max(1000, round(base * rng.uniform(0.8, 1.25) / 500) * 500)
                item = n_index * 10 + s_index
                products.append(
                    Product(
                        sku=f"{_code(category)}-{n_index + 1:02d}{s_index + 1}",
                        name=f"{name} {size}".strip(),
                        price=price,
                        barcodes=(ean13(1000 + c_index, item),),
                        category=category,
                        tax_rate_percent=rate,
                        age_restricted=age,
                    )
                )
    for index, (name, per_kg) in enumerate(_WEIGHED, start=1):
        products.append(
            Product(
                sku=f"BUAH-{index:02d}",
                name=name,
                price=per_kg,
                barcodes=(ean13(1999, index),),
                category="Buah & Sayur",
                unit="kg",
                tax_rate_percent="0",
                sold_by_weight=True,
                plu=f"{index:05d}",  # scale labels 2x-00001-...: sold both ways
            )
        )
    return products


def demo_members() -> list[Member]:
    """A few loyalty members, with a card barcode and a phone each."""
    people = [("Siti Rahayu", "081234567890"), ("Agus Santoso", "081398765432"),
              ("Dewi Lestari", "085712345678"), ("Made Wirawan", "087811223344")]  # fmt: skip
    return [
        Member(f"M{n:04d}", name, phone, f"MBR{n:06d}") for n, (name, phone) in enumerate(people, 1)
    ]


def sale_times(
    days: int, per_day: int, end: datetime, timezone: str, seed: int = 7
) -> Iterator[datetime]:
    """Plausible opening-hours timestamps (07:00-22:00, busier at lunch and evening)."""
    rng = random.Random(seed)
    zone = ZoneInfo(timezone)
    last_day = end.astimezone(zone).date()
    hours = list(range(7, 22))
    weights = [2, 3, 3, 4, 6, 6, 4, 3, 3, 4, 6, 7, 6, 4, 2]
    for back in range(days, 0, -1):
        day = last_day - timedelta(days=back)
        count = max(1, int(per_day * rng.uniform(0.7, 1.3)))
        stamps = sorted(
            datetime(day.year, day.month, day.day, rng.choices(hours, weights)[0],
                     rng.randrange(60), rng.randrange(60), tzinfo=zone)
            for _ in range(count)
        )  # fmt: skip
        yield from stamps


def basket_plan(rng: random.Random, products: list[Product]) -> list[tuple[Product, int]]:
    """A plausible basket: 1-8 distinct items, mostly single units, no age-restricted
    items in unattended demo sales."""
    pool = [p for p in products if not p.age_restricted and not p.sold_by_weight and p.active]
    size = min(len(pool), rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8]))
    return [(p, rng.choice([1, 1, 1, 2, 3])) for p in rng.sample(pool, size)]


def generate_sales(
    checkout: CheckoutService,
    clock: SettableClock,
    products: list[Product],
    *,
    days: int,
    per_day: int,
    timezone: str,
    seed: int = 11,
) -> int:
    """Ring up ``days`` of sales through the real checkout, paid by cash, card or QRIS."""
    rng = random.Random(seed)
    count = 0
    for at in sale_times(days, per_day, clock.now(), timezone, seed):
        clock.at = at
        for product, qty in basket_plan(rng, products):
            checkout.add_sku(product.sku, qty)
        total = checkout.priced().total
        method = rng.choices(["cash", "card", "qris"], [6, 2, 3])[0]
        if method == "cash":
            checkout.pay_cash(_cash_given(total, rng))
        elif method == "card":
            checkout.pay_card(
                total,
                reference=f"{rng.randrange(10**11, 10**12)}",
                approval_code=f"{rng.randrange(10**5, 10**6)}",
                masked_pan=f"421234******{rng.randrange(10**4):04d}",
            )
        else:
            checkout.pay_qris(total, reference=f"QR{rng.randrange(10**9, 10**10)}")
        checkout.complete()
        count += 1
    return count


def _cash_given(total: int, rng: random.Random) -> int:
    """What a customer hands over: exact, or the next round note."""
    for note in (2000, 5000, 10000, 20000, 50000, 100000):
        if note >= total and rng.random() < 0.5:
            return note
    return total if rng.random() < 0.5 else -(-total // 50000) * 50000
