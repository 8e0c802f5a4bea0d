/*
 * Which bytes change how a CSV text cell is written (src/core/csv-cell.ts textCell; the same table as
 * ID_BYTE in src/core/ledger.ts): bit 1, the cell must be quoted (a quote, comma, LF or CR in it);
 * bit 2, as its first byte the cell must be guarded with ' against a formula (= + - @ tab CR ').
 */
#ifndef PAYOUT_NATIVE_CSV_CELL_H
#define PAYOUT_NATIVE_CSV_CELL_H
#include <stdint.h>

static const uint8_t csv_cell_byte[256] = {
  [0x22] = 1, [0x2c] = 1, [0x0a] = 1, [0x0d] = 3,
  [0x3d] = 2, [0x2b] = 2, [0x2d] = 2, [0x40] = 2, [0x09] = 2, [0x27] = 2,
};

#endif
