;; Finds the rows and fields of a completion report's result CSV, 16 bytes at a time (WebAssembly SIMD).
;; Compiled by scripts/gen-wasm.ts into src/generated/row-scanner-wasm.ts; row-scanner.ts drives it and
;; result-rows.ts says what the rows mean. Edit this file, then `npm run gen`.
;;
;; Memory: the bytes to scan at [0, len), at least 16 bytes of anything (so a vector load at any index below
;; len stays in bounds; what it reads past len is ignored), then the row records at `out`, 64 bytes each:
;;   +0 field count (at most 7: later fields are scanned, not recorded)
;;   +4 bit f set when field f is quoted and holds a `""` escape
;;   +8 + 8f, +12 + 8f: start and end of field f (quotes excluded, a CRLF's CR dropped from an unquoted last field)
;;
;; `parse` returns 0 when it stopped at the end of the bytes or at a row they do not complete, 1 when `maxRows`
;; records are written, 2 for a quoted field that never closes in the final bytes. Either way `stop` is where
;; the next call must start (the first row not recorded, or len) and `rows` how many records this call wrote.
;; The rules (blank lines skipped, `""` inside quotes, a CRLF's CR dropped, anything between a closing quote and
;; the next delimiter dropped) are the parser's: test/unit/report/result-rows.test.ts pins them.
(module
  (memory (export "memory") 1)
  (global $stop (export "stop") (mut i32) (i32.const 0))
  (global $rows (export "rows") (mut i32) (i32.const 0))

  ;; Index of the first `"` at or after $i, or $len: a match past $len is not one.
  (func $findQuote (param $i i32) (param $len i32) (result i32)
    (local $mask i32)
    (block $none
      (loop $scan
        (br_if $none (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $mask
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
        (if (local.get $mask)
          (then (return (call $atMost (i32.add (local.get $i) (i32.ctz (local.get $mask))) (local.get $len)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $scan)))
    (local.get $len))

  ;; Index of the first `,` or newline at or after $i, or $len: a match past $len is not one.
  (func $findDelimiter (param $i i32) (param $len i32) (result i32)
    (local $bytes v128)
    (local $mask i32)
    (block $none
      (loop $scan
        (br_if $none (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $bytes (v128.load (local.get $i)))
        (local.set $mask
          (i8x16.bitmask
            (v128.or
              (i8x16.eq (local.get $bytes) (v128.const i8x16 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44 44))
              (i8x16.eq (local.get $bytes) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))))
        (if (local.get $mask)
          (then (return (call $atMost (i32.add (local.get $i) (i32.ctz (local.get $mask))) (local.get $len)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $scan)))
    (local.get $len))

  (func $atMost (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_u (local.get $a) (local.get $b))))

  ;; Stops a call: records where the next one starts and how many rows this one wrote.
  (func $stopAt (param $pos i32) (param $rows i32) (param $status i32) (result i32)
    (global.set $stop (local.get $pos))
    (global.set $rows (local.get $rows))
    (local.get $status))

  (func (export "parse")
    (param $len i32) (param $from i32) (param $final i32) (param $out i32) (param $maxRows i32) (result i32)
    (local $pos i32) (local $rowStart i32) (local $rows i32) (local $record i32)
    (local $field i32) (local $escapes i32) (local $start i32) (local $end i32)
    (local $quoted i32) (local $q i32) (local $c i32) (local $slot i32)
    (local.set $pos (local.get $from))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $pos) (local.get $len)))
        (if (i32.ge_u (local.get $rows) (local.get $maxRows))
          (then (return (call $stopAt (local.get $pos) (local.get $rows) (i32.const 1)))))
        (local.set $rowStart (local.get $pos))
        (local.set $c (i32.load8_u (local.get $pos)))
        ;; Blank lines (LF or CRLF) carry no task.
        (if (i32.eq (local.get $c) (i32.const 10))
          (then (local.set $pos (i32.add (local.get $pos) (i32.const 1))) (br $row)))
        (if (i32.eq (local.get $c) (i32.const 13))
          (then
            (if (i32.lt_u (i32.add (local.get $pos) (i32.const 1)) (local.get $len))
              (then
                (if (i32.eq (i32.load8_u offset=1 (local.get $pos)) (i32.const 10))
                  (then (local.set $pos (i32.add (local.get $pos) (i32.const 2))) (br $row)))))))
        (local.set $record (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 6))))
        (local.set $field (i32.const 0))
        (local.set $escapes (i32.const 0))
        (loop $fields
          (local.set $start (local.get $pos))
          (local.set $quoted (i32.const 0))
          (if (i32.lt_u (local.get $pos) (local.get $len))
            (then (local.set $quoted (i32.eq (i32.load8_u (local.get $pos)) (i32.const 34)))))
          (if (local.get $quoted)
            (then
              ;; Quoted: jump quote to quote; `""` is an escaped quote inside the field.
              (local.set $start (i32.add (local.get $pos) (i32.const 1)))
              (local.set $q (call $findQuote (local.get $start) (local.get $len)))
              (loop $pairs
                (if (i32.ge_u (local.get $q) (local.get $len))
                  (then
                    (return (call $stopAt (local.get $rowStart) (local.get $rows)
                      (select (i32.const 2) (i32.const 0) (local.get $final))))))
                (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $len))
                  (then
                    (if (i32.eq (i32.load8_u offset=1 (local.get $q)) (i32.const 34))
                      (then
                        (if (i32.lt_u (local.get $field) (i32.const 7))
                          (then
                            (local.set $escapes
                              (i32.or (local.get $escapes) (i32.shl (i32.const 1) (local.get $field))))))
                        (local.set $q (call $findQuote (i32.add (local.get $q) (i32.const 2)) (local.get $len)))
                        (br $pairs))))
                  (else
                    ;; The closing quote is the last byte: the next chunk may start with a quote.
                    (if (i32.eqz (local.get $final))
                      (then (return (call $stopAt (local.get $rowStart) (local.get $rows) (i32.const 0))))))))
              (local.set $end (local.get $q))
              ;; Anything between the closing quote and the delimiter is tolerated and dropped.
              (local.set $pos (call $findDelimiter (i32.add (local.get $q) (i32.const 1)) (local.get $len))))
            (else
              (local.set $pos (call $findDelimiter (local.get $pos) (local.get $len)))
              (local.set $end (local.get $pos))))
          (if (i32.ge_u (local.get $pos) (local.get $len))
            (then
              (if (i32.eqz (local.get $final))
                (then (return (call $stopAt (local.get $rowStart) (local.get $rows) (i32.const 0)))))
              (local.set $c (i32.const 10)))
            (else (local.set $c (i32.load8_u (local.get $pos)))))
          (if (i32.and (i32.eq (local.get $c) (i32.const 10)) (i32.eqz (local.get $quoted)))
            (then
              (if (i32.gt_u (local.get $end) (local.get $start))
                (then
                  (if (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 13))
                    (then (local.set $end (i32.sub (local.get $end) (i32.const 1)))))))))
          (if (i32.lt_u (local.get $field) (i32.const 7))
            (then
              (local.set $slot (i32.add (local.get $record) (i32.shl (local.get $field) (i32.const 3))))
              (i32.store offset=8 (local.get $slot) (local.get $start))
              (i32.store offset=12 (local.get $slot) (local.get $end))))
          (local.set $field (i32.add (local.get $field) (i32.const 1)))
          (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
          (br_if $fields (i32.ne (local.get $c) (i32.const 10))))
        (i32.store offset=0 (local.get $record) (call $atMost (local.get $field) (i32.const 7)))
        (i32.store offset=4 (local.get $record) (local.get $escapes))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        (br $row)))
    (call $stopAt (call $atMost (local.get $pos) (local.get $len)) (local.get $rows) (i32.const 0))))
