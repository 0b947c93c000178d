"""Every text on the scanner sheet, in Indonesian (the shop staff's sheet) and English (the
same page for a technician or a vendor's support line). Both languages have the same keys
and the same layout, so "scan code 2" means the same code on either sheet. Lines are wrapped
by make_sheet.py; names of manual chapters stay as the manuals print them (in English)."""

from __future__ import annotations

LANGS = ("id", "en")

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "id": "Menyiapkan scanner barcode untuk kasir",
        "en": "Setting up the barcode scanner for the till",
    },
    "intro": {
        "id": "Cetak dengan skala 100% (jangan pilih 'Fit to page' atau 'sesuaikan dengan"
        " halaman'). Atur scanner dulu, lalu pindai kode uji 1 sampai 3 dan pastikan"
        " hasilnya seperti yang tertulis.",
        "en": "Print at 100% (not 'fit to page'). Set up the scanner first, then scan test"
        " codes 1 to 3 and check that each result is as described.",
    },
    "check_enter": {
        "id": "1. Enter setelah kode: pindai kode ini di kasir. Kasir langsung menanggapi"
        " (barangnya masuk, atau muncul 'Barcode tidak dikenal') tanpa Anda menekan Enter."
        " Jika tanggapan baru muncul setelah Enter ditekan, scanner tidak mengirim Enter:"
        " aktifkan akhiran Enter (CR).",
        "en": "1. Enter after the code: scan this at the till. The till responds at once (the"
        " item is added, or 'Unknown barcode' shows) without you pressing Enter. If nothing"
        " happens until you press Enter, the scanner sends no Enter: turn on the Enter (CR)"
        " suffix.",
    },
    "check_layout": {
        "id": "2. Keyboard US: buka Notepad (atau aplikasi teks lain) di laptop, lalu pindai"
        " kode ini. Harus muncul persis AbC-yz_1!@#$%&*() lalu pindah baris. Jika y dan z"
        " tertukar, huruf besar-kecilnya terbalik, atau tandanya lain, scanner mengetik untuk"
        " keyboard negara lain: pilih US (Amerika).",
        "en": "2. US keyboard: open Notepad (or another text app) on a laptop and scan this."
        " You must see exactly AbC-yz_1!@#$%&*() and a new line. If y and z are swapped, the"
        " capitals are reversed or the signs differ, the scanner types for another country's"
        " keyboard: choose US (America).",
    },
    "check_2d": {
        "id": "3. Scanner 2D (diperlukan untuk kode QR penyiapan kasir): di aplikasi teks muncul"
        " QR-2D 0123456789. Jika kode ini tidak terbaca, scanner Anda hanya membaca barcode"
        " garis (1D).",
        "en": "3. 2D scanners (needed for the till's setup QR codes): the text app shows QR-2D"
        " 0123456789. If this code does not read, your scanner reads line barcodes (1D) only.",
    },
    "check_aim": {
        "id": "4. Awalan AIM aktif: di aplikasi teks muncul ]E0 sebelum angka kode 1, ]C0"
        " sebelum teks kode 2 dan ]Q1 sebelum teks kode 3. Dengan awalan ini kasir dapat"
        " membedakan kode GS1 dari angka biasa. Tanpa awalan kasir tetap berjalan, hanya"
        " kurang pasti.",
        "en": "4. AIM identifiers on: the text app shows ]E0 before the digits of code 1, ]C0"
        " before the text of code 2 and ]Q1 before the text of code 3. With them the till"
        " tells a GS1 code from plain digits. Without them it still works, with less"
        " certainty.",
    },
    "vendor_heading": {
        "id": "Kode pemrograman yang isinya sudah dipastikan sumber terbuka",
        "en": "Programming codes whose content published sources confirm",
    },
    "datalogic_family": {
        "id": "Datalogic PowerScan PD/PM96xx, Gryphon GD/GM/GBT4xxx",
        "en": "Datalogic PowerScan PD/PM96xx, Gryphon GD/GM/GBT4xxx",
    },
    "netum_family": {
        "id": "Netum (antara lain C750, NT-1200, NT-1228W, L8)",
        "en": "Netum (C750, NT-1200, NT-1228W, L8 and others)",
    },
    "honeywell_family": {
        "id": "Honeywell Xenon, Voyager",
        "en": "Honeywell Xenon, Voyager",
    },
    "enter_suffix": {
        "id": "Akhiran Enter (CR) untuk semua jenis barcode",
        "en": "Enter (CR) suffix for every symbology",
    },
    "honeywell_note": {
        "id": "Code 128 ~VSUFCR.<FNC3>: FNC3 di akhir, seperti pada label menu Honeywell sendiri.",
        "en": "Code 128 ~VSUFCR.<FNC3>: FNC3 last, as on Honeywell's own menu labels.",
    },
    "aim_on": {
        "id": "Awalan AIM aktif (Global AIM ID = Enable)",
        "en": "AIM identifiers on (Global AIM ID = Enable)",
    },
    "us_keyboard": {
        "id": "Keyboard US (Keyboard Language = America)",
        "en": "US keyboard (Keyboard Language = America)",
    },
    "datalogic_note": {
        "id": "Code 128 <FNC3>$P,CAIEN01,P<CR>: satu label ini masuk ke mode pemrograman,"
        " menyetel, lalu keluar lagi.",
        "en": "Code 128 <FNC3>$P,CAIEN01,P<CR>: this one label enters programming, sets it"
        " and leaves.",
    },
    "netum_note": {
        "id": "Code 128 $LAN#EN, tanpa karakter fungsi. Hanya untuk model Netum yang buku"
        " panduannya (bagian Keyboard Language, America) mencetak kode ini. Scanner lain"
        " biasanya hanya mengetiknya sebagai teks $LAN#EN.",
        "en": "Code 128 $LAN#EN, no function characters. Only for Netum models whose manual"
        " (Keyboard Language, America) prints this code. Other scanners normally just type"
        " it as the text $LAN#EN.",
    },
    "sources": {"id": "Sumber:", "en": "Sources:"},
    "others_heading": {
        "id": "Di mana kode lainnya (tidak dicetak di sini)",
        "en": "Where the other codes are (not printed here)",
    },
    "others_intro": {
        "id": "Kode berbeda menurut model dan firmware. Selain kode di atas, tidak ada yang"
        " dipastikan, dan tidak satu kode pun di lembar ini dicoba pada scanner. Pindai hanya"
        " kode dari buku panduan scanner Anda, dengan urutan: setelan pabrik, keyboard US,"
        " akhiran Enter (CR), awalan AIM.",
        "en": "Codes differ by model and firmware. Nothing else here was confirmed, and no"
        " code on this sheet was tried on a scanner. Scan only your manual's codes, in this"
        " order: factory defaults, US keyboard, Enter (CR) suffix, AIM prefix.",
    },
    "manual_honeywell": {
        "id": "Buku panduan (User Guide): Keyboard Country (USA), Symbology Identifiers (awalan"
        " AIM ID); akhiran Enter: kode di atas.",
        "en": "User Guide: Keyboard Country (USA), Symbology Identifiers (AIM ID prefix); Enter"
        " suffix: the code above.",
    },
    "manual_zebra": {
        "id": "Buku panduan (Product Reference Guide): Scan Data Transmission Format (akhiran"
        " Enter), Country Keyboard Types (US English), Transmit Code ID Character (AIM).",
        "en": "Product Reference Guide: Scan Data Transmission Format (Enter suffix), Country"
        " Keyboard Types (US English), Transmit Code ID Character (AIM).",
    },
    "manual_datalogic": {
        "id": "Buku panduan (Product Reference Guide): Global Suffix (CR), Country Mode (US);"
        " AIM: kode di atas.",
        "en": "Product Reference Guide: Global Suffix (CR), Country Mode (US); AIM: the code"
        " above.",
    },
    "manual_newland": {
        "id": "Buku panduan (User Guide): Suffix (CR), Keyboard Layout / Country (US), awalan"
        " AIM ID.",
        "en": "User Guide: Suffix (CR), Keyboard Layout / Country (US), AIM ID prefix.",
    },
    "manual_generic": {
        "id": "Lembar pemrograman di dalam dus: akhiran Enter, keyboard US, AIM ID (sebagian"
        " model tidak punya pilihan AIM: biarkan nonaktif). Netum: kode keyboard US untuk"
        " banyak model ada di atas.",
        "en": "The programming sheet in the box: Enter suffix, US keyboard, AIM ID (some"
        " models have no AIM option: leave it off). Netum: the US keyboard code for many"
        " models is above.",
    },
    "generic_brand": {
        "id": "Netum, Eyoyo dan merek umum lain",
        "en": "Netum, Eyoyo and other generic brands",
    },
}


def t(key: str, lang: str) -> str:
    return TEXT[key][lang]
