"""The analysis views' words (fleet/web/analytics_routes.py), in both languages; part of
the dashboard's TEXTS (fleet/web/i18n.py)."""

from __future__ import annotations

WEEKDAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

ANALYTICS_TEXTS: dict[str, dict[str, str]] = {
    **{f"wd_{n}": {"id": WEEKDAYS["id"][n], "en": WEEKDAYS["en"][n]} for n in range(7)},
    "view_overview": {"id": "Ringkasan", "en": "Overview"},
    "view_heatmap": {"id": "Jam ramai", "en": "Busy hours"},
    "view_comparison": {"id": "Dibanding periode lalu", "en": "Against the previous period"},
    "download_csv": {"id": "Unduh tabel (CSV)", "en": "Download the table (CSV)"},
    "no_sales_period": {
        "id": "Tidak ada penjualan pada periode ini.",
        "en": "No sales in this period.",
    },
    "weekday": {"id": "Hari", "en": "Day"},
    "heatmap_help": {
        "id": "Makin gelap, makin besar penjualannya. Jam menurut waktu toko ({zone}).",
        "en": "The darker, the more was sold. Hours in the store's time ({zone}).",
    },
    "busiest": {"id": "Paling ramai", "en": "Busiest"},
    "figure": {"id": "Angka", "en": "Figure"},
    "this_period": {"id": "Periode ini", "en": "This period"},
    "previous_period": {"id": "Periode sebelumnya", "en": "Previous period"},
    "change_percent": {"id": "Perubahan (%)", "en": "Change (%)"},
    "fig_net": {"id": "Penjualan bersih", "en": "Net sales"},
    "fig_transactions": {"id": "Transaksi", "en": "Transactions"},
    "fig_average_ticket": {"id": "Rata-rata transaksi", "en": "Average ticket"},
    "fig_units": {"id": "Barang terjual", "en": "Units sold"},
    "fig_discounts": {"id": "Diskon", "en": "Discounts"},
    "fig_member_sales": {"id": "Transaksi member", "en": "Member sales"},
    "comparison_help": {
        "id": "Dibanding {start} s.d. {end}. Tanpa angka sebelumnya, perubahan ditulis –.",
        "en": "Against {start} to {end}. With nothing before, the change shows as –.",
    },
    "period": {"id": "Periode", "en": "Period"},
    "period_day": {"id": "Hari", "en": "Day"},
    "period_week": {"id": "Minggu (Senin–Minggu)", "en": "Week (Monday–Sunday)"},
    "period_month": {"id": "Bulan", "en": "Month"},
    "report_week": {"id": "Laporan mingguan", "en": "Week report"},
    "report_month": {"id": "Laporan bulanan", "en": "Month report"},
    "report_range": {"id": "Laporan rentang tanggal", "en": "Report for a range of days"},
    "report_days": {
        "id": "Hari buka {start} s.d. {end}.",
        "en": "Business days {start} to {end}.",
    },
    "show_range": {"id": "Tampilkan rentang", "en": "Show the range"},
    "days_closed": {"id": "hari ditutup", "en": "days closed"},
    "view_abc": {"id": "Kelas ABC", "en": "ABC classes"},
    "view_stock": {"id": "Sisa stok", "en": "Stock cover"},
    "view_pairs": {"id": "Dibeli bersamaan", "en": "Bought together"},
    "sku": {"id": "SKU", "en": "SKU"},
    "abc_class": {"id": "Kelas", "en": "Class"},
    "revenue_share": {"id": "Porsi omzet (%)", "en": "Share of sales (%)"},
    "cumulative_share": {"id": "Kumulatif (%)", "en": "Cumulative (%)"},
    "product_count": {"id": "Jumlah produk", "en": "Products"},
    "abc_help": {
        "id": "A: produk terlaris yang bersama-sama membentuk 80% omzet; B: 15% berikutnya; "
        "C: sisanya.",
        "en": "A: the best-selling products that together make 80% of sales; B: the next "
        "15%; C: the rest.",
    },
    "no_products": {"id": "Tidak ada produk terjual.", "en": "No product sold."},
    "available": {"id": "Stok tersedia", "en": "Available"},
    "per_day": {"id": "Terjual per hari", "en": "Sold per day"},
    "cover_days": {"id": "Cukup untuk (hari)", "en": "Days of cover"},
    "reorder": {"id": "Saran pesan", "en": "Suggested order"},
    "slow_seller": {"id": "Lambat laku", "en": "Slow seller"},
    "yes": {"id": "Ya", "en": "Yes"},
    "no": {"id": "Tidak", "en": "No"},
    "not_sold": {"id": "tidak terjual", "en": "not sold"},
    "stock_help": {
        "id": "Stok tersedia menurut kios (dikurangi pesanan online yang belum diambil). "
        "Laju jual = terjual selama {days} hari periode ini. Saran pesan: cukup untuk "
        "{target} hari. Lambat laku: tidak terjual, atau stok untuk lebih dari {slow} hari.",
        "en": "Available as the kiosks count it (less open online orders). Sales rate = "
        "units sold over the period's {days} days. Suggested order: enough for {target} "
        "days. Slow seller: not sold, or stock for more than {slow} days.",
    },
    "no_stock_figures": {
        "id": "Belum ada angka stok dari kios toko ini.",
        "en": "No stock figures from this store's kiosks yet.",
    },
    "together": {"id": "Transaksi berisi keduanya", "en": "Sales with both"},
    "support": {"id": "Dukungan (%)", "en": "Support (%)"},
    "confidence_a_b": {"id": "Keyakinan A→B (%)", "en": "Confidence A→B (%)"},
    "confidence_b_a": {"id": "Keyakinan B→A (%)", "en": "Confidence B→A (%)"},
    "lift": {"id": "Kekuatan kaitan", "en": "Lift"},
    "pairs_help": {
        "id": "Dukungan: porsi semua transaksi yang berisi keduanya. Keyakinan A→B: dari "
        "transaksi berisi A, porsi yang juga berisi B. Kekuatan kaitan di atas 1: lebih "
        "sering dibeli bersama daripada kebetulan. Pasangan dari minimal {min} transaksi.",
        "en": "Support: the share of all sales with both. Confidence A→B: of the sales "
        "with A, the share that also has B. Lift above 1: bought together more often than "
        "by chance. Pairs seen in at least {min} sales.",
    },
    "no_pairs": {
        "id": "Belum ada pasangan produk yang cukup sering dibeli bersama.",
        "en": "No pair of products bought together often enough yet.",
    },
    "view_rfm": {"id": "Segmen member", "en": "Member segments"},
    "view_loss": {"id": "Kasir: tanda kebocoran", "en": "Cashiers: loss signals"},
    "last_visit": {"id": "Terakhir belanja", "en": "Last visit"},
    "recency_days": {"id": "Hari sejak belanja", "en": "Days since"},
    "frequency": {"id": "Kunjungan", "en": "Visits"},
    "monetary": {"id": "Total belanja", "en": "Spent"},
    "score_r": {"id": "Skor baru (R)", "en": "Recency score (R)"},
    "score_f": {"id": "Skor sering (F)", "en": "Frequency score (F)"},
    "score_m": {"id": "Skor nilai (M)", "en": "Monetary score (M)"},
    "segment": {"id": "Segmen", "en": "Segment"},
    "seg_champions": {"id": "Pelanggan terbaik", "en": "Champions"},
    "seg_loyal": {"id": "Setia", "en": "Loyal"},
    "seg_new": {"id": "Baru", "en": "New"},
    "seg_at_risk": {"id": "Mulai menjauh", "en": "At risk"},
    "seg_lost": {"id": "Sudah lama tidak datang", "en": "Lost"},
    "seg_attention": {"id": "Perlu perhatian", "en": "Needs attention"},
    "member_count": {"id": "Member yang belanja", "en": "Members who bought"},
    "repeat_rate": {"id": "Belanja lebih dari sekali", "en": "Came back (repeat rate)"},
    "no_members": {
        "id": "Tidak ada member yang belanja pada periode ini.",
        "en": "No member bought anything in this period.",
    },
    "rfm_help": {
        "id": "Skor 1–5 dibanding member lain pada periode ini: R = seberapa baru belanja "
        "terakhir, F = seberapa sering, M = seberapa banyak. Segmen menurut R dan F.",
        "en": "Scores 1–5 against the period's other members: R = how recent the last "
        "visit, F = how often, M = how much. Segments by R and F.",
    },
    "lp_voids_rate": {"id": "Batal baris per 100 transaksi", "en": "Voids per 100 sales"},
    "lp_cancels": {"id": "Transaksi dibatalkan", "en": "Cancelled sales"},
    "lp_cancels_rate": {"id": "Dibatalkan per 100 transaksi", "en": "Cancels per 100 sales"},
    "lp_refunds": {"id": "Refund", "en": "Refunds"},
    "lp_refunds_rate": {"id": "Refund per 100 transaksi", "en": "Refunds per 100 sales"},
    "lp_refund_amount": {"id": "Nilai refund", "en": "Refunded"},
    "lp_no_sales": {"id": "Buka laci tanpa transaksi", "en": "No-sales"},
    "lp_no_sales_rate": {"id": "Buka laci per 100 transaksi", "en": "No-sales per 100 sales"},
    "lp_price_overrides": {"id": "Ubah harga manual", "en": "Price overrides"},
    "lp_price_overrides_rate": {
        "id": "Ubah harga per 100 transaksi",
        "en": "Price overrides per 100 sales",
    },
    "lp_discounts_rate": {"id": "Diskon dari penjualan kotor (%)", "en": "Discounts of gross (%)"},
    "lp_flags": {"id": "Perlu dicek", "en": "Look into"},
    "lp_voids": {"id": "batal baris", "en": "voids"},
    "lp_discounts": {"id": "diskon", "en": "discounts"},
    "lp_store": {"id": "Seluruh toko", "en": "Whole store"},
    "loss_help": {
        "id": "Per kasir dibanding seluruh toko. Ditandai bila angkanya minimal {times}× "
        "rata-rata toko (dan minimal {count} kejadian). Tanda ini bukan tuduhan: periksa "
        "jurnal dan rekaman dulu.",
        "en": "Each cashier beside the whole store. Flagged when at least {times}× the "
        "store's rate (and at least {count} times). A flag is not an accusation: check the "
        "journal and the footage first.",
    },
    "no_cashiers": {"id": "Belum ada transaksi kasir.", "en": "No cashier sales yet."},
    "lp_per_100": {
        "id": "Angka dalam kurung: per 100 transaksi kasir itu.",
        "en": "In brackets: per 100 of that cashier's sales.",
    },
    "latest_sales": {"id": "Penjualan terbaru", "en": "Latest sales"},
    "no_sales_yet": {"id": "Belum ada penjualan.", "en": "No sales yet."},
}
