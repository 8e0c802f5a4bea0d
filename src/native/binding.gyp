{
  "targets": [
    {
      "target_name": "payout_sha256",
      "sources": ["sha256_batch.c", "csv_scan.c", "ledger_rows.c", "pay_rows.c"],
      "cflags": ["-O3", "-Wall", "-Wextra"]
    }
  ]
}
