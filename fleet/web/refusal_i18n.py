"""A kiosk's refusal of a command, said in the commands page's language.

A kiosk's result carries, beside its English ``errors``, one coded refusal per error
(``kiosk.contract.refusals``). The page words each from its code and parameters, for the
shop owner (what happened, what to do) and the fleet engineer; internal names (fields,
settings keys, command names) stay out. A code this table lacks, and a result from a
kiosk that sends no codes, read "the kiosk refused this command"; the kiosk's English
shows on the English page only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.contract.refusals import GENERIC
from kiosk.domain.error_codes import word
from kiosk.domain.money import format_rupiah

UPDATE_HINT = {"id": "perbarui perangkat lunak kios", "en": "update the kiosk's software"}
NOTHING_CHANGED = {"id": "tidak ada yang diubah", "en": "nothing was changed"}
_ID, _EN = NOTHING_CHANGED["id"], NOTHING_CHANGED["en"]

# Parameters in {name:rp} are rupiah, formatted in the page's language.
REFUSAL_TEXTS: dict[str, dict[str, str]] = {
    GENERIC: {"id": "Kios menolak perintah ini", "en": "The kiosk refused this command"},
    "command.internal": {
        "id": f"Terjadi kesalahan di kios saat menjalankan perintah ini; {_ID}. Coba lagi, "
        "atau hubungi teknisi bila terulang",
        "en": f"Something went wrong on the kiosk while applying this command; {_EN}. Try "
        "again, or call your technician if it happens again",
    },
    "command.too_large": {
        "id": "Perintah ini terlalu besar untuk diterima kios",
        "en": "This command is too large for the kiosk to take",
    },
    "command.unreadable": {
        "id": "Kios tidak dapat membaca perintah ini: isinya rusak di jalan",
        "en": "The kiosk could not read this command: it arrived damaged",
    },
    "command.unknown": {
        "id": f"Kios belum mengenal perintah ini: {UPDATE_HINT['id']}",
        "en": f"The kiosk does not know this command yet: {UPDATE_HINT['en']}",
    },
    "command.version": {
        "id": f"Kios belum dapat membaca perintah versi ini: {UPDATE_HINT['id']}",
        "en": f"The kiosk cannot read this version of the command yet: {UPDATE_HINT['en']}",
    },
    "command.schema": {
        "id": f"Isi perintah tidak sesuai dengan yang dikenal kios; {_ID}. Perbarui "
        "perangkat lunak kios atau hubungi teknisi",
        "en": f"The command's content is not what the kiosk knows; {_EN}. Update the "
        "kiosk's software or call your technician",
    },
    "command.no_handler": {
        "id": "Kios ini tidak menjalankan perintah jenis ini",
        "en": "This kiosk does not take this kind of command",
    },
    "command.id_reused": {
        "id": f"Nomor perintah ini sudah dipakai untuk perintah lain; {_ID}. Kirim lagi "
        "sebagai perintah baru",
        "en": f"This command's number was already used for another command; {_EN}. Send "
        "it again as a new command",
    },
    "change.remove_in_snapshot": {
        "id": "Penghapusan hanya bisa dikirim sebagai perubahan, bukan bersama daftar lengkap",
        "en": "Removals can only be sent as a change, not with a complete list",
    },
    "catalog.unknown_sku": {
        "id": f"Kios tidak punya produk dengan SKU {{skus}}; {_ID}. Kirim katalog ke kios "
        "lebih dulu",
        "en": f"The kiosk has no product with SKU {{skus}}; {_EN}. Send the catalog to the "
        "kiosk first",
    },
    "catalog.sku_twice": {
        "id": f"SKU {{sku}} tercantum dua kali; {_ID}",
        "en": f"SKU {{sku}} is listed twice; {_EN}",
    },
    "catalog.bad_product": {
        "id": f"Kios tidak menerima data produk {{sku}}; {_ID}. Periksa nama, barcode, "
        "dan tarif pajaknya",
        "en": f"The kiosk did not accept the product {{sku}}; {_EN}. Check its name, "
        "barcodes and tax rate",
    },
    "catalog.price_limit": {
        "id": f"Harga {{sku}} ({{price:rp}}) melebihi batas harga kios {{limit:rp}}; {_ID}",
        "en": f"The price of {{sku}} ({{price:rp}}) is above the kiosk's price limit of "
        f"{{limit:rp}}; {_EN}",
    },
    "catalog.mass_removal": {
        "id": f"Perubahan ini akan menghentikan penjualan {{removed}} dari {{on_sale}} "
        f"produk ({{percent}}%), lebih dari batas {{limit}}%; {_ID}",
        "en": f"This change would take {{removed}} of the {{on_sale}} products off sale "
        f"({{percent}}%), more than the limit of {{limit}}%; {_EN}",
    },
    "catalog.nothing_to_undo": {
        "id": "Tidak ada perubahan katalog sebelumnya yang bisa dibatalkan",
        "en": "There is no earlier catalog change to undo",
    },
    "promotions.missing_id": {
        "id": f"Promosi ke-{{number}} tidak punya kode promosi; {_ID}",
        "en": f"Promotion number {{number}} has no promotion code; {_EN}",
    },
    "promotions.twice": {
        "id": f"Promosi {{promo_id}} tercantum dua kali; {_ID}",
        "en": f"Promotion {{promo_id}} is listed twice; {_EN}",
    },
    "promotions.invalid": {
        "id": f"Kios tidak menerima promosi {{promo_id}}; {_ID}. Periksa aturannya",
        "en": f"The kiosk did not accept promotion {{promo_id}}; {_EN}. Check its rules",
    },
    "promotions.unknown": {
        "id": f"Promosi {{promo_id}} yang akan diakhiri tidak ada di kios ini; {_ID}",
        "en": f"Promotion {{promo_id}}, to be ended, is not on this kiosk; {_EN}",
    },
    "settings.none": {
        "id": "Tidak ada pengaturan yang dikirim",
        "en": "No settings were sent",
    },
    "settings.not_remote": {
        "id": f"Identitas toko dan kios tidak bisa diubah dari jarak jauh; {_ID}",
        "en": f"The store's and kiosk's identity cannot be changed remotely; {_EN}",
    },
    "settings.invalid": {  # {key} is an internal settings name: kept out of the page
        "id": f"Kios tidak menerima nilai pengaturan ini; {_ID}",
        "en": f"The kiosk did not accept a setting's value; {_EN}",
    },
    "payment.unknown": {
        "id": "Kios ini tidak punya pembayaran QRIS {order_id}",
        "en": "This kiosk has no QRIS payment {order_id}",
    },
    "payment.amount": {
        "id": "Pembayaran {order_id}: yang dikonfirmasi {confirmed:rp}, yang ditagih {charged:rp}",
        "en": "Payment {order_id}: {confirmed:rp} confirmed, but {charged:rp} was charged",
    },
    "report.x_not_today": {
        "id": "Laporan X hanya untuk hari ini; untuk hari lain minta laporan Z",
        "en": "An X report is only for today; ask for a Z report for another day",
    },
    "update.no_key": {
        "id": "Kios ini belum punya kunci rilis, jadi tidak bisa memercayai pembaruan: "
        "siapkan ulang dengan kode pengaturan yang memuatnya",
        "en": "This kiosk has no release key, so it cannot trust any update: set it up "
        "again with a setup code that carries one",
    },
    "update.window": {
        "id": "Jadwal pembaruan di pengaturan kios tidak bisa dipakai: perbaiki dulu di kios",
        "en": "The kiosk's update window setting is not usable: correct it on the kiosk",
    },
    # A till's own refusal that a fleet command can meet (kiosk.domain.error_codes).
    "barcode.product": {
        "id": "Barcode produk {name} tidak valid: {code}",
        "en": "A barcode of {name} is not valid: {code}",
    },
}


def refusal_text(refusal: Any, lang: str) -> str:
    """One refusal (``{"code", "params"}``) in ``lang``; an unknown code: the generic."""
    code = refusal.get("code") if isinstance(refusal, Mapping) else None
    texts = REFUSAL_TEXTS.get(code) if isinstance(code, str) else None
    if texts is None:
        return REFUSAL_TEXTS[GENERIC][lang]
    params = refusal.get("params")
    return word(texts[lang], params if isinstance(params, Mapping) else {},
                money=lambda amount: format_rupiah(amount, lang))  # fmt: skip


def _known(refusal: Any) -> bool:
    return isinstance(refusal, Mapping) and refusal.get("code") in REFUSAL_TEXTS


def said(result: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """What the page shows of one kiosk's result: ``lines`` (each refusal in ``lang``,
    each said once) and ``kiosk``, the kiosk's English: on the English page only, and
    only where it adds to the lines (a kiosk that sends no codes or one this fleet does
    not know) or else as their tooltip."""
    errors: Sequence[str] = result.get("errors") or []
    refusals: Sequence[Any] = result.get("refusals") or []
    if not errors and not refusals:
        return {"lines": [], "kiosk": "", "coded": True}
    lines = [refusal_text(r, lang) for r in refusals] or [REFUSAL_TEXTS[GENERIC][lang]]
    coded = bool(refusals) and all(_known(r) for r in refusals)  # else the English adds to it
    kiosk = "; ".join(str(e) for e in errors) if lang == "en" else ""
    return {"lines": list(dict.fromkeys(lines)), "kiosk": kiosk, "coded": coded}
