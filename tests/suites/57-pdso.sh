# toe-packetdrill.so (driver/pdso, docs/packetdrill.md "Upstream packetdrill:
# toe-packetdrill.so"): the library loaded as upstream packetdrill loads it, every case
# through the interface table only (tests/pdso/so_loader.c), on both backends; and the
# library exports packetdrill_interface_init alone.
echo "== pdso: toe-packetdrill.so for upstream packetdrill"
pdso_lib=$BUILD/lib/toe-packetdrill.so
pdso_loader=$BUILD/tests/pdso/so_loader
for backend in model rtl; do
  for c in passive-open clock determinism blocking self-drive; do
    run "pdso/$backend/$c" "$pdso_loader" "$pdso_lib" "$c" "$backend"
  done
done
run pdso/bad-flags "$pdso_loader" "$pdso_lib" bad-flags
# ... and says why on stderr, naming the key.
run pdso/bad-flags-message bash -c "$pdso_loader $pdso_lib bad-flags 2>&1 |
    grep \"toe-packetdrill.so: so_flags: unknown key 'bogus'\""
run pdso/exports-only-init bash -c "nm -D --defined-only $pdso_lib; \
    [ \"\$(nm -D --defined-only $pdso_lib | awk '{print \$3}')\" = packetdrill_interface_init ]"
