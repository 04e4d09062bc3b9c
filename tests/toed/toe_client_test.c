/*
 * An application of toed (tests/suites/62-toed.sh): it uses only the sockets
 * API (toe_socket.h) and the client context (toe_client.h), as any program
 * would. One mode per run:
 *
 *   server PORT BYTES HOLD   accept one connection; wait for the file HOLD;
 *                            read to EOF checking every byte; send BYTES; close
 *   client IP PORT BYTES HOLD  connect; wait for HOLD; send BYTES; shut down
 *                            writing; read the server's BYTES to EOF; close
 *   hold IP PORT             connect, say "connected", then sleep (to be killed)
 *   eof PORT                 accept one, read until the end: "eof" (read 0) or
 *                            the error's name; then wait to be stopped
 *   ebadf                    two contexts: the second using the first's
 *                            descriptor gets EBADF on every call
 *   garbage                  write bytes that are no request to toed.sock
 *
 * Data are a seeded pattern, so each side checks the other's bytes exactly.
 * The device: $TOE_PCI_DIR. Exit 0 when the mode's check held.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "toe_client.h"
#include "toe_socket.h"

static struct toe_ctx *ctx;

static void die(const char *what)
{
    fprintf(stderr, "toe_client_test: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The byte at offset i of side's stream (side 'c' client, 's' server). */
static uint8_t pattern(char side, uint64_t i)
{
    uint64_t x = (i / 8 + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)side;

    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return (uint8_t)(x >> (8 * (i % 8)));
}

static void wait_file(const char *path)
{
    struct stat sb;
    struct timespec ts = {0, 10000000};

    while (stat(path, &sb))
        nanosleep(&ts, NULL);
}

static void send_all(int fd, char side, uint64_t n)
{
    static uint8_t buf[200000];
    uint64_t off = 0;

    while (off < n) {
        size_t k = n - off < sizeof(buf) ? (size_t)(n - off) : sizeof(buf);
        ssize_t w;

        for (size_t i = 0; i < k; i++)
            buf[i] = pattern(side, off + i);
        w = toe_send(ctx, fd, buf, k, 0);
        if (w <= 0)
            die("send");
        off += (uint64_t)w;
    }
}

/* Reads to EOF; every byte must be the peer's pattern. Prints the count
 * and an FNV-1a sum. */
static int recv_check(int fd, char side, uint64_t want)
{
    static uint8_t buf[100000];
    uint64_t off = 0, sum = 0xcbf29ce484222325ull;
    ssize_t r;

    while ((r = toe_recv(ctx, fd, buf, sizeof(buf), 0)) > 0) {
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] != pattern(side, off + (uint64_t)i)) {
                fprintf(stderr, "byte %llu differs\n", (unsigned long long)(off + (uint64_t)i));
                return 1;
            }
            sum = (sum ^ buf[i]) * 0x100000001b3ull;
        }
        off += (uint64_t)r;
    }
    if (r < 0)
        die("recv");
    printf("received %llu bytes, fnv1a %016llx\n", (unsigned long long)off, (unsigned long long)sum);
    if (off != want) {
        fprintf(stderr, "expected %llu bytes\n", (unsigned long long)want);
        return 1;
    }
    return 0;
}

static struct sockaddr_in sin_of(const char *ip, const char *port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};

    if (ip && inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", ip);
        exit(2);
    }
    return sin;
}

