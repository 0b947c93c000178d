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
    "fig_average_ticket": {"id": "Rata-rata per transaksi", "en": "Average ticket"},
    "fig_units": {"id": "Barang terjual", "en": "Units sold"},
    "fig_discounts": {"id": "Diskon", "en": "Discounts"},
    "fig_member_sales": {"id": "Transaksi anggota", "en": "Member sales"},
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
        "id": "Hari usaha {start} s.d. {end}.",
        "en": "Business days {start} to {end}.",
    },
    "show_range": {"id": "Tampilkan rentang", "en": "Show the range"},
    "days_closed": {"id": "hari ditutup", "en": "days closed"},
}
