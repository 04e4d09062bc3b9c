# toe-sim, the emulated PCIe function (docs/toe-sim.md), with the driver core attaching
# to it through libpci (toe-devtest, tests/integration). Sourced by tests/run_tests.sh;
# every check is one tests/integration/toesim.sh call, which cleans up after itself.
echo "== toe-sim: the device as a driver meets it, over the channel and a cable (seed $SEED)"
SIM=$BUILD/bin/toe-sim
TS=tests/integration/toesim.sh
run toe-sim/help-names-every-option bash -c "out=\$('$SIM' --help) && for o in --backend=model\|rtl\|lockstep \
    --pci-dir=DIR --pcap=FILE --wire=listen:PATH --wire=connect:PATH --seed=N --time=virtual\|real \
    --loss=P --delay=T --rate=R; do grep -qF -- \"\$o\" <<<\"\$out\" \
    || { echo \"--help does not name \$o\"; exit 1; }; done"
run_fails toe-sim/unknown-backend-refused "backend=fpga: not model, rtl or lockstep" "$SIM" --backend=fpga
run_fails toe-sim/bad-loss-refused "loss: probability not in" "$SIM" --pci-dir="$OUT/toesim/refused" --loss=150%
run toe-sim/bringup-model env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bringup-model
run toe-sim/raw-model-model-1000 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" raw-model-model-1000
run toe-sim/determinism-same-seed-same-pcap env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" determinism
run toe-sim/traffic-model-40 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" traffic-model-40
run toe-sim/ping-model-20 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" ping-model-20
run toe-sim/bad-input-model env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bad-input-model
run toe-sim/reset-model-valgrind env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" reset model
run toe-sim/killed-device-reported env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" killed
run toe-sim/lone-driver-served env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lone-driver
run toe-sim/second-driver-refused env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" second-driver
run toe-sim/busy-tree-refused env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" busy-tree
# Lockstep's comparison, with a second model as the primary: traffic through it shows
# no divergence, and a flipped byte in a frame or a DMA write is caught and reported.
run toe-sim/bringup-lockself env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bringup-lockself
run toe-sim/bad-input-lockself env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bad-input-lockself
run toe-sim/traffic-lockself-40 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" traffic-lockself-40
run toe-sim/lockstep-catches-flipped-frame-byte env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-frame-5-lockself
run toe-sim/lockstep-catches-flipped-dma-byte env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-dma-7-lockself
run toe-sim/lockstep-catches-hidden-msix env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-irq-3-lockself
# The Verilated RTL device (rtl/toe_dev.sv) behind the same interface, alone and in
# lockstep with the model: every frame, DMA byte, counter and stable register compared.
run toe-sim/bringup-rtl env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bringup-rtl
run toe-sim/bringup-lockstep env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bringup-lockstep
run toe-sim/raw-rtl-model-300 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" raw-rtl-model-300
run toe-sim/determinism-rtl env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" determinism-rtl
run toe-sim/bad-input-lockstep env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" bad-input-lockstep
run toe-sim/ping-lockstep-10 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" ping-lockstep-10
run toe-sim/traffic-lockstep-40 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" traffic-lockstep-40
run toe-sim/reset-lockstep-valgrind env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" reset lockstep
run toe-sim/lockstep-rtl-catches-flipped-frame-byte env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-frame-5-lockstep
run toe-sim/lockstep-rtl-catches-flipped-dma-byte env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-dma-7-lockstep
run toe-sim/lockstep-rtl-catches-hidden-msix env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" lockfault-irq-3-lockstep