static int accept_one(const char *port)
{
    struct sockaddr_in sin = sin_of(NULL, port), peer;
    socklen_t len = sizeof(peer);
    int one = 1, ls = toe_socket(ctx, AF_INET, SOCK_STREAM, 0), fd;

    if (ls < 0 || toe_setsockopt(ctx, ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        toe_bind(ctx, ls, (struct sockaddr *)&sin, sizeof(sin)) || toe_listen(ctx, ls, 128))
        die("listen");
    printf("listening\n");
    fflush(stdout);
    fd = toe_accept(ctx, ls, (struct sockaddr *)&peer, &len);
    if (fd < 0)
        die("accept");
    printf("accepted %s:%u\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
    fflush(stdout);
    return fd;
}

static int connect_to(const char *ip, const char *port)
{
    struct sockaddr_in sin = sin_of(ip, port);
    int fd = toe_socket(ctx, AF_INET, SOCK_STREAM, 0);

    if (fd < 0 || toe_connect(ctx, fd, (struct sockaddr *)&sin, sizeof(sin)))
        die("connect");
    printf("connected\n");
    fflush(stdout);
    return fd;
}

static int ebadf(void)
{
    char err[256];
    struct toe_ctx *other = toe_client_open(NULL, err, sizeof(err));
    struct sockaddr_in sin = sin_of("10.0.0.2", "9");
    char b[4] = "abc";
    int fd = toe_socket(ctx, AF_INET, SOCK_STREAM, 0), bad = 0, one = 1;

    if (!other || fd < 0) {
        fprintf(stderr, "setup: %s\n", other ? strerror(errno) : err);
        return 1;
    }
#define EXPECT_EBADF(call)                                                                         \
    do {                                                                                           \
        errno = 0;                                                                                 \
        if ((call) != -1 || errno != EBADF) {                                                      \
            fprintf(stderr, "%s: not EBADF (%s)\n", #call, strerror(errno));                        \
            bad = 1;                                                                               \
        }                                                                                          \
    } while (0)
    EXPECT_EBADF(toe_send(other, fd, b, 3, 0));
    EXPECT_EBADF(toe_recv(other, fd, b, 3, MSG_DONTWAIT));
    EXPECT_EBADF(toe_connect(other, fd, (struct sockaddr *)&sin, sizeof(sin)));
    EXPECT_EBADF(toe_listen(other, fd, 1));
    EXPECT_EBADF(toe_setsockopt(other, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
    EXPECT_EBADF(toe_fcntl(other, fd, F_GETFL, 0));
    EXPECT_EBADF(toe_close(other, fd));
    {
        struct pollfd p = {.fd = fd, .events = POLLOUT};

        if (toe_poll(other, &p, 1, 0) != 1 || p.revents != POLLNVAL) {
            fprintf(stderr, "poll of another's descriptor: not POLLNVAL\n");
            bad = 1;
        }
    }
    /* The owner still has it. */
    if (toe_close(ctx, fd)) {
        fprintf(stderr, "the owner's close failed: %s\n", strerror(errno));
        bad = 1;
    }
    toe_client_close(other);
    if (!bad)
        printf("EBADF for every call on another client's descriptor\n");
    return bad;
}

static int garbage(void)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    char path[4096], err[256], junk[300];
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    ssize_t r;

    if (toe_client_sock_path(NULL, path, sizeof(path), err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)))
        die("connect to toed");
    memset(junk, 'G', sizeof(junk));
    if (write(s, junk, sizeof(junk)) != (ssize_t)sizeof(junk))
        die("write");
    r = read(s, junk, sizeof(junk));   /* toed drops us: EOF, no reply */
    printf("toed answered garbage with %s\n", r == 0 ? "EOF" : r < 0 ? strerror(errno) : "bytes");
    close(s);
    return r == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    char err[256];
    const char *mode = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(mode, "garbage"))
        return garbage();
    ctx = toe_client_open(NULL, err, sizeof(err));
    if (!ctx) {
        fprintf(stderr, "toe_client_open: %s\n", err);
        return 1;
    }
    if (!strcmp(mode, "server") && argc == 5) {
        int fd = accept_one(argv[2]), rc;
        uint64_t n = strtoull(argv[3], NULL, 0);

        wait_file(argv[4]);
        rc = recv_check(fd, 'c', n);
        send_all(fd, 's', n);
        if (toe_close(ctx, fd))
            die("close");
        printf("server done\n");
        return rc;
    }
    if (!strcmp(mode, "client") && argc == 6) {
        int fd = connect_to(argv[2], argv[3]), rc;
        uint64_t n = strtoull(argv[4], NULL, 0);

        wait_file(argv[5]);
        send_all(fd, 'c', n);
        if (toe_shutdown(ctx, fd, SHUT_WR))
            die("shutdown");
        rc = recv_check(fd, 's', n);
        if (toe_close(ctx, fd))
            die("close");
        printf("client done\n");
        return rc;
    }
    if (!strcmp(mode, "hold") && argc == 4) {
        connect_to(argv[2], argv[3]);
        for (;;)
            pause();
    }
    if (!strcmp(mode, "eof") && argc == 3) {
        int fd = accept_one(argv[2]);
        char b[256];
        ssize_t r;

        while ((r = toe_recv(ctx, fd, b, sizeof(b), 0)) > 0)
            ;
        printf("%s\n", r == 0 ? "eof" : strerror(errno));
        for (;;)
            pause();
    }
    if (!strcmp(mode, "ebadf"))
        return ebadf();
    fprintf(stderr, "usage: toe_client_test server PORT BYTES HOLD | client IP PORT BYTES HOLD | hold IP PORT |\n"
                    "       eof PORT | ebadf | garbage\n");
    return 2;
}
