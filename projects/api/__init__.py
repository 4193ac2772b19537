"""REST API of Chapter 2 and Arts. 29-30, one module per concern: ``filings`` (with ``filing_inputs``, one
request body per transition, and ``filing_serializers``), ``plans`` (Art. 12) and ``registers``."""
