"""Test helpers that ship with the package, as gpiozero ships its mock pins: a throwaway
mosquitto (``broker_process``), a load generator (``loadgen``), one sale builder
(``sales``), one settable clock (``clock``) and local fake acquirers (``fake_acquirers``,
``http_fake``). Used by tests, ``bench/`` and demos; the till's sale path imports none."""
