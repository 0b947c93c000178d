"""The dashboard's words in Bahasa Indonesia (default, as on the till) and English.

Small on purpose: every key exists in both languages (tests/fleet/test_web.py checks).
The language comes from ``?lang=`` or else the browser's Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from fleet.web.analytics_i18n import ANALYTICS_TEXTS

LANGS = ("id", "en")
TEXTS: dict[str, dict[str, str]] = {
    "fleet": {"id": "Armada kios", "en": "Kiosk fleet"},
    "kiosks": {"id": "Kios", "en": "Kiosks"},
    "store": {"id": "Toko", "en": "Store"},
    "kiosk": {"id": "Kios", "en": "Kiosk"},
    "status": {"id": "Status", "en": "Status"},
    "online": {"id": "Daring", "en": "Online"},
    "offline": {"id": "Luring", "en": "Offline"},
    "unknown": {"id": "Belum diketahui", "en": "Unknown"},
    "last_seen": {"id": "Terakhir terlihat", "en": "Last seen"},
    "version": {"id": "Versi", "en": "Version"},
    "outbox": {"id": "Antrean kirim", "en": "Unsent"},
    "oldest": {"id": "Tertua", "en": "Oldest"},
    "alerts": {"id": "Peringatan", "en": "Alerts"},
    "journal": {"id": "Jurnal", "en": "Journal"},
    "journal_ok": {"id": "Utuh", "en": "Intact"},
    "journal_broken": {"id": "Rusak", "en": "Broken"},
    "printer": {"id": "Printer", "en": "Printer"},
    "scanner": {"id": "Pemindai", "en": "Scanner"},
    "drawer": {"id": "Laci kas", "en": "Cash drawer"},
    "dev_none": {"id": "Tidak ada", "en": "None"},
    "dev_offline": {"id": "Tidak terhubung", "en": "Not connected"},
    "dev_error": {"id": "Bermasalah", "en": "Fault"},
    "dev_ready": {"id": "Siap", "en": "Ready"},
    "dev_busy": {"id": "Sedang dipakai", "en": "In use"},
    "paper_ok": {"id": "Kertas cukup", "en": "Paper OK"},
    "paper_near_end": {"id": "Kertas hampir habis", "en": "Paper low"},
    "paper_out": {"id": "Kertas habis", "en": "Paper out"},
    "cover_open": {"id": "Tutup printer terbuka", "en": "Cover open"},
    "drawer_open": {"id": "Terbuka", "en": "Open"},
    "drawer_closed": {"id": "Tertutup", "en": "Closed"},
    "drawer_left_open": {"id": "Terbuka terlalu lama", "en": "Left open"},
    "no_kiosks": {"id": "Belum ada kios.", "en": "No kiosks yet."},
    "day_report": {"id": "Laporan harian", "en": "Day report"},
    "date": {"id": "Tanggal", "en": "Date"},
    "show": {"id": "Tampilkan", "en": "Show"},
    "transactions": {"id": "Transaksi", "en": "Transactions"},
    "gross": {"id": "Penjualan kotor", "en": "Gross sales"},
    "discounts": {"id": "Diskon", "en": "Discounts"},
    "returns": {"id": "Retur", "en": "Returns"},
    "refunds": {"id": "refund", "en": "refunds"},
    "net": {"id": "Penjualan bersih", "en": "Net sales"},
    "average_ticket": {"id": "Rata-rata transaksi", "en": "Average ticket"},
    "cash_rounding": {"id": "Pembulatan tunai", "en": "Cash rounding"},
    "taxes": {"id": "Pajak", "en": "Taxes"},
    "rate": {"id": "Tarif", "en": "Rate"},
    "taxable": {"id": "Dikenai pajak", "en": "Taxable"},
    "dpp": {"id": "DPP", "en": "Tax base (DPP)"},
    "ppn": {"id": "PPN", "en": "VAT (PPN)"},
    "tenders": {"id": "Pembayaran", "en": "Payments"},
    "method": {"id": "Metode", "en": "Method"},
    "count": {"id": "Jumlah", "en": "Count"},
    "amount": {"id": "Nilai", "en": "Amount"},
    "cash": {"id": "Tunai", "en": "Cash"},
    "card": {"id": "Kartu", "en": "Card"},
    "qris": {"id": "QRIS", "en": "QRIS"},
    "bad_date": {
        "id": "Tanggal tidak valid: pakai TTTT-BB-HH.",
        "en": "Not a valid date: use YYYY-MM-DD.",
    },
    "not_found": {"id": "Tidak ditemukan.", "en": "Not found."},
    "live": {"id": "Langsung", "en": "Live"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    "analytics": {"id": "Analisis", "en": "Analytics"},
    "from": {"id": "Dari", "en": "From"},
    "until": {"id": "Sampai", "en": "Until"},
    "bad_period": {
        "id": "Periode tidak valid: tanggal TTTT-BB-HH, paling lama 366 hari.",
        "en": "Not a valid period: dates YYYY-MM-DD, at most 366 days.",
    },
    "daily_trend": {"id": "Tren harian", "en": "Daily trend"},
    "basket": {"id": "Keranjang belanja", "en": "Basket"},
    "units_per_sale": {"id": "Barang per transaksi", "en": "Items per sale"},
    "lines_per_sale": {"id": "Baris per transaksi", "en": "Lines per sale"},
    "members": {"id": "Member", "en": "Members"},
    "member": {"id": "Member", "en": "Member"},
    "non_member": {"id": "Bukan member", "en": "Non-member"},
    "best_sellers": {"id": "Paling laris", "en": "Best sellers"},
    "slow_sellers": {"id": "Kurang laku", "en": "Slow sellers"},
    "product": {"id": "Produk", "en": "Product"},
    "units": {"id": "Terjual", "en": "Units"},
    "by_hour": {"id": "Penjualan per jam", "en": "Sales by hour"},
    "hour": {"id": "Jam", "en": "Hour"},
    "commands": {"id": "Perintah", "en": "Commands"},
    "command": {"id": "Perintah", "en": "Command"},
    "price_change": {"id": "Ubah harga", "en": "Change a price"},
    "price": {"id": "Harga (Rp)", "en": "Price (Rp)"},
    "all_kiosks": {"id": "Semua kios", "en": "All kiosks"},
    "send": {"id": "Kirim", "en": "Send"},
    "lane": {"id": "Jalur kasir", "en": "Lane"},
    "lock": {"id": "Kunci", "en": "Lock"},
    "unlock": {"id": "Buka kunci", "en": "Unlock"},
    "sent": {"id": "Perintah terkirim", "en": "Sent commands"},
    "when": {"id": "Waktu", "en": "When"},
    "results": {"id": "Hasil", "en": "Results"},
    "ok": {"id": "Berhasil", "en": "Done"},
    "failed": {"id": "Gagal", "en": "Failed"},
    "waiting": {"id": "Menunggu jawaban kios", "en": "Waiting for the kiosks"},
    "kiosk_said": {"id": "Kata kios:", "en": "The kiosk said:"},  # its English, English page only
    "no_commands": {"id": "Belum ada perintah.", "en": "No commands yet."},
    "bad_price": {
        "id": "Isi SKU dan harga dalam rupiah (angka saja).",
        "en": "Enter a SKU and a price in rupiah (digits only).",
    },
    "no_broker": {
        "id": "Tidak terhubung ke server pesan kios: perintah tidak dapat dikirim.",
        "en": "Not connected to the kiosks' message server: commands cannot be sent.",
    },
    "refused": {
        "id": "Perintah ditolak: isinya tidak valid.",
        "en": "The command was refused: it is not valid.",
    },
    "cmd_prices": {"id": "Ubah harga", "en": "Price change"},
    "cmd_catalog": {"id": "Katalog", "en": "Catalog"},
    "cmd_promotions": {"id": "Promosi", "en": "Promotions"},
    "store_catalog": {"id": "Katalog toko", "en": "The store's catalog"},
    "store_catalog_help": {
        "id": "Kirim katalog, harga, atau promosi toko seperti yang tersimpan di sini "
        "(diimpor dengan fleet catalog import).",
        "en": "Send the store's catalog, prices or promotions as kept here "
        "(imported with fleet catalog import).",
    },
    "send_catalog": {"id": "Kirim katalog", "en": "Send the catalog"},
    "send_prices": {"id": "Kirim semua harga", "en": "Send all prices"},
    "send_promotions": {"id": "Kirim promosi", "en": "Send the promotions"},
    "no_catalog": {
        "id": "Belum ada katalog toko ini di sini: impor dulu dengan fleet catalog import.",
        "en": "There is no catalog of this store here yet: import one with fleet catalog import.",
    },
    "cmd_lock": {"id": "Kunci jalur", "en": "Lock lane"},
    "cmd_unlock": {"id": "Buka jalur", "en": "Unlock lane"},
    # Every command a store's page may list (sent by fleet push or the web shop): named,
    # never shown by its internal name.
    "cmd_catalog_undo": {"id": "Batalkan perubahan katalog", "en": "Undo catalog change"},
    "cmd_settings": {"id": "Pengaturan", "en": "Settings"},
    "cmd_report": {"id": "Minta laporan", "en": "Report request"},
    "cmd_payment": {"id": "Hasil pembayaran QRIS", "en": "QRIS payment outcome"},
    "cmd_order": {"id": "Pesanan online", "en": "Online order"},
    "cmd_update": {"id": "Pembaruan perangkat lunak", "en": "Software update"},
    "cmd_points": {"id": "Saldo poin member", "en": "Member points balances"},
    "voids": {"id": "Batal baris", "en": "Voids"},
    "void_lines": {"id": "baris dibatalkan", "en": "lines voided"},
    "z_close": {"id": "Tutup hari (Z)", "en": "Day close (Z)"},
    "z_number": {"id": "Nomor Z", "en": "Z number"},
    "day_open": {"id": "Belum ditutup: belum ada Z.", "en": "Not closed yet: no Z."},
    "over_short": {"id": "Selisih kas", "en": "Over/short"},
    "cashier": {"id": "Kasir", "en": "Cashier"},
    "no_shifts": {"id": "Belum ada shift yang ditutup.", "en": "No shift closed yet."},
    "sign_in": {"id": "Masuk", "en": "Sign in"},
    "sign_out": {"id": "Keluar", "en": "Sign out"},
    "user_name": {"id": "Nama pengguna", "en": "User name"},
    "password": {"id": "Kata sandi", "en": "Password"},
    "bad_login": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong user name or password.",
    },
    "too_many_logins": {
        "id": "Terlalu banyak percobaan gagal. Coba lagi 15 menit lagi.",
        "en": "Too many failed attempts. Try again in 15 minutes.",
    },
    "expired_form": {
        "id": "Formulir sudah kedaluwarsa. Silakan coba lagi.",
        "en": "The form has expired. Please try again.",
    },
    "denied_title": {"id": "Tidak diizinkan", "en": "Not allowed"},
    "denied": {
        "id": "Akun Anda tidak punya akses ke halaman ini atau tindakan ini.",
        "en": "Your account has no access to this page or action.",
    },
    "view_only": {
        "id": "Akun Anda hanya bisa melihat: perintah tidak dapat dikirim.",
        "en": "Your account can only look: it cannot send commands.",
    },
    "role_owner": {"id": "Pemilik", "en": "Owner"},
    "role_manager": {"id": "Manajer", "en": "Manager"},
    "role_viewer": {"id": "Pemantau", "en": "Viewer"},
    "sales_by_channel": {"id": "Penjualan per kanal", "en": "Sales by channel"},
    "channel": {"id": "Kanal", "en": "Channel"},
    "channel_store": {"id": "Kasir toko", "en": "At the till"},
    "channel_web": {"id": "Toko online", "en": "Web shop"},
    "tender_online": {"id": "Dibayar online", "en": "Paid online"},
    "receipt": {"id": "Struk belanja", "en": "Receipt"},
    "receipt_no": {"id": "No. struk", "en": "Receipt no."},
    "subtotal": {"id": "Subtotal", "en": "Subtotal"},
    "total": {"id": "Total", "en": "Total"},
    "payable": {"id": "Total bayar", "en": "Total paid"},
    "line_discount": {"id": "Diskon", "en": "Discount"},
    "change": {"id": "Kembalian", "en": "Change"},
    "points": {"id": "Poin", "en": "Points"},
    "cash_given": {"id": "diterima", "en": "given"},
    "prices_include_ppn": {
        "id": "Harga sudah termasuk PPN.",
        "en": "Prices include VAT (PPN).",
    },
    "share_whatsapp": {"id": "Bagikan lewat WhatsApp", "en": "Share on WhatsApp"},
    "whatsapp_text": {
        "id": "Struk belanja {store} no. {number}:",
        "en": "Receipt from {store}, no. {number}:",
    },
    "thanks": {"id": "Terima kasih sudah berbelanja!", "en": "Thank you for shopping!"},
    "receipt_missing": {"id": "Struk tidak ditemukan", "en": "Receipt not found"},
    "receipt_missing_help": {
        "id": "Alamat ini tidak membuka struk mana pun. Pindai lagi kode QR dari kasir, "
        "atau periksa apakah tautannya tersalin lengkap.",
        "en": "This address opens no receipt. Scan the QR code from the till again, "
        "or check that the link was copied in full.",
    },
}
if clash := set(TEXTS) & set(ANALYTICS_TEXTS):  # one key, one meaning
    raise RuntimeError(f"the analytics words reuse dashboard keys: {sorted(clash)}")
TEXTS.update(ANALYTICS_TEXTS)


def pick_lang(query: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins; else the first of Accept-Language we have; else Indonesian."""
    if query in LANGS:
        return query
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "id"


def translator(lang: str) -> Callable[[str], str]:
    def t(key: str) -> str:
        return TEXTS[key][lang]

    return t
