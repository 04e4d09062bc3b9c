/*
 * The sockets API through toed (docs/api.md, "Client contexts"): a context
 * whose every toe_* call (toe_socket.h) goes to the toed that serves a device,
 * over its control socket <dev_dir>/toed.sock, with the data through a shared
 * memory area, so that an application uses the TOE exactly as it would an
 * embedded stack:
 *
 *     char err[256];
 *     struct toe_ctx *c = toe_client_open(NULL, err, sizeof err);
 *     int fd = toe_socket(c, AF_INET, SOCK_STREAM, 0);  ...
 *     toe_client_close(c);
 *
 * Descriptors belong to the context that made them: another context's give
 * EBADF. When the application exits (or dies) toed closes what it left open
 * as close(2) would: FIN, TIME_WAIT in toed (S20).
 *
 * One thread per context: a context is one conversation with toed. Link
 * build/driver/libtoeclient.a and -lpci.
 */
#ifndef TOE_CLIENT_H
#define TOE_CLIENT_H

#include <stddef.h>

struct toe_ctx;

/* pci_dir: the sysfs tree the device is found in (NULL: $TOE_PCI_DIR, else
 * /sys/bus/pci). NULL with errno and the reason in err: no device, no toed
 * serving it, a toed that refused us. */
struct toe_ctx *toe_client_open(const char *pci_dir, char *err, size_t errlen);

/* Ends the conversation: toed closes every descriptor still open. NULL ok. */
void toe_client_close(struct toe_ctx *c);

/* The path toed serves for the device under pci_dir (NULL as above): 0, or
 * -1 with the reason in err. toe-ss and toed use it. */
int toe_client_sock_path(const char *pci_dir, char *path, size_t pathlen, char *err, size_t errlen);

#endif /* TOE_CLIENT_H */
