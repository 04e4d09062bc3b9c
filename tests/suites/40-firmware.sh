# The management firmware (firmware/, mk/firmware.mk), sourced by tests/run_tests.sh:
# its unit tests against a fake of the management window, and the RV32IMC image -
# what it is, that it needs nothing from outside, and that it fits FW_CODE_BUDGET.
echo "== firmware"
run_cmocka "firmware/test_fw" "$BUILD/tests/firmware/test_fw"
run_cmocka "firmware-asan/test_fw" "$BUILD/asan/tests/firmware/test_fw"
fw_elf=$BUILD/firmware/toe-fw-rv32.elf
run "firmware/rv32-elf-is-rv32imc-soft-float" bash -c "set -o pipefail;
     riscv64-unknown-elf-readelf -h $fw_elf | tee /dev/stderr | grep -q 'Class: *ELF32' &&
     riscv64-unknown-elf-readelf -h $fw_elf | grep -q 'Machine: *RISC-V' &&
     riscv64-unknown-elf-readelf -h $fw_elf | grep -q 'Flags: *0x1, RVC, soft-float ABI'"
run "firmware/rv32-no-undefined-symbols" bash -c "u=\$(riscv64-unknown-elf-nm -u $fw_elf);
     echo \"undefined: \${u:-none}\"; [ -z \"\$u\" ]"
run "firmware/rv32-fits-budget" firmware/rv32/fw_size.sh "$fw_elf" "$OUT"
# The budget check itself must be able to fail.
run_fails "firmware/rv32-budget-check-detects-overflow" "above the budget" \
    firmware/rv32/fw_size.sh "$fw_elf" "$OUT/firmware-budget-check" 4096
