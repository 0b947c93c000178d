"""Hardware drivers. Importing the package gives python-escpos a lasting cache first
(``escpos_cache``): every module that imports escpos lives in this package."""

from drivers.escpos_cache import use_escpos_cache

use_escpos_cache()
