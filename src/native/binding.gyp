{
  "targets": [
    {
      "target_name": "payout_sha256",
      "sources": ["sha256_batch.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
