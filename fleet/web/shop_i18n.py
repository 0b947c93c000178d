"""The web shop's words in Bahasa Indonesia (default) and English; every key in both
(tests/fleet/test_web_shop.py checks). Error codes of ``fleet.shop.orders.OrderError``
are keys too, so a refused order reads as a sentence, never as a code."""

from __future__ import annotations

from collections.abc import Callable

SHOP_TEXTS: dict[str, dict[str, str]] = {
    "shop": {"id": "Belanja online", "en": "Online shop"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    "search": {"id": "Cari produk", "en": "Search products"},
    "search_button": {"id": "Cari", "en": "Search"},
    "all": {"id": "Semua", "en": "All"},
    "in_stock": {"id": "Tersedia", "en": "In stock"},
    "few_left": {"id": "Tinggal sedikit", "en": "Few left"},
    "sold_out": {"id": "Habis", "en": "Sold out"},
    "add": {"id": "Tambah", "en": "Add"},
    "basket": {"id": "Keranjang", "en": "Basket"},
    "basket_empty": {"id": "Keranjang masih kosong.", "en": "Your basket is empty."},
    "no_products": {"id": "Tidak ada produk yang cocok.", "en": "No products match."},
    "more": {"id": "Produk berikutnya", "en": "More products"},
    "back_to_shop": {"id": "Kembali belanja", "en": "Back to the shop"},
    "remove": {"id": "Hapus", "en": "Remove"},
    "update": {"id": "Ubah", "en": "Update"},
    "qty": {"id": "Jumlah", "en": "Qty"},
    "discount": {"id": "Hemat", "en": "You save"},
    "subtotal": {"id": "Subtotal", "en": "Subtotal"},
    "delivery_fee": {"id": "Ongkos kirim", "en": "Delivery fee"},
    "total": {"id": "Total", "en": "Total"},
    "your_details": {"id": "Data pemesan", "en": "Your details"},
    "name": {"id": "Nama", "en": "Name"},
    "whatsapp": {"id": "Nomor WhatsApp", "en": "WhatsApp number"},
    "pickup": {"id": "Ambil di toko", "en": "Pick up at the store"},
    "pickup_time": {"id": "Jam ambil", "en": "Pickup time"},
    "delivery": {"id": "Diantar", "en": "Delivery"},
    "address": {"id": "Alamat pengiriman", "en": "Delivery address"},
    "payment": {"id": "Pembayaran", "en": "Payment"},
    "pay_qris": {"id": "Bayar sekarang dengan QRIS", "en": "Pay now by QRIS"},
    "pay_at_pickup": {"id": "Bayar di toko saat ambil", "en": "Pay at the store on pickup"},
    "place_order": {"id": "Pesan sekarang", "en": "Place the order"},
    "closed": {
        "id": "Toko sedang tutup. Pesanan belum bisa diterima.",
        "en": "The store is closed and cannot take orders now.",
    },
    "hours": {"id": "Jam buka", "en": "Opening hours"},
    "order": {"id": "Pesanan", "en": "Order"},
    "status": {"id": "Status", "en": "Status"},
    "st_awaiting_payment": {"id": "Menunggu pembayaran", "en": "Waiting for payment"},
    "st_placed": {"id": "Terkirim ke toko", "en": "Sent to the store"},
    "st_received": {"id": "Diterima toko", "en": "Received by the store"},
    "st_accepted": {"id": "Diproses", "en": "Accepted"},
    "st_packed": {"id": "Sedang dikemas", "en": "Being packed"},
    "st_ready": {"id": "Siap diambil", "en": "Ready"},
    "st_collected": {"id": "Sudah diambil", "en": "Collected"},
    "st_cancelled": {"id": "Dibatalkan", "en": "Cancelled"},
    # A delivery order the rider took from the store, and the end of its way.
    "st_on_the_way": {"id": "Dibawa kurir", "en": "On its way"},
    "st_delivered": {"id": "Sudah diantar", "en": "Delivered"},
    "not_yet_received": {
        "id": "Belum diterima oleh toko. Toko akan segera menghubungi Anda.",
        "en": "Not yet received by the store. The store will contact you.",
    },
    "short": {
        "id": "Maaf, sebagian barang habis terjual di toko. Toko akan menghubungi Anda.",
        "en": "Sorry, some items sold out at the store. The store will contact you.",
    },
    "scan_qris": {
        "id": "Pindai QRIS ini dengan aplikasi bank atau e-wallet Anda.",
        "en": "Scan this QRIS with your bank or e-wallet app.",
    },
    "simulate_pay": {"id": "Bayar (simulasi)", "en": "Pay (simulation)"},
    "refunded": {"id": "Pembayaran Anda sudah dikembalikan.", "en": "Your payment was refunded."},
    "refunding": {
        "id": "Pembayaran Anda sedang dikembalikan.",
        "en": "Your payment is being refunded.",
    },
    "refunded_flag": {"id": "Dana dikembalikan", "en": "Refunded"},
    "refund_waits": {
        "id": "Pembayaran Anda dikembalikan setelah toko mengonfirmasi pembatalan.",
        "en": "Your payment is refunded once the store confirms the cancellation.",
    },
    "refund_waits_flag": {
        "id": "Dana dikembalikan setelah toko mengonfirmasi",
        "en": "Refund once the store confirms",
    },
    "paid_online": {"id": "Sudah dibayar online", "en": "Paid online"},
    "pay_at_store": {"id": "Dibayar di toko", "en": "To pay at the store"},
    "pickup_qr": {
        "id": "Tunjukkan kode ini di kasir untuk mengambil pesanan.",
        "en": "Show this code at the till to collect your order.",
    },
    "message_store": {
        "id": "Kirim pesan ke toko lewat WhatsApp",
        "en": "Message the store on WhatsApp",
    },
    "keep_link": {
        "id": "Simpan alamat halaman ini untuk melihat status pesanan.",
        "en": "Keep this page's address to follow your order.",
    },
    "reason": {"id": "Alasan", "en": "Reason"},
    "unknown_order": {"id": "Pesanan tidak ditemukan.", "en": "No such order."},
    # The owner's orders page (the dashboard).
    "orders_title": {"id": "Pesanan online", "en": "Online orders"},
    "no_orders": {"id": "Belum ada pesanan online.", "en": "No online orders yet."},
    "channel": {"id": "Kanal", "en": "Channel"},
    "customer": {"id": "Pelanggan", "en": "Customer"},
    "placed_at": {"id": "Dipesan", "en": "Placed"},
    "items": {"id": "Barang", "en": "Items"},
    "owner_not_received": {"id": "Belum diterima toko", "en": "Not yet received by the store"},
    "short_flag": {"id": "Ada barang kurang", "en": "Items short"},
    "cancel_order": {"id": "Batalkan", "en": "Cancel"},
    "cancel_reason": {"id": "Alasan pembatalan", "en": "Reason to cancel"},
    "already_at_store": {
        "id": "Toko sudah memegang pesanan ini: batalkan dari kasir.",
        "en": "The store has this order: cancel it at the till.",
    },
    "refused": {"id": "Tidak bisa dibatalkan.", "en": "It cannot be cancelled."},
    # A refund stuck "being refunded" (the fleet stopped mid-call): the owner asks.
    "refund_stuck": {
        "id": "Refund belum pasti",
        "en": "Refund outcome not known",
    },
    "check_refund": {"id": "Tanya penyedia pembayaran", "en": "Ask the acquirer"},
    "checked_refunded": {
        "id": "Penyedia pembayaran: dana sudah dikembalikan. Dicatat.",
        "en": "The acquirer says it was refunded. Recorded.",
    },
    "checked_released": {
        "id": "Penyedia pembayaran: dana belum dikembalikan. Refund dibuat sebentar lagi.",
        "en": "The acquirer says it was not refunded. The refund is made shortly.",
    },
    "checked_too_soon": {
        "id": "Penyedia pembayaran belum mencatat refund ini, tetapi mungkin masih memprosesnya."
        " Tanya lagi 10 menit setelah refund dimulai.",
        "en": "The acquirer does not list this refund yet, but may still be making it. Ask"
        " again 10 minutes after the refund was started.",
    },
    "checked_still_unknown": {
        "id": "Penyedia pembayaran belum bisa menjawab. Coba lagi nanti.",
        "en": "The acquirer cannot say yet. Try again later.",
    },
    "refund_not_stuck": {
        "id": "Pesanan ini tidak punya refund yang menunggu.",
        "en": "This order has no refund waiting for an answer.",
    },
    "refund_changed": {
        "id": "Pesanan berubah sementara itu: lihat lagi.",
        "en": "The order changed meanwhile: look again.",
    },
    "no_acquirer": {
        "id": "Belum ada penyedia pembayaran yang bisa ditanya.",
        "en": "No acquirer is set up to ask.",
    },
    "not_allowed": {
        "id": "Hanya pemilik atau manajer yang boleh.",
        "en": "Only an owner or a manager may do this.",
    },
    # The owner's products page: pictures for the web shop.
    "products_title": {"id": "Foto produk", "en": "Product pictures"},
    "picture": {"id": "Foto", "en": "Picture"},
    "product": {"id": "Produk", "en": "Product"},
    "no_picture": {"id": "Belum ada foto", "en": "No picture yet"},
    "no_catalog_yet": {
        "id": "Belum ada produk: impor katalog dulu.",
        "en": "No products yet: import the catalog first.",
    },
    "upload": {"id": "Unggah", "en": "Upload"},
    "image_hint": {
        "id": "Foto JPEG, PNG atau WebP, paling besar {mb} MB.",
        "en": "A JPEG, PNG or WebP picture of at most {mb} MB.",
    },
    "image_saved": {"id": "Foto tersimpan untuk", "en": "Picture saved for"},
    "image_too_big": {
        "id": "Foto terlalu besar: paling besar {mb} MB.",
        "en": "The picture is too big: at most {mb} MB.",
    },
    "image_not_a_picture": {
        "id": "Berkas ini bukan foto JPEG, PNG atau WebP.",
        "en": "This file is not a JPEG, PNG or WebP picture.",
    },
    "image_missing": {"id": "Pilih foto dulu.", "en": "Choose a picture first."},
    "unknown_product_image": {
        "id": "Produk ini tidak ada di katalog toko.",
        "en": "This product is not in the store's catalog.",
    },
    # Refusals (OrderError codes and form checks).
    "unknown_product": {
        "id": "Ada produk yang tidak lagi dijual: {skus}.",
        "en": "Some products are no longer sold: {skus}.",
    },
    "not_available": {
        "id": "Stok tidak cukup untuk: {skus}. Kurangi jumlahnya.",
        "en": "Not enough in stock for: {skus}. Lower the quantity.",
    },
    "store_closed": {
        "id": "Toko sedang tutup. Silakan pesan lagi saat toko buka.",
        "en": "The store is closed. Please order when it is open.",
    },
    "delivery_not_offered": {
        "id": "Toko ini tidak melayani pengantaran.",
        "en": "This store does not deliver.",
    },
    "pickup_not_offered": {
        "id": "Toko ini hanya melayani pengantaran.",
        "en": "This store only delivers.",
    },
    "address_missing": {"id": "Isi alamat pengiriman.", "en": "Fill in the delivery address."},
    "bad_pickup_time": {"id": "Jam ambil tidak valid.", "en": "The pickup time is not valid."},
    "bad_name": {"id": "Isi nama Anda.", "en": "Fill in your name."},
    "bad_phone": {
        "id": "Nomor WhatsApp hanya angka, 6 sampai 19 digit (boleh diawali +).",
        "en": "The WhatsApp number is digits only, 6 to 19 (a leading + is fine).",
    },
    "basket_empty_error": {"id": "Keranjang masih kosong.", "en": "Your basket is empty."},
    "broker_unavailable": {
        "id": "Pesanan tersimpan tetapi belum sampai ke toko. Coba lagi.",
        "en": "The order is kept but has not reached the store. Try again.",
    },
    "no_broker": {
        "id": "Pesanan tersimpan tetapi belum sampai ke toko. Coba lagi.",
        "en": "The order is kept but has not reached the store. Try again.",
    },
    "payment_unavailable": {
        "id": "Pembayaran QRIS sedang tidak tersedia. Pilih bayar di toko.",
        "en": "QRIS payment is not available now. Choose to pay at the store.",
    },
    "duplicate_order_id": {
        "id": "Pesanan ini sudah dikirim.",
        "en": "This order was already placed.",
    },
}


def shop_translator(lang: str) -> Callable[..., str]:
    def t(key: str, **values: str) -> str:
        text = SHOP_TEXTS[key][lang]
        return text.format(**values) if values else text

    return t
